import { createHash, randomBytes } from 'node:crypto';
import { open, mkdir, readdir, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createQueueStore } from '../../src/main/services/transfer/queue-store';
import type { TransferRecord } from '../../src/main/services/transfer/transfer-record';
import { describeTree, sha256File, useTransferRig, waitFor } from './transfer-rig';

const rig = useTransferRig({ sftpLog: true });

const MiB = 1024 * 1024;
/** Writes already on the wire when the link dropped may be written twice; nothing more. */
const IN_FLIGHT_ALLOWANCE = 8 * MiB;

/** `close "<path>" bytes read R written W` lines of the SFTP server, for one path. */
function writtenByServer(logs: string, path: string): number[] {
  const out: number[] = [];
  for (const line of logs.split('\n')) {
    const match = /close "(.*)" bytes read \d+ written (\d+)/.exec(line);
    if (match !== null && match[1] === path) out.push(Number(match[2]));
  }
  return out;
}

function savedQueue(dataDir: string): TransferRecord[] {
  return createQueueStore({ dir: dataDir, logger: silentLogger }).load();
}

async function randomFile(path: string, size: number): Promise<string> {
  const hash = createHash('sha256');
  const file = await open(path, 'w');
  try {
    for (let done = 0; done < size; ) {
      const chunk = randomBytes(Math.min(8 * MiB, size - done));
      hash.update(chunk);
      await file.write(chunk);
      done += chunk.length;
    }
  } finally {
    await file.close();
  }
  return hash.digest('hex');
}

