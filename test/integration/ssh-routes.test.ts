import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service, type Ec2Service } from '../../src/main/services/ec2/ec2-service';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../../src/main/services/settings/settings-store';
import { createConnectionManager, type ConnectionManager } from '../../src/main/services/ssh/create-connection-manager';
import type { InstanceConnection } from '../../src/shared/models/settings';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { startHttpConnectProxy, startSocks5Proxy, type TestProxy } from '../support/proxies';
import { startSshd, type Sshd } from '../support/sshd';
import { stubKeyStore } from '../support/stub-key-store';

// The instance is on its own loopback address on port 22 with no public address: only a route reaches it.
const PRIVATE_IP = '127.0.0.77';
const REGION = 'eu-west-1';
const ACCOUNT = 'acct-main';

let restoreEnv: () => void = () => undefined;
let target: Sshd;
let bastion: Sshd;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let ec2: Ec2Service;
let work: string;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  work = await mkdtemp(join(tmpdir(), 'hangar-routes-'));
  target = await startSshd({ listenHost: PRIVATE_IP, port: 22 });
  // The bastion accepts the same user key (a bastion usually does: one key pair for the lab).
  bastion = await startSshd({ authorizedKeys: [target.userPublicKey] });
  sim = await startEc2Simulator();
  pool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
}, 60_000);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

afterAll(async () => {
  pool?.destroy();
  await sim?.close();
  await target?.stop();
  await bastion?.stop();
  await rm(work, { recursive: true, force: true });
  restoreEnv();
});

let counter = 0;

/** A connection manager whose instance has the given route in its connection settings. */
function rig(route: InstanceConnection, proxyPassword?: string, resolveProxy?: (url: string) => Promise<string>): { manager: ConnectionManager; ref: { accountId: string; region: string; instanceId: string } } {
  const settings = createSettingsStore(createSettingsFileBackend(join(work, `settings-${counter++}`)));
  const instanceId = sim.addInstance(REGION, { publicIp: null, privateIp: PRIVATE_IP, keyName: 'lab', name: 'private-1' });
  settings.mutate((s) => ({
    ...s,
    connections: { [instanceId]: route },
    // The instance's own host key is pinned: what is under test is the way there.
    hostKeys: { [instanceId]: { keyType: 'ssh-ed25519', fingerprintSha256: target.hostKeyFingerprintSha256, verifiedBy: 'user', pinnedAt: new Date().toISOString() } },
  }));
  const manager = createConnectionManager({
    settings,
    keys: stubKeyStore(target.userPrivateKey, 'lab'),
    ec2,
    logger: silentLogger,
    userCandidates: () => [target.username],
    refusedRetryMs: 0,
    readyTimeoutMs: 5000,
    ...(proxyPassword === undefined ? {} : { proxyPassword: async () => proxyPassword }),
    ...(resolveProxy === undefined ? {} : { resolveProxy }),
  });
  cleanups.push(() => manager.dispose());
  return { manager, ref: { accountId: ACCOUNT, region: REGION, instanceId } };
}

/** Runs a command and lists the home folder over SFTP on the routed connection. */
async function exercise(manager: ConnectionManager, ref: { accountId: string; region: string; instanceId: string }): Promise<string> {
  const { connection } = await manager.acquire(ref);
  try {
    const { stdout } = await connection.run({ script: 'echo "routed:$(id -un)"' });
    const sftp = await connection.sftp();
    const listed = await new Promise<number>((resolve, reject) => sftp.readdir('.', (error, list) => (error ? reject(error) : resolve(list.length))));
    expect(listed).toBeGreaterThanOrEqual(0);
    return stdout.trim();
  } finally {
    connection.release();
  }
}

function jump(extra: Partial<InstanceConnection> = {}): InstanceConnection {
  return { jumpHost: `${bastion.username}@127.0.0.1:${bastion.port}`, jumpHostKey: bastion.hostKeyFingerprintSha256, ...extra };
}

async function useProxy(start: Promise<TestProxy>): Promise<TestProxy> {
  const proxy = await start;
  cleanups.push(() => proxy.close());
  return proxy;
}

