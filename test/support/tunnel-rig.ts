import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { createEventHub, type EventHub } from '../../src/main/services/app/event-hub';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createWaysInService, type WaysInService } from '../../src/main/services/access/ways-in-service';
import { createEc2Service } from '../../src/main/services/ec2/ec2-service';
import { createFirewallService } from '../../src/main/services/firewall/firewall-service';
import { createSsmSessionApi } from '../../src/main/services/keyless/ssm/ssm-session-api';
import { createLogger, type Logger } from '../../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore, type SettingsStore } from '../../src/main/services/settings/settings-store';
import { createConnectionManager, type ConnectionManager } from '../../src/main/services/ssh/create-connection-manager';
import { createTunnelService, type TunnelServiceDeps } from '../../src/main/services/tunnels/create-tunnel-service';
import type { TunnelService } from '../../src/main/services/tunnels/tunnel-service';
import type { Events } from '../../src/shared/ipc/contract';
import type { InstanceRef } from '../../src/shared/models/transfers';
import type { TunnelInfo } from '../../src/shared/models/tunnels';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from './ec2-simulator/index';
import { startSshd, type Sshd } from './sshd';
import { stubKeyStore } from './stub-key-store';

const REGION = 'eu-west-1';
const ACCOUNT = 'acct-tunnels';
const KEY_PAIR = 'hangar-test';

/**
 * Real parts for the tunnel service: an sshd on loopback whose sessions get `home` as HOME and their own
 * tmux socket dir, the EC2 simulator with an instance routed to that sshd, the real connection manager,
 * and a tunnel service whose browser is a list of URLs.
 */
export interface TunnelRig {
  readonly sshd: Sshd;
  readonly sim: Ec2Simulator;
  readonly home: string;
  readonly tmuxDir: string;
  readonly instanceId: string;
  readonly ref: InstanceRef;
  readonly settings: SettingsStore;
  readonly connections: ConnectionManager;
  readonly events: EventHub<Events>;
  readonly tunnels: TunnelService;
  readonly ways: WaysInService;
  /** What the service asked the browser to open. */
  readonly opened: string[];
  /** Every `tunnels.changed` payload. */
  readonly changes: TunnelInfo[][];
  /** Every log line (already redacted), to check that tokens never reach it. */
  readonly logLines: string[];
  stop(): Promise<void>;
}

/**
 * `sessionManager`: the instance is reachable only through Session Manager, as with port 22 closed: no
 * connection-settings host (its public address is TEST-NET), the VPC's default group (members only), and its
 * SSM agent online, running commands on this machine with the rig's HOME and tmux dir.
 */
export async function startTunnelRig(options: { deps?: Partial<TunnelServiceDeps>; sessionManager?: boolean } = {}): Promise<TunnelRig> {
  const root = await mkdtemp(join(tmpdir(), 'hangar-tunnel-'));
  const home = join(root, 'home');
  const tmuxDir = join(root, 'tmux');
  await mkdir(home, { recursive: true });
  await mkdir(tmuxDir, { recursive: true, mode: 0o700 });
  await writeFile(join(home, '.profile'), 'cd "$HOME" 2>/dev/null || true\n');
  const sshd = await startSshd({ extraConfig: [`SetEnv HOME=${home} TMUX_TMPDIR=${tmuxDir}`] });
  const sim = await startEc2Simulator();
  const pool: AwsClientPool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  const ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
  const settings = createSettingsStore(createSettingsFileBackend(join(root, 'settings')));
  // Not what is under test: hands out the rig's user key for the key pair "hangar-test".
  const keys = stubKeyStore(sshd.userPrivateKey, KEY_PAIR);
  const logLines: string[] = [];
  const logger: Logger = createLogger({ level: 'debug', sink: (line) => logLines.push(line) });
  const connections = createConnectionManager({ settings, keys, ec2, logger, userCandidates: () => [sshd.username], refusedRetryMs: 0 });
  const events = createEventHub<Events>();
  const changes: TunnelInfo[][] = [];
  events.subscribe((name, payload) => {
    if (name === 'tunnels.changed') changes.push(payload as TunnelInfo[]);
  });
  const opened: string[] = [];
  const ssm = createSsmSessionApi({ clientsFor: (id) => pool.clientsFor(id) });
  const ways = createWaysInService({ ec2, keys, settings, firewall: createFirewallService({ clientsFor: (id) => pool.clientsFor(id), ec2 }), ssm, instanceConnect: false });
  const tunnels = createTunnelService({
    connections,
    settings,
    events,
    ec2,
    logger,
    openExternal: async (url) => {
      opened.push(url);
    },
    reconnect: { initialMs: 200, maxMs: 1000 },
    ways,
    ssm,
    ...options.deps,
  });
  const instanceId = sim.addInstance(REGION, { publicIp: '203.0.113.20', keyName: KEY_PAIR, name: 'gpu-1' });
  if (options.sessionManager === true) {
    sim.sessionManager.setAgentOnline(instanceId, true);
    sim.sessionManager.agentEnv = { HOME: home, TMUX_TMPDIR: tmuxDir };
  } else {
    settings.mutate((s) => ({ ...s, connections: { ...s.connections, [instanceId]: { host: `127.0.0.1:${sshd.port}` } } }));
  }
  return {
    sshd,
    sim,
    home,
    tmuxDir,
    instanceId,
    ref: { accountId: ACCOUNT, region: REGION, instanceId, acceptHostKey: sshd.hostKeyFingerprintSha256 },
    settings,
    connections,
    events,
    tunnels,
    ways,
    opened,
    changes,
    logLines,
    async stop() {
      tunnels.dispose();
      connections.dispose();
      await promisify(execFile)('tmux', ['kill-server'], { env: { ...process.env, TMUX_TMPDIR: tmuxDir } }).catch(() => undefined);
      pool.destroy();
      await sim.close();
      await sshd.stop();
      await rm(root, { recursive: true, force: true });
    },
  };
}

export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 15_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
