import { generateKeyPairSync } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EC2InstanceConnectClient, SendSSHPublicKeyCommand } from '@aws-sdk/client-ec2-instance-connect';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service, type Ec2Service } from '../../src/main/services/ec2/ec2-service';
import { createInstanceConnectPush } from '../../src/main/services/keyless/instance-connect-push';
import { makeOneMinuteKey } from '../../src/main/services/keyless/one-minute-key';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore, type SettingsStore } from '../../src/main/services/settings/settings-store';
import { createConnectionManager, type ConnectionManager } from '../../src/main/services/ssh/create-connection-manager';
import { createKeysService } from '../../src/main/services/ssh/create-keys-service';
import type { KeysService } from '../../src/main/services/ssh/keys-service';
import { argvCommand } from '../../src/main/services/ssh/remote-command';
import { connectClient } from '../../src/main/services/ssh/ssh-connection';
import type { HangarError } from '../../src/shared/errors/hangar-error';
import { caught } from '../support/caught';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { createMemorySecretStore } from '../support/memory-secret-store';
import { startSshd, type Sshd } from '../support/sshd';

/**
 * EC2 Instance Connect end to end below the UI: the real EC2 and EC2 Instance Connect SDK clients against the
 * simulator, which installs each pushed key on a real sshd for a (shortened) minute. Nobody stores a key:
 * the keychain is empty and the rig's own user key is never given to Hangar.
 */
const REGION = 'eu-west-1';
const ACCOUNT = 'acct-main';
const AL2023 = 'ami-0a12023000000001';
const DEBIAN = 'ami-0debian000000001';

let restoreEnv: () => void = () => undefined;
let sshd: Sshd;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let ec2: Ec2Service;
let work: string;
const cleanups: (() => unknown)[] = [];

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  work = await mkdtemp(join(tmpdir(), 'hangar-eic-'));
  sshd = await startSshd();
  sim = await startEc2Simulator();
  sim.setImageName(AL2023, 'al2023-ami-2023.6.20241121.0-kernel-6.1-x86_64');
  sim.setImageName(DEBIAN, 'debian-12-amd64-20241110-1927');
  pool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
}, 60_000);

afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  sim.allowActions();
  sim.instanceConnectKeyTtlMs = 60_000;
});

afterAll(async () => {
  pool?.destroy();
  await sim?.close();
  await sshd?.stop();
  await rm(work, { recursive: true, force: true });
  restoreEnv();
});

let counter = 0;

interface Rig {
  manager: ConnectionManager;
  settings: SettingsStore;
  keys: KeysService;
  secrets: ReturnType<typeof createMemorySecretStore>;
  instanceId: string;
}

/** A seeded instance standing in for the rig's sshd (its host key pinned), and a manager with an empty keychain. */
function rig(instance: Parameters<Ec2Simulator['addInstance']>[1] = {}): Rig {
  const settings = createSettingsStore(createSettingsFileBackend(join(work, `settings-${counter++}`)));
  const secrets = createMemorySecretStore();
  const keys = createKeysService({ settings, secrets });
  const instanceId = sim.addInstance(REGION, { imageId: AL2023, keyName: 'lost-key', ...instance });
  sim.attachSshd(instanceId, sshd);
  settings.mutate((s) => ({
    ...s,
    connections: { [instanceId]: { host: `${sshd.host}:${sshd.port}`, user: sshd.username } },
    hostKeys: { [instanceId]: { keyType: sshd.hostKeyType, fingerprintSha256: sshd.hostKeyFingerprintSha256, verifiedBy: 'user', pinnedAt: new Date().toISOString() } },
  }));
  const manager = createConnectionManager({
    settings,
    keys,
    ec2,
    logger: silentLogger,
    refusedRetryMs: 0,
    pushInstanceConnectKey: createInstanceConnectPush({ clientsFor: (id) => pool.clientsFor(id) }),
  });
  cleanups.push(() => manager.dispose());
  return { manager, settings, keys, secrets, instanceId };
}

/** What a call that must fail was rejected with (raw SDK and ssh2 errors, not HangarErrors). */
async function rejected(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected the call to fail, but it succeeded');
    },
    (reason: unknown) => reason,
  );
}

