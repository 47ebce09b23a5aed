/**
 * The EC2 simulator of bench:ssm in a process of its own, as sshd is one for the SSH side: the simulated SSM
 * agent (its pty relay, framing, digests and acknowledgements) must not share the measured process's event
 * loop. Tells its parent the endpoint, its (public, documented example) credentials and the one instance,
 * whose SSM agent is online.
 */
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator } from '../test/support/ec2-simulator/index';

const sim = await startEc2Simulator();
const instanceId = sim.addInstance('us-east-1', { publicIp: '203.0.113.7', keyName: 'bench', name: 'bench-1' });
sim.sessionManager.setAgentOnline(instanceId, true);
process.send?.({ url: sim.url, instanceId, accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY });
process.on('disconnect', () => {
  void sim.close().finally(() => process.exit(0));
});
