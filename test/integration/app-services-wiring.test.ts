import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createAppServices } from '../../src/main/services/create-app-services';
import { createLogger } from '../../src/main/services/logging/logger';
import { createMemorySecretStore } from '../support/memory-secret-store';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { freeLoopbackPort } from '../support/jupyter';
import { startSshd, type Sshd } from '../support/sshd';

/**
 * Rules between services live in their composition (create-app-services), not in the IPC handlers: checked
 * here on the services as the app builds them, against the EC2 simulator and a real sshd.
 */
const REGION = 'eu-west-1';

let sim: Ec2Simulator;
let sshd: Sshd;
let root: string;
let restoreEnv: () => void = () => undefined;
let services: ReturnType<typeof createAppServices>;

beforeAll(async () => {
  sim = await startEc2Simulator({ timings: { pendingMs: 100, stoppingMs: 100, shuttingDownMs: 100 } });
  sshd = await startSshd();
  root = await mkdtemp(join(tmpdir(), 'hangar-wiring-'));
  // The app never sets an endpoint: the SDK's own AWS_ENDPOINT_URL sends every service to the simulator.
  restoreEnv = isolateAwsEnv({ AWS_ENDPOINT_URL: sim.url });
  services = createAppServices({
    info: { name: 'Hangar', version: '0.0.0-test', shell: 'web', platform: process.platform },
    logger: createLogger({ sink: () => undefined }),
    settingsBackend: createSettingsFileBackend(join(root, 'settings')),
    secrets: createMemorySecretStore(),
    openExternal: async () => undefined,
    openPath: async () => undefined,
    pickFiles: async () => [],
    pickSaveFile: async () => undefined,
    userCandidates: () => [sshd.username],
  });
}, 60_000);

afterAll(async () => {
  await services?.dispose();
  restoreEnv();
  await sim?.close();
  await sshd?.stop();
  if (root !== undefined) await rm(root, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
}, 60_000);

describe('createAppServices wiring', () => {
  it('stopping an instance through ec2.act closes its tunnels', async () => {
    const account = await services.accounts.add({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY, defaultRegion: REGION });
    await services.keys.import({ path: sshd.userKeyPath, name: 'hangar-test' });
    const instanceId = sim.addInstance(REGION, { publicIp: '203.0.113.21', keyName: 'hangar-test', name: 'wired' });
    services.settings.mutate((s) => ({ ...s, connections: { ...s.connections, [instanceId]: { host: `${sshd.host}:${sshd.port}` } } }));
    const instance = { accountId: account.id, region: REGION, instanceId, acceptHostKey: sshd.hostKeyFingerprintSha256 };

    const tunnel = await services.tunnels.forward({ instance, direction: 'local', localPort: await freeLoopbackPort(), remotePort: 9 });
    expect(tunnel.state).toBe('open');

    await services.ec2.act({ accountId: account.id, region: REGION, action: 'stop', instanceIds: [instanceId] });
    // Synchronously, before act resolved: no reconnect attempt had to find out.
    expect(services.tunnels.list().find((t) => t.id === tunnel.id)).toMatchObject({ state: 'closed', error: { code: 'INSTANCE_STOPPED' } });
  }, 60_000);
});