/** An OpenSSH `ssh-rsa` line of a fresh key of `bits`. */
function rsaLine(bits: number): string {
  const jwk = generateKeyPairSync('rsa', { modulusLength: bits }).publicKey.export({ format: 'jwk' });
  const field = (b: Buffer): Buffer => Buffer.concat([Buffer.from([0, 0, (b.length >> 8) & 0xff, b.length & 0xff]), b]);
  const mpint = (b64: string | undefined): Buffer => {
    const raw = Buffer.from(b64 ?? '', 'base64url');
    return field((raw[0] ?? 0) & 0x80 ? Buffer.concat([Buffer.from([0]), raw]) : raw);
  };
  return `ssh-rsa ${Buffer.concat([field(Buffer.from('ssh-rsa')), mpint(jwk.e), mpint(jwk.n)]).toString('base64')}`;
}

const ref = (instanceId: string, access?: 'instance-connect') => ({ accountId: ACCOUNT, region: REGION, instanceId, ...(access === undefined ? {} : { access }) });

describe('EC2 Instance Connect', () => {
  it('connects with a pushed one-minute key when no key is held, and runs a command; nothing is stored', async () => {
    const { manager, keys, secrets, instanceId } = rig();
    const before = sim.instanceConnectPushes.length;
    const { connection, target } = await manager.acquire(ref(instanceId));
    try {
      expect(target.auth.kind).toBe('instance-connect');
      const { stdout, code } = await connection.run(argvCommand(['sh', '-c', 'echo keyless-$((6*7))']));
      expect(code).toBe(0);
      expect(stdout.trim()).toBe('keyless-42');
    } finally {
      connection.release();
    }
    const pushes = sim.instanceConnectPushes.slice(before);
    expect(pushes).toEqual([expect.objectContaining({ instanceId, osUser: sshd.username, installed: true })]);
    expect(pushes[0]?.publicKey).toMatch(/^ssh-ed25519 /);
    // The pushed key was never the rig's own, and Hangar kept nothing.
    expect(pushes[0]?.publicKey).not.toBe(sshd.userPublicKey);
    expect(await keys.list()).toEqual([]);
    expect(await secrets.keys()).toEqual([]);
    expect(sim.requests.filter((r) => r.service === 'ec2-instance-connect').at(-1)).toMatchObject({ action: 'SendSSHPublicKey', status: 200, region: REGION });
  });

  it('a pushed key stops working once its time is up', async () => {
    const { instanceId } = rig();
    sim.instanceConnectKeyTtlMs = 1_500;
    const key = makeOneMinuteKey();
    await createInstanceConnectPush({ clientsFor: (id) => pool.clientsFor(id) })({
      accountId: ACCOUNT,
      region: REGION,
      instanceId,
      osUser: sshd.username,
      publicKey: key.publicKey,
      title: 'box',
    });
    const login = () =>
      connectClient({ host: sshd.host, port: sshd.port, username: sshd.username, privateKey: key.privateKey, verifyHostKey: async () => true, readyTimeoutMs: 5_000, keepaliveIntervalMs: 0 });
    const client = await login();
    client.end();
    expect(sim.instanceConnectKeys(instanceId)).toEqual([key.publicKey]);
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    expect(sim.instanceConnectKeys(instanceId)).toEqual([]);
    const refused = await rejected(login());
    expect(String((refused as Error).message)).toMatch(/authentication methods failed/i);
  });

  it('is used on request even when a key is held for the key pair', async () => {
    const { manager, keys, instanceId } = rig({ keyName: 'lab-key' });
    await keys.importMaterial({ name: 'lab-key', privateKey: sshd.userPrivateKey });
    const before = sim.instanceConnectPushes.length;
    const held = await manager.acquire(ref(instanceId));
    expect(held.target.auth.kind).toBe('key');
    held.connection.release();
    manager.dispose();
    const asked = await manager.acquire(ref(instanceId, 'instance-connect'));
    expect(asked.target.auth.kind).toBe('instance-connect');
    asked.connection.release();
    expect(sim.instanceConnectPushes.length).toBe(before + 1);
  });

  it('says which permission is missing when SendSSHPublicKey is denied', async () => {
    const { manager, instanceId } = rig();
    sim.denyActions(['ec2-instance-connect:SendSSHPublicKey']);
    const error = (await caught(manager.acquire(ref(instanceId)))) as HangarError;
    expect(error.code).toBe('AWS_UNAUTHORIZED');
    expect(error.message).toContain('ec2-instance-connect:SendSSHPublicKey');
    expect(error.hint).toMatch(/allow ec2-instance-connect:SendSSHPublicKey.*or connect with the key pair's private key/);
    expect(sim.requests.at(-1)).toMatchObject({ action: 'SendSSHPublicKey', errorCode: 'AccessDeniedException' });
  });

  it('says the instance must be running', async () => {
    const { manager, instanceId } = rig({ state: 'stopped' });
    const error = (await caught(manager.acquire(ref(instanceId)))) as HangarError;
    expect(error.code).toBe('INSTANCE_STOPPED');
    expect(error.hint).toMatch(/Start the instance/);
    expect(sim.requests.at(-1)).toMatchObject({ action: 'SendSSHPublicKey', errorCode: 'EC2InstanceStateInvalidException' });
  });

  it('says when the image has no Instance Connect: on request, and when no key is held', async () => {
    const { manager, instanceId } = rig({ imageId: DEBIAN });
    const before = sim.instanceConnectPushes.length;
    const asked = (await caught(manager.acquire(ref(instanceId, 'instance-connect')))) as HangarError;
    expect(asked.code).toBe('SSH_INSTANCE_CONNECT_UNSUPPORTED');
    expect(asked.message).toMatch(/debian-12.*does not come with EC2 Instance Connect/);
    expect(asked.hint).toMatch(/import its \.pem/);
    const automatic = (await caught(manager.acquire(ref(instanceId)))) as HangarError;
    expect(automatic.code).toBe('SSH_KEY_MISSING');
    expect(automatic.message).toContain('"lost-key"');
    expect(automatic.hint).toMatch(/Import its \.pem.*EC2 Instance Connect cannot stand in/);
    expect(sim.instanceConnectPushes.length).toBe(before);
  });

  it('a key pushed for a user the instance does not log in fails as authentication, saying why', async () => {
    const { manager, settings, instanceId } = rig();
    settings.mutate((s) => ({ ...s, connections: { [instanceId]: { host: `${sshd.host}:${sshd.port}`, user: 'nobody-here' } } }));
    const error = (await caught(manager.acquire(ref(instanceId)))) as HangarError;
    expect(error.code).toBe('SSH_AUTH_FAILED');
    expect(error.message).toMatch(/one-minute EC2 Instance Connect key for the user nobody-here/);
    expect(sim.instanceConnectPushes.at(-1)).toMatchObject({ osUser: 'nobody-here', installed: false });
  });

  it('answers AWS errors for bad input and unknown instances, as the API reference lists them', async () => {
    const client = pool.clientsFor(ACCOUNT).client(EC2InstanceConnectClient, REGION);
    const { instanceId } = rig();
    const send = (input: Partial<{ InstanceId: string; InstanceOSUser: string; SSHPublicKey: string; AvailabilityZone: string }>) =>
      rejected(client.send(new SendSSHPublicKeyCommand({ InstanceId: instanceId, InstanceOSUser: 'ec2-user', SSHPublicKey: makeOneMinuteKey().publicKey, ...input })));
    expect(((await send({ SSHPublicKey: 'ssh-ed25519 not-base64!' })) as Error).name).toBe('InvalidArgsException');
    expect(((await send({ InstanceOSUser: 'bad user' })) as Error).name).toBe('InvalidArgsException');
    expect(((await send({ InstanceId: 'i-0123456789abcdef0' })) as Error).name).toBe('EC2InstanceNotFoundException');
    expect(((await send({ AvailabilityZone: `${REGION}c` })) as Error).name).toBe('InvalidArgsException');
    expect(((await send({ SSHPublicKey: rsaLine(1024) })) as Error).name).toBe('InvalidArgsException');
    expect((await client.send(new SendSSHPublicKeyCommand({ InstanceId: instanceId, InstanceOSUser: 'ec2-user', SSHPublicKey: rsaLine(2048) }))).Success).toBe(true);
    const ok = await client.send(new SendSSHPublicKeyCommand({ InstanceId: instanceId, InstanceOSUser: 'ec2-user', SSHPublicKey: makeOneMinuteKey().publicKey }));
    expect(ok.Success).toBe(true);
    expect(ok.RequestId).toMatch(/^[0-9a-f-]{36}$/);
  });
});
