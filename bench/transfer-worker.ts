/**
 * The "service process" of bench/transfer.ts: the real connection manager + transfer service, alone in a
 * process so its peak RSS is the transfer path's own. Driven over IPC: {t:'upload', paths, remoteDir} →
 * {t:'done', ms, job}. On {t:'exit'} it reports `process.resourceUsage().maxRSS` (the kernel's lifetime
 * peak, in KiB). EC2 lookups (address, console output) are answered by the parent's real EC2 service
 * over IPC: the AWS SDK's EC2 client alone takes ~57 MB of RSS when loaded, which is the app's cost of
 * talking to EC2 at all, not of moving files (the bench prints that figure separately).
 */
import { join } from 'node:path';
import { createEventHub } from '../src/main/services/app/event-hub';
import type { Ec2Service } from '../src/main/services/ec2/ec2-service';
import { silentLogger } from '../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../src/main/services/settings/settings-file-backend';
import { createSettingsStore } from '../src/main/services/settings/settings-store';
import { createConnectionManager } from '../src/main/services/ssh/create-connection-manager';
import { createTransferService } from '../src/main/services/transfer/create-transfer-service';
import { createQueueStore } from '../src/main/services/transfer/queue-store';
import { createTransferTestProbe } from '../src/main/services/transfer/transfer-test-probe';
import type { Events } from '../src/shared/ipc/contract';
import { stubKeyStore } from '../test/support/stub-key-store';

interface Setup {
  instanceId: string;
  sshPort: number;
  username: string;
  privateKey: string;
  hostKeyFingerprint: string;
  work: string;
}

type Command =
  | { t: 'upload'; paths: string[]; remoteDir: string }
  | { t: 'exit' }
  | { t: 'ec2-reply'; id: number; ok: boolean; value: unknown };

const send = (message: unknown): void => void process.send?.(message);
const setup = JSON.parse(process.env.HANGAR_BENCH_SETUP ?? '{}') as Setup;
const pending = new Map<number, { resolve: (value: unknown) => void; reject: (error: Error) => void }>();
let nextId = 0;
function askParent<T>(method: 'describeInstance' | 'consoleOutput', args: unknown[]): Promise<T> {
  const id = nextId++;
  return new Promise<T>((resolve, reject) => {
    pending.set(id, { resolve: resolve as (value: unknown) => void, reject });
    send({ t: 'ec2', id, method, args });
  });
}
const ec2: Pick<Ec2Service, 'describeInstance' | 'consoleOutput'> = {
  describeInstance: (accountId, region, instanceId) => askParent('describeInstance', [accountId, region, instanceId]),
  consoleOutput: (accountId, region, instanceId) => askParent('consoleOutput', [accountId, region, instanceId]),
};
const keys = stubKeyStore(setup.privateKey);
const settings = createSettingsStore(createSettingsFileBackend(join(setup.work, `settings-${process.pid}`)));
settings.mutate((s) => ({ ...s, connections: { ...s.connections, [setup.instanceId]: { host: `127.0.0.1:${setup.sshPort}` } } }));
const connections = createConnectionManager({ settings, keys, ec2, logger: silentLogger, userCandidates: () => [setup.username] });
const queue = createQueueStore({ dir: join(setup.work, `settings-${process.pid}`), logger: silentLogger });
const transfers = createTransferService({ connections, queue, events: createEventHub<Events>(), ec2, logger: silentLogger });
const probe = createTransferTestProbe(transfers);
const instance = { accountId: 'bench', region: 'us-east-1', instanceId: setup.instanceId, acceptHostKey: setup.hostKeyFingerprint };

process.on('message', (message: Command) => {
  if (message.t === 'ec2-reply') {
    const waiter = pending.get(message.id);
    pending.delete(message.id);
    if (message.ok) waiter?.resolve(message.value);
    else waiter?.reject(new Error(String(message.value)));
    return;
  }
  if (message.t === 'exit') {
    void transfers.dispose().then(() => {
      connections.dispose();
      send({ t: 'rss', maxRssKiB: process.resourceUsage().maxRSS });
      setTimeout(() => process.exit(0), 50);
    });
    return;
  }
  const started = performance.now();
  const cpu = process.cpuUsage();
  void (async () => {
    const job = transfers.upload({ instance, localPaths: message.paths, remoteDir: message.remoteDir, conflict: 'overwrite' });
    const settled = await probe.whenSettled(job.jobId);
    const used = process.cpuUsage(cpu);
    // CPU seconds this process spent on the upload (all its threads: JS, GC helpers, libuv's pool).
    send({ t: 'done', ms: performance.now() - started, cpuS: (used.user + used.system) / 1e6, job: settled });
  })().catch((error: unknown) => send({ t: 'error', message: String(error) }));
});
send({ t: 'ready' });
