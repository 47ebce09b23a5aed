/**
 * The EC2 simulator of bench:terminal in a process of its own: it stands in for AWS, so its memory must not
 * count in the peak RSS of the terminal service. Tells its parent the endpoint, its (public, documented example) credentials and the one instance it holds.
 */
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator } from '../test/support/ec2-simulator/index';

const sim = await startEc2Simulator();
const instanceId = sim.addInstance('us-east-1', { publicIp: '203.0.113.7', keyName: 'bench' });
process.send?.({ url: sim.url, instanceId, accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY });
process.on('disconnect', () => {
  void sim.close().finally(() => process.exit(0));
});
