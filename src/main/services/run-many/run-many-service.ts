import { channelExit } from '../ssh/ssh-connection';
import { randomUUID } from 'node:crypto';
import type { ClientChannel } from 'ssh2';
import type { EventHub } from '../app/event-hub';
import type { Events } from '../../../shared/ipc/contract';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { RunCommandInput, RunHost, RunInfo } from '../../../shared/models/run-many';
import type { ConnectionManager } from '../ssh/create-connection-manager';

export interface RunManyService {
  /** Starts the command on every target (at most `concurrency` at once, the rest queued). */
  start(input: RunCommandInput): RunInfo;
  get(runId: string): RunInfo;
  /** Ends what runs (the remote processes too) and drops what waits. */
  cancel(runId: string): RunInfo;
  /** The same command again on the hosts that failed or were cancelled. */
  rerunFailed(runId: string): RunInfo;
  dispose(): void;
}

export interface RunManyDeps {
  connections: Pick<ConnectionManager, 'acquire'>;
  events: Pick<EventHub<Pick<Events, 'runs.output' | 'runs.changed'>>, 'publish'>;
  /** Connections open at once (default 32). */
  concurrency?: number;
  /** Output kept per host, in characters (default 256 KiB): a chatty command cannot eat memory. */
  outputLimit?: number;
}

interface HostRecord {
  host: RunHost;
  readonly ref: RunCommandInput['targets'][number];
  channel?: ClientChannel | undefined;
  readonly abort: AbortController;
}

interface RunRecord {
  readonly runId: string;
  readonly command: string;
  hosts: HostRecord[];
}

const KEEP_RUNS = 20;

/**
 * "Run command…" on many instances (issue 16): one exec per host over the shared SSH connections, with a
 * pty so that cancelling hangs up the whole remote command (as `ssh -t` does), live output as events,
 * an exit code per host, a bounded queue. Hosts that cannot be reached are reported and the rest go on.
 */
export function createRunManyService(deps: RunManyDeps): RunManyService {
  const concurrency = deps.concurrency ?? 32;
  const limit = deps.outputLimit ?? 256 * 1024;
  const runs = new Map<string, RunRecord>();
  const queue: { run: RunRecord; record: HostRecord }[] = [];
  let active = 0;

  function info(run: RunRecord, withOutput = true): RunInfo {
    const hosts = run.hosts.map((h) => (withOutput ? { ...h.host } : { ...h.host, output: '' }));
    return { runId: run.runId, command: run.command, hosts, finished: hosts.every((h) => h.state !== 'queued' && h.state !== 'running') };
  }

  function changed(run: RunRecord): void {
    deps.events.publish('runs.changed', info(run, false));
  }

  function set(run: RunRecord, record: HostRecord, patch: Partial<RunHost>): void {
    record.host = { ...record.host, ...patch };
    changed(run);
  }

  function append(run: RunRecord, record: HostRecord, text: string): void {
    let output = record.host.output + text;
    let truncated = record.host.truncated;
    if (output.length > limit) {
      output = output.slice(output.length - limit);
      truncated = true;
    }
    record.host = { ...record.host, output, truncated };
    deps.events.publish('runs.output', { runId: run.runId, instanceId: record.ref.instanceId, text });
  }

  function pump(): void {
    while (active < concurrency && queue.length > 0) {
      const next = queue.shift();
      if (next === undefined) break;
      active++;
      void runOne(next.run, next.record).finally(() => {
        active--;
        pump();
      });
    }
  }

  async function runOne(run: RunRecord, record: HostRecord): Promise<void> {
    if (record.host.state !== 'queued') return;
    set(run, record, { state: 'running' });
    let release: (() => void) | undefined;
    try {
      const { connection } = await deps.connections.acquire(record.ref, record.abort.signal);
      release = () => connection.release();
      if (record.abort.signal.aborted) throw record.abort.signal.reason;
      // A pty: closing the channel hangs up the command's whole process group, the way `ssh -t` does.
      const channel = await connection.execPty({ script: run.command }, { term: 'dumb', cols: 200, rows: 50, width: 0, height: 0 });
      record.channel = channel;
      const outcome = await new Promise<{ code?: number; signal?: string }>((resolve) => {
        channel.setEncoding('utf8');
        channel.on('data', (text: string) => append(run, record, text.replace(/\r\n/g, '\n')));
        channel.stderr.on('data', (chunk: Buffer) => append(run, record, chunk.toString('utf8')));
        // The exit status is recorded by the connection from the start: a quick command may be done already.
        channel.on('close', () => resolve(channelExit(channel) ?? {}));
        if (record.abort.signal.aborted) channel.close();
      });
      if (record.abort.signal.aborted) set(run, record, { state: 'cancelled' });
      else {
        const lost = outcome.code === undefined && outcome.signal === undefined;
        set(run, record, {
          state: outcome.code === 0 ? 'ok' : 'failed',
          ...(lost ? { error: { message: 'The connection ended before the command said how it finished.', hint: 'Run it again on this host.' } } : {}),
          ...(outcome.code === undefined ? {} : { exitCode: outcome.code }),
          ...(outcome.signal === undefined ? {} : { signal: outcome.signal }),
        });
      }
    } catch (error) {
      if (record.abort.signal.aborted) set(run, record, { state: 'cancelled' });
      else {
        const failure =
          error instanceof HangarError ? error : new HangarError({ code: 'SSH_FAILED', message: `The command could not be started (${(error as Error).message}).` });
        set(run, record, { state: 'failed', error: { message: failure.message, ...(failure.hint === undefined ? {} : { hint: failure.hint }) } });
      }
    } finally {
      record.channel = undefined;
      release?.();
    }
  }

  function runOf(runId: string): RunRecord {
    const run = runs.get(runId);
    if (!run) throw new HangarError({ code: 'NOT_FOUND', message: 'That command run is no longer known.', hint: 'Run the command again.' });
    return run;
  }

  function start(input: RunCommandInput): RunInfo {
    const run: RunRecord = { runId: `run-${randomUUID()}`, command: input.command, hosts: [] };
    run.hosts = input.targets.map((ref) => ({
      ref,
      abort: new AbortController(),
      host: { instanceId: ref.instanceId, name: ref.name, state: 'queued', output: '', truncated: false },
    }));
    runs.set(run.runId, run);
    // Old finished runs are forgotten: their output is not kept forever.
    for (const [id, old] of runs) {
      if (runs.size <= KEEP_RUNS) break;
      if (info(old, false).finished) runs.delete(id);
    }
    for (const record of run.hosts) queue.push({ run, record });
    changed(run);
    pump();
    return info(run);
  }

  return {
    start,
    get: (runId) => info(runOf(runId)),
    cancel(runId) {
      const run = runOf(runId);
      for (const record of run.hosts) {
        if (record.host.state === 'queued') record.host = { ...record.host, state: 'cancelled' };
        record.abort.abort(new HangarError({ code: 'CANCELLED', message: 'Cancelled.' }));
        record.channel?.close();
      }
      changed(run);
      return info(run);
    },
    rerunFailed(runId) {
      const run = runOf(runId);
      const again = run.hosts.filter((h) => h.host.state === 'failed' || h.host.state === 'cancelled').map((h) => h.ref);
      if (again.length === 0) throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'No host failed: there is nothing to run again.' });
      return start({ targets: again, command: run.command });
    },
    dispose() {
      for (const run of runs.values()) for (const record of run.hosts) record.channel?.close();
      queue.length = 0;
    },
  };
}
