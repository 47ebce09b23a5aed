/**
 * The "service process" of bench/transfer.ts: the real connection manager + transfer service, alone in a
 * process so its peak RSS is the service's own. Driven over IPC: {t:'upload', paths, remoteDir} → {t:'done', ms, job}.
 * On {t:'exit'} it reports `process.resourceUsage().maxRSS` (the kernel's lifetime peak, in KiB).
 */
import { join } from 'node:path';
import { createEventHub } from '../src/main/services/app/event-hub';
import { createEc2ClientPool } from '../src/main/services/ec2/ec2-client-pool';
import { createEc2Service } from '../src/main/services/ec2/ec2-service';
import { silentLogger } from '../src/main/services/logging/logger';
import { createConfSettingsBackend } from '../src/main/services/settings/conf-settings-backend';
import { createSettingsStore } from '../src/main/services/settings/settings-store';
import { createConnectionManager } from '../src/main/services/ssh/create-connection-manager';
import type { KeysService } from '../src/main/services/ssh/keys-service';
import { createTransferService } from '../src/main/services/transfer/create-transfer-service';
import type { Events } from '../src/shared/ipc/contract';
import type { SshKeySummary } from '../src/shared/models/ssh';

interface Setup {
  simUrl: string;
  accessKeyId: string;
  secretAccessKey: string;
  instanceId: string;
  sshPort: number;
  username: string;
  privateKey: string;
  hostKeyFingerprint: string;
  work: string;
}

type Command = { t: 'upload'; paths: string[]; remoteDir: string } | { t: 'exit' };

const send = (message: unknown): void => void process.send?.(message);
const setup = JSON.parse(process.env.HANGAR_BENCH_SETUP ?? '{}') as Setup;
const pool = createEc2ClientPool({
  credentialsFor: () => async () => ({ accessKeyId: setup.accessKeyId, secretAccessKey: setup.secretAccessKey }),
  endpoint: setup.simUrl,
});
const summary: SshKeySummary = {
  id: 'bench-key',
  name: 'bench',
  type: 'ssh-ed25519',
  fingerprintSha256: 'SHA256:bench',
  format: 'openssh',
  encrypted: false,
  passphraseRemembered: false,
  addedAt: new Date().toISOString(),
};
// The key store is not what is measured: it hands out the rig's user key.
const keys: Pick<KeysService, 'material' | 'findForKeyPair' | 'list'> = {
  list: async () => [summary],
  material: async () => ({ privateKey: setup.privateKey }),
  findForKeyPair: async () => summary,
};
const settings = createSettingsStore(createConfSettingsBackend(join(setup.work, `settings-${process.pid}`)));
settings.mutate((s) => ({ ...s, connections: { ...s.connections, [setup.instanceId]: { host: `127.0.0.1:${setup.sshPort}` } } }));
const ec2 = createEc2Service({ clientsFor: (id) => pool.clientsFor(id) });
const connections = createConnectionManager({ settings, keys, ec2, logger: silentLogger, userCandidates: () => [setup.username] });
const transfers = createTransferService({ connections, settings, events: createEventHub<Events>(), ec2, logger: silentLogger });
const instance = { accountId: 'bench', region: 'us-east-1', instanceId: setup.instanceId, acceptHostKey: setup.hostKeyFingerprint };

// Connect once up front: the anchors' timings include their handshake, ours then include none — so count it.
process.on('message', (message: Command) => {
  if (message.t === 'exit') {
    void transfers.dispose().then(() => {
      connections.dispose();
      pool.destroy();
      send({ t: 'rss', maxRssKiB: process.resourceUsage().maxRSS });
      setTimeout(() => process.exit(0), 50);
    });
    return;
  }
  const started = performance.now();
  void (async () => {
    const job = transfers.upload({ instance, localPaths: message.paths, remoteDir: message.remoteDir, conflict: 'overwrite' });
    const settled = await transfers.whenSettled(job.jobId);
    send({ t: 'done', ms: performance.now() - started, job: settled });
  })().catch((error: unknown) => send({ t: 'error', message: String(error) }));
});
send({ t: 'ready' });
