import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { chown, lstat, mkdir, mkdtemp, readdir, readlink, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll } from 'vitest';
import { createEventHub } from '../../src/main/services/app/event-hub';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service, type Ec2Service } from '../../src/main/services/ec2/ec2-service';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore, type SettingsStore } from '../../src/main/services/settings/settings-store';
import { createConnectionManager, type ConnectionManager } from '../../src/main/services/ssh/create-connection-manager';
import { createTransferService, type TransferServiceDeps } from '../../src/main/services/transfer/create-transfer-service';
import { createQueueStore } from '../../src/main/services/transfer/queue-store';
import type { TransferEvents, TransferService } from '../../src/main/services/transfer/transfer-service';
import { createTransferTestProbe, type TransferTestProbe } from '../../src/main/services/transfer/transfer-test-probe';
import type { InstanceRef, TransferJob } from '../../src/shared/models/transfers';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { startSshd, type Sshd } from '../support/sshd';
import { stubKeyStore } from '../support/stub-key-store';

/**
 * Shared wiring for the transfer suites (test/integration/transfer-*.test.ts): the real sshd rig, the EC2
 * simulator with an instance routed to it, and the transfer service over a real connection manager.
 */
const REGION = 'eu-west-1';
const ACCOUNT = 'acct-main';
const KEY_PAIR = 'hangar-test';

export interface ServiceRig {
  svc: TransferService;
  /** Where this service's settings.json and transfer-queue.json live. */
  dataDir: string;
  /** whenSettled / bytesOnWire: what the tests ask and the app never does. */
  probe: TransferTestProbe;
  settings: SettingsStore;
  connections: ConnectionManager;
  /** Every `transfers.changed` and `transfers.progress` payload, in order. */
  changes: TransferJob[];
  /** Only the `transfers.progress` payloads (counters moving between state changes). */
  progress: TransferJob[];
  dispose(): Promise<void>;
}

export interface TransferRig {
  readonly sshd: Sshd;
  readonly sim: Ec2Simulator;
  /** The EC2 service over the simulator (for other services built on the same rig). */
  readonly ec2: Ec2Service;
  /** Scratch space on this machine for one suite. */
  readonly work: string;
  readonly instanceId: string;
  readonly ref: InstanceRef;
  /** A transfer service; pass an earlier one's `dataDir` to start over its saved settings and queue (restart). */
  service(options?: { dataDir?: string; deps?: Partial<TransferServiceDeps> }): ServiceRig;
  /** A new folder in the remote home, removed after the test. */
  remoteScratch(name: string): Promise<string>;
  /** A new local folder, removed after the test. */
  localScratch(name: string): Promise<string>;
  /** Runs after the current test. */
  later(cleanup: () => unknown): void;
}