describe('resuming transfers against a real sshd', () => {
  it('reconnects by itself when the SSH connection dies mid-file and does not resend what arrived', async () => {
    const SIZE = 200 * MiB;
    const local = await rig.localScratch('big');
    const source = join(local, 'weights.bin');
    const digest = await randomFile(source, SIZE);
    const remote = await rig.remoteScratch('up-drop');
    const { svc, probe, changes } = rig.service({ deps: { reconnectDelaysMs: [500, 1000, 2000] } });

    const started = Date.now();
    const job = svc.upload({ instance: rig.ref, localPaths: [source], remoteDir: remote });
    const before = await waitFor(() => changes.find((c) => c.jobId === job.jobId && c.doneBytes > 0.3 * SIZE), '30 % sent');
    const firstLegMBps = before.doneBytes / MiB / ((Date.now() - started) / 1000);
    await rig.sshd.dropConnections();
    const waiting = await waitFor(() => changes.find((c) => c.jobId === job.jobId && c.state === 'waiting'), 'the reconnecting state');
    expect(waiting.error).toEqual(expect.objectContaining({ code: 'CONNECTION_LOST', message: 'Connection to gpu-box lost — reconnecting…' }));

    const done = await probe.whenSettled(job.jobId);
    expect(done.state).toBe('completed');
    expect(done.failures).toEqual([]);
    expect(done.doneBytes).toBe(SIZE);
    expect(await sha256File(join(remote, 'weights.bin'))).toBe(digest);
    expect(await readdir(remote)).toEqual(['weights.bin']);

    // The server's own account: the first attempt's close line may be missing (its process was killed).
    const written = writtenByServer(rig.sshd.logs(), join(remote, 'weights.bin.hangar-part'));
    expect(written.length).toBeGreaterThanOrEqual(1);
    const total = written.reduce((a, b) => a + b, 0);
    expect(total).toBeLessThanOrEqual(SIZE + IN_FLIGHT_ALLOWANCE);
    const secondAttempt = written[written.length - 1] as number;
    expect(secondAttempt).toBeLessThanOrEqual(SIZE - before.doneBytes + IN_FLIGHT_ALLOWANCE);
    expect(secondAttempt).toBeGreaterThan(0);
    // And the engine's: bytes it saw acknowledged over both connections.
    expect(probe.bytesOnWire(job.jobId)).toBeGreaterThanOrEqual(SIZE);
    expect(probe.bytesOnWire(job.jobId)).toBeLessThanOrEqual(SIZE + IN_FLIGHT_ALLOWANCE);
    // Progress carried a speed and, once the total was known, an ETA.
    expect(changes.some((c) => c.jobId === job.jobId && c.state === 'running' && c.bytesPerSecond > 0 && c.etaSeconds !== undefined)).toBe(true);
    console.info(`[transfer-resume] 200 MB upload, first leg: ${firstLegMBps.toFixed(0)} MB/s`);
  });

  it('continues after a restart from the saved queue without resending finished files', async () => {
    const local = await rig.localScratch('restart');
    const top = join(local, 'set');
    await mkdir(top);
    const COUNT = 40;
    for (let i = 0; i < COUNT; i++) await writeFile(join(top, `part-${String(i).padStart(2, '0')}.bin`), randomBytes(2 * MiB));
    const remote = await rig.remoteScratch('up-restart');
    await mkdir(join(remote, 'set'));
    const first = rig.service();

    const job = first.svc.upload({ instance: rig.ref, localPaths: [top], remoteDir: remote });
    await waitFor(() => first.changes.find((c) => c.jobId === job.jobId && c.doneFiles >= 8), 'a few files sent');
    await first.dispose();
    // What the next start reads: the queue's own file.
    const saved = savedQueue(first.dataDir).find((t) => t.jobId === job.jobId);
    expect(saved?.state).toBe('running');
    const finishedBefore = new Map<string, number>();
    for (const name of await readdir(join(remote, 'set'))) {
      if (!name.endsWith('.hangar-part')) finishedBefore.set(name, (await stat(join(remote, 'set', name))).mtimeMs);
    }
    expect(finishedBefore.size).toBeGreaterThanOrEqual(8);
    expect(finishedBefore.size).toBeLessThan(COUNT);

    const second = rig.service({ dataDir: first.dataDir });
    const resumed = second.svc.list().find((j) => j.jobId === job.jobId);
    expect(resumed?.state === 'queued' || resumed?.state === 'running').toBe(true);
    const done = await second.probe.whenSettled(job.jobId);
    expect(done.state).toBe('completed');
    expect(done.skippedFiles).toBeGreaterThanOrEqual(finishedBefore.size);
    expect(done.doneFiles + done.skippedFiles).toBe(COUNT);
    expect(await describeTree(join(remote, 'set'))).toEqual(await describeTree(top));
    // Files finished before the restart were left alone: same change time, a single close in the server log.
    const logs = rig.sshd.logs();
    for (const [name, mtimeMs] of finishedBefore) {
      expect((await stat(join(remote, 'set', name))).mtimeMs).toBe(mtimeMs);
      expect(writtenByServer(logs, join(remote, 'set', `${name}.hangar-part`))).toHaveLength(1);
    }
    let total = 0;
    for (let i = 0; i < COUNT; i++) {
      total += writtenByServer(logs, join(remote, 'set', `part-${String(i).padStart(2, '0')}.bin.hangar-part`)).reduce((a, b) => a + b, 0);
    }
    expect(total).toBeLessThanOrEqual(COUNT * 2 * MiB + IN_FLIGHT_ALLOWANCE);
  });

  it('continues a tar-stream job file by file after a restart, skipping what tar finished', async () => {
    const local = await rig.localScratch('tar-restart');
    const top = join(local, 'corpus');
    for (let d = 0; d < 20; d++) {
      await mkdir(join(top, `shard-${d}`), { recursive: true });
      for (let f = 0; f < 100; f++) await writeFile(join(top, `shard-${d}`, `doc-${f}.txt`), randomBytes(16 * 1024));
    }
    const remote = await rig.remoteScratch('up-tar-restart');
    const first = rig.service();

    const job = first.svc.upload({ instance: rig.ref, localPaths: [top], remoteDir: remote });
    await waitFor(() => first.changes.find((c) => c.jobId === job.jobId && c.strategy === 'tar' && c.doneFiles >= 300), 'tar under way');
    await first.dispose();
    expect(savedQueue(first.dataDir).find((t) => t.jobId === job.jobId)?.strategy).toBe('tar');
    // "Done" in a tar stream means handed to the channel; what the remote tar had written when it stopped counts.
    await new Promise((resolve) => setTimeout(resolve, 500));
    let completeBefore = 0;
    for (let d = 0; d < 20; d++) {
      for (const name of await readdir(join(remote, 'corpus', `shard-${d}`)).catch(() => [])) {
        const there = await stat(join(remote, 'corpus', `shard-${d}`, name));
        const source = await stat(join(top, `shard-${d}`, name));
        if (there.size === source.size && Math.floor(there.mtimeMs / 1000) === Math.floor(source.mtimeMs / 1000)) completeBefore++;
      }
    }
    expect(completeBefore).toBeGreaterThan(100);

    const second = rig.service({ dataDir: first.dataDir });
    const done = await second.probe.whenSettled(job.jobId);
    expect(done.state).toBe('completed');
    expect(done.strategy).toBe('sftp');
    expect(done.conflict).toBeUndefined();
    expect(done.failures).toEqual([]);
    expect(done.skippedFiles).toBe(completeBefore);
    expect(done.doneFiles + done.skippedFiles).toBe(2000);
    expect(await describeTree(join(remote, 'corpus'))).toEqual(await describeTree(top));
  });
});