describe('routes to an instance with no public address', () => {
  it('is not reachable directly: it has no address to connect to', async () => {
    const { manager, ref } = rig({});
    expect((await caught(manager.acquire(ref))).code).toBe('SSH_NO_ADDRESS');
  });

  it('reaches it through a jump host at its private IP, for commands and SFTP', async () => {
    const { manager, ref } = rig(jump());
    expect(await exercise(manager, ref)).toBe(`routed:${target.username}`);
    // The bastion really carried it: it authenticated Hangar's key.
    expect(bastion.logs()).toMatch(/Accepted publickey for \S+ from 127\.0\.0\.1/);
  });

  it('refuses a jump host whose host key is not the saved one, and sends nothing to it', async () => {
    const { manager, ref } = rig(jump({ jumpHostKey: target.hostKeyFingerprintSha256 }));
    const error = await caught(manager.acquire(ref));
    expect(error.code).toBe('SSH_JUMP_HOST_KEY_MISMATCH');
    expect(error.message).toContain(bastion.hostKeyFingerprintSha256);
  });

  it('says which hop failed when the jump host does not answer', async () => {
    const { manager, ref } = rig({ jumpHost: `${bastion.username}@127.0.0.1:1`, jumpHostKey: bastion.hostKeyFingerprintSha256 });
    const error = await caught(manager.acquire(ref));
    expect(error.code).toBe('SSH_JUMP_UNREACHABLE');
    expect(error.message).toContain('127.0.0.1:1');
  });

  it('says so when the jump host cannot reach the instance', async () => {
    const { manager, ref } = rig(jump({ host: '127.0.0.77:2' }));
    expect((await caught(manager.acquire(ref))).code).toBe('SSH_JUMP_FORWARD_FAILED');
  });

  it('goes through a SOCKS5 proxy with a password from the keychain', async () => {
    const proxy = await useProxy(startSocks5Proxy({ credentials: { username: 'ana', password: 's3cret' } }));
    const { manager, ref } = rig({ host: `${PRIVATE_IP}:22`, proxy: `socks5://ana@127.0.0.1:${proxy.port}` }, 's3cret');
    expect(await exercise(manager, ref)).toBe(`routed:${target.username}`);
    expect(proxy.relayed).toEqual([{ host: PRIVATE_IP, port: 22, user: 'ana' }]);
  });

  it('names the missing proxy password, and a proxy that refuses', async () => {
    const locked = await useProxy(startSocks5Proxy({ credentials: { username: 'ana', password: 's3cret' } }));
    const first = rig({ host: `${PRIVATE_IP}:22`, proxy: locked.url });
    expect((await caught(first.manager.acquire(first.ref))).code).toBe('SSH_PROXY_AUTH_REQUIRED');
    const strict = await useProxy(startSocks5Proxy({ refuse: true }));
    const second = rig({ host: `${PRIVATE_IP}:22`, proxy: strict.url });
    const error = await caught(second.manager.acquire(second.ref));
    expect(error.code).toBe('SSH_PROXY_REFUSED');
    expect(error.message).toContain("rules do not allow");
  });

  it('goes through an HTTP CONNECT proxy, and a 403 is said with the usual cause', async () => {
    const proxy = await useProxy(startHttpConnectProxy());
    const { manager, ref } = rig({ host: `${PRIVATE_IP}:22`, proxy: proxy.url });
    expect(await exercise(manager, ref)).toBe(`routed:${target.username}`);
    expect(proxy.relayed).toEqual([{ host: PRIVATE_IP, port: 22 }]);
    const strict = await useProxy(startHttpConnectProxy({ refuse: true }));
    const refused = rig({ host: `${PRIVATE_IP}:22`, proxy: strict.url });
    const error = await caught(refused.manager.acquire(refused.ref));
    expect(error.code).toBe('SSH_PROXY_REFUSED');
    expect(error.message).toContain('403');
  });

  it('reaches the jump host itself through the proxy when both are set', async () => {
    const proxy = await useProxy(startSocks5Proxy());
    const { manager, ref } = rig(jump({ proxy: proxy.url }));
    expect(await exercise(manager, ref)).toBe(`routed:${target.username}`);
    expect(proxy.relayed).toEqual([{ host: '127.0.0.1', port: bastion.port }]);
  });

  it('connects over IPv6 when the instance has an IPv6 address and no public IPv4 one', async () => {
    const v6 = await startSshd({ listenHost: '::1', port: 22, authorizedKeys: [target.userPublicKey] });
    try {
      const settings = createSettingsStore(createSettingsFileBackend(join(work, `settings-${counter++}`)));
      const instanceId = sim.addInstance(REGION, { publicIp: null, ipv6Address: '::1', keyName: 'lab', name: 'v6-only' });
      settings.mutate((s) => ({
        ...s,
        hostKeys: { [instanceId]: { keyType: 'ssh-ed25519', fingerprintSha256: v6.hostKeyFingerprintSha256, verifiedBy: 'user', pinnedAt: new Date().toISOString() } },
      }));
      const manager = createConnectionManager({ settings, keys: stubKeyStore(target.userPrivateKey, 'lab'), ec2, logger: silentLogger, userCandidates: () => [target.username], refusedRetryMs: 0 });
      cleanups.push(() => manager.dispose());
      const { connection, target: resolved } = await manager.acquire({ accountId: ACCOUNT, region: REGION, instanceId });
      expect(resolved.host).toBe('::1');
      const { stdout } = await connection.run({ script: 'echo "$SSH_CONNECTION"' });
      connection.release();
      // sshd saw the connection arrive on its IPv6 address.
      expect(stdout.trim().split(' ')[2]).toBe('::1');
    } finally {
      await v6.stop();
    }
  });

  it('"system" asks the shell for the proxy of the first hop (the PAC answer), and goes through it', async () => {
    const proxy = await useProxy(startSocks5Proxy());
    const asked: string[] = [];
    const { manager, ref } = rig({ host: `${PRIVATE_IP}:22`, proxy: 'system' }, undefined, async (url) => {
      asked.push(url);
      return `SOCKS5 127.0.0.1:${proxy.port}; DIRECT`;
    });
    expect(await exercise(manager, ref)).toBe(`routed:${target.username}`);
    expect(asked).toEqual([`https://${PRIVATE_IP}:22/`]);
    expect(proxy.relayed).toEqual([{ host: PRIVATE_IP, port: 22 }]);
  });

  it('says so when the proxy is not there', async () => {
    const { manager, ref } = rig({ host: `${PRIVATE_IP}:22`, proxy: 'socks5://127.0.0.1:1' });
    expect((await caught(manager.acquire(ref))).code).toBe('SSH_PROXY_UNREACHABLE');
  });
});