export function useTransferRig(
  options: { sftpLog?: boolean; loginUser?: string; env?: Record<string, string>; extraConfig?: readonly string[] } = {},
): TransferRig {
  let restoreEnv: () => void = () => undefined;
  const cleanups: (() => unknown)[] = [];
  let sshd: Sshd;
  let sim: Ec2Simulator;
  let pool: AwsClientPool;
  let ec2: Ec2Service;
  let work: string;
  let instanceId: string;
  let counter = 0;

  beforeAll(async () => {
    restoreEnv = isolateAwsEnv();
    work = await mkdtemp(join(tmpdir(), 'hangar-transfer-'));
    sshd = await startSshd({
      sftpLog: options.sftpLog === true,
      ...(options.loginUser === undefined ? {} : { loginUser: options.loginUser }),
      ...(options.env === undefined ? {} : { env: options.env }),
      ...(options.extraConfig === undefined ? {} : { extraConfig: options.extraConfig }),
    });
    sim = await startEc2Simulator();
    pool = createAwsClientPool({
      credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
      endpoint: sim.url,
    });
    ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
    instanceId = sim.addInstance(REGION, { publicIp: '203.0.113.10', keyName: KEY_PAIR, name: 'gpu-box' });
  });

  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  afterAll(async () => {
    pool?.destroy();
    await sim?.close();
    await sshd?.stop();
    if (work !== undefined) await rm(work, { recursive: true, force: true });
    restoreEnv();
  });

  return {
    get sshd() {
      return sshd;
    },
    get sim() {
      return sim;
    },
    get ec2() {
      return ec2;
    },
    get work() {
      return work;
    },
    get instanceId() {
      return instanceId;
    },
    get ref(): InstanceRef {
      return { accountId: ACCOUNT, region: REGION, instanceId, acceptHostKey: sshd.hostKeyFingerprintSha256 };
    },
    service(serviceOptions = {}) {
      const dataDir = serviceOptions.dataDir ?? join(work, `data-${counter++}`);
      const settings = createSettingsStore(createSettingsFileBackend(dataDir));
      const queue = createQueueStore({ dir: dataDir, logger: silentLogger });
      settings.mutate((s) => ({ ...s, connections: { ...s.connections, [instanceId]: { host: `127.0.0.1:${sshd.port}` } } }));
      // Not what is under test: hands out the rig's user key for the key pair "hangar-test".
      const keys = stubKeyStore(sshd.userPrivateKey, KEY_PAIR);
      const connections = createConnectionManager({
        settings,
        keys,
        ec2,
        logger: silentLogger,
        userCandidates: () => [sshd.username],
        refusedRetryMs: 0,
      });
      const events = createEventHub<TransferEvents>();
      const changes: TransferJob[] = [];
      const progress: TransferJob[] = [];
      events.subscribe((name, payload) => {
        if (name === 'transfers.changed' || name === 'transfers.progress') changes.push(payload as TransferJob);
        if (name === 'transfers.progress') progress.push(payload as TransferJob);
      });
      const svc = createTransferService({ connections, queue, events, ec2, logger: silentLogger, ...serviceOptions.deps });
      let disposed = false;
      const dispose = async (): Promise<void> => {
        if (disposed) return;
        disposed = true;
        await svc.dispose();
        connections.dispose();
      };
      cleanups.push(dispose);
      return { svc, dataDir, probe: createTransferTestProbe(svc), settings, connections, changes, progress, dispose };
    },
    async remoteScratch(name) {
      const dir = join(sshd.home, `${name}-${counter++}`);
      await mkdir(dir);
      await chown(dir, sshd.uid, sshd.gid);
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
    async localScratch(name) {
      const dir = join(work, `${name}-${counter++}`);
      await mkdir(dir);
      cleanups.push(() => rm(dir, { recursive: true, force: true }));
      return dir;
    },
    later(cleanup) {
      cleanups.push(cleanup);
    },
  };
}

export function sha256File(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const hash = createHash('sha256');
    createReadStream(path)
      .on('data', (chunk) => hash.update(chunk))
      .on('error', reject)
      .on('end', () => resolve(hash.digest('hex')));
  });
}

export interface TreeEntry {
  readonly kind: 'file' | 'directory' | 'symlink';
  readonly mode: number;
  /** Seconds (files only; folder mtimes move as files land in them). */
  readonly mtime?: number;
  readonly sha256?: string;
  readonly size?: number;
  readonly target?: string;
}

/** Every entry under `root` by relative path: kind, mode, mtime (s), content hash. Links are not followed. */
export async function describeTree(root: string, rel = ''): Promise<Map<string, TreeEntry>> {
  const out = new Map<string, TreeEntry>();
  for (const name of (await readdir(join(root, rel))).sort()) {
    const childRel = rel === '' ? name : `${rel}/${name}`;
    const path = join(root, childRel);
    const info = await lstat(path);
    if (info.isSymbolicLink()) {
      out.set(childRel, { kind: 'symlink', mode: info.mode & 0o7777, target: await readlink(path) });
    } else if (info.isDirectory()) {
      out.set(childRel, { kind: 'directory', mode: info.mode & 0o7777 });
      for (const [k, v] of await describeTree(root, childRel)) out.set(k, v);
    } else {
      out.set(childRel, {
        kind: 'file',
        mode: info.mode & 0o7777,
        mtime: Math.floor(info.mtimeMs / 1000),
        size: info.size,
        sha256: await sha256File(path),
      });
    }
  }
  return out;
}

/** Polls until `probe` returns something truthy. */
export async function waitFor<T>(probe: () => T | undefined | false | Promise<T | undefined | false>, what: string, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

export async function exists(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined)) !== undefined;
}
