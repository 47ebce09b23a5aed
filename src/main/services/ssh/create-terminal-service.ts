import { randomUUID } from 'node:crypto';
import { cancelledError, HangarError } from '../../../shared/errors/hangar-error';
import {
  connectionOverrideSchema,
  type ConnectionOverride,
  type OpenTerminalInput,
  type RunningTerminal,
  type TerminalSession,
} from '../../../shared/models/ssh';
import type { Events } from '../../../shared/ipc/contract';
import { STOPPED_STATES } from '../../../shared/models/ec2';
import type { EventHub } from '../app/event-hub';
import { createConnectionManager, type ConnectionManager, type ConnectionManagerDeps } from './create-connection-manager';
import { mapSshError } from './map-ssh-error';
import { argvCommand, type RemoteCommand } from './remote-command';
import type { SessionLogs } from './session-logs';
import { RecentOutput } from './recent-output';
import type { TerminalService } from './terminal-service';
import type { OpenSsmTerminal } from '../keyless/ssm/ssm-terminal-channel';
import { ChannelPump, TTY_MARKER_PREFIX, type FlowControl } from './terminal-session';

export interface TerminalServiceDeps extends ConnectionManagerDeps {
  /** The app's hub: output is addressed to the window session that opened (or last reconnected) the terminal. */
  events: Pick<EventHub<Pick<Events, 'terminal.data' | 'terminal.closed'>>, 'publish'>;
  flow?: Partial<FlowControl>;
  /** The shared connection manager; built from the other deps when absent (tests, benchmarks). */
  connections?: ConnectionManager;
  /** How long a shell whose window closed (or reloaded) waits for a window to attach it before it is closed. */
  detachGraceMs?: number;
  /** Session logs (issue 19); without them, logging is refused. */
  sessionLogs?: SessionLogs;
  /** Shells through Session Manager (`access: 'session-manager'`); without it, that access is refused. */
  openSsmTerminal?: OpenSsmTerminal;
}

const DEFAULT_FLOW: FlowControl = { highWaterBytes: 1024 * 1024, lowWaterBytes: 256 * 1024, batchMs: 16 };
const SESSION_NAME = 'hangar';
const DEFAULT_DETACH_GRACE_MS = 30_000;

interface SessionRecord {
  readonly sessionId: string;
  input: OpenTerminalInput;
  pump: ChannelPump | undefined;
  summary: TerminalSession | undefined;
  /** Bumped on every (re)connect, so a late 'closed' of an old channel is not mistaken for the current one. */
  generation: number;
  /** The window session its output goes to; undefined: every listening window (tests, benchmarks). */
  owner: string | undefined;
  /** The instance's name, for a window that takes the shell over. */
  instanceName: string;
  readonly recent: RecentOutput;
  /** Set while its window is gone: closes the shell unless a window attaches it first. */
  orphanTimer: NodeJS.Timeout | undefined;
}

export function createTerminalService(deps: TerminalServiceDeps): TerminalService {
  const { settings, events } = deps;
  const flow: FlowControl = { ...DEFAULT_FLOW, ...deps.flow };
  const ownsConnections = deps.connections === undefined;
  const connections = deps.connections ?? createConnectionManager(deps);
  const sessions = new Map<string, SessionRecord>();

  function overrideOf(instanceId: string): ConnectionOverride {
    const c = settings.get().connections[instanceId] ?? {};
    return {
      ...(c.host === undefined ? {} : { host: c.host }),
      ...(c.user === undefined ? {} : { user: c.user }),
      ...(c.keyId === undefined ? {} : { keyId: c.keyId }),
      ...(c.persistent === undefined ? {} : { persistent: c.persistent }),
      ...(c.jumpHost === undefined ? {} : { jumpHost: c.jumpHost }),
      ...(c.jumpKeyId === undefined ? {} : { jumpKeyId: c.jumpKeyId }),
      ...(c.jumpHostKey === undefined ? {} : { jumpHostKey: c.jumpHostKey }),
      ...(c.proxy === undefined ? {} : { proxy: c.proxy }),
    };
  }

  function launchCommand(tool: 'tmux' | 'screen' | undefined): RemoteCommand {
    // `tty` is printed in an OSC sequence (stripped again before output reaches the terminal) so `busy` can look at the pty.
    const marker = `printf '${TTY_MARKER_PREFIX.replace('\x1b', '\\033')}%s\\007' "$(tty)"`;
    // Runs under /bin/sh like every remote command; what the user types into is their own login shell.
    if (tool === 'tmux') return { script: `${marker}; exec tmux new -A -s "$1"`, args: [SESSION_NAME] };
    if (tool === 'screen') return { script: `${marker}; exec screen -xRR "$1"`, args: [SESSION_NAME] };
    return { script: `${marker}; exec "\${SHELL:-/bin/sh}" -l` };
  }

  async function start(record: SessionRecord, cols: number, rows: number, signal?: AbortSignal): Promise<TerminalSession> {
    const { input } = record;
    if (input.access === 'session-manager') return startSessionManager(record, cols, rows, signal);
    const { connection: conn, target } = await connections.acquire(
      {
        accountId: input.accountId,
        region: input.region,
        instanceId: input.instanceId,
        ...(input.acceptHostKey === undefined ? {} : { acceptHostKey: input.acceptHostKey }),
        ...(input.access === 'instance-connect' ? { access: input.access } : {}),
      },
      signal,
    );
    try {
      const tool = target.persistent ? await conn.persistentTool() : undefined;
      const stream = await conn.execPty(launchCommand(tool), { term: 'xterm-256color', cols, rows, width: 0, height: 0 });
      const generation = ++record.generation;
      // "Log every terminal": the log is open before the first byte (the prompt) arrives.
      const prefs = settings.get().terminal;
      if (prefs.logAlways && deps.sessionLogs !== undefined && !deps.sessionLogs.state(record.sessionId).on) {
        deps.sessionLogs.start(record.sessionId, target.title, { timestamps: prefs.logTimestamps }).catch((error: unknown) => deps.logger.warn(`session log not started: ${String(error)}`));
      }
      let released = false;
      record.pump = new ChannelPump(
        record.sessionId,
        stream,
        conn,
        flow,
        {
          data: (event) => {
            record.recent.append(event.data);
            deps.sessionLogs?.append(record.sessionId, event.data);
            events.publish('terminal.data', event, addressed(record));
          },
          closed: (event) => {
            if (record.generation === generation) events.publish('terminal.closed', event, addressed(record));
          },
        },
        () => {
          if (!released) {
            released = true;
            conn.release();
          }
        },
      );
      const summary: TerminalSession = {
        sessionId: record.sessionId,
        instanceId: record.input.instanceId,
        title: `${target.title} — ${conn.user}`,
        user: conn.user,
        host: target.host,
        port: target.port,
        persistent: tool !== undefined,
        ...(tool === undefined ? {} : { persistentTool: tool }),
        hostKey: { fingerprintSha256: conn.hostKey.fingerprintSha256, verifiedBy: conn.hostKey.verifiedBy },
      };
      record.instanceName = target.title;
      record.summary = summary;
      return summary;
    } catch (error) {
      conn.release();
      throw mapSshError(error, target.errorContext);
    }
  }

  /** A shell through Session Manager: no SSH connection, no host key, the same pump, events and logs. */
  async function startSessionManager(record: SessionRecord, cols: number, rows: number, signal?: AbortSignal): Promise<TerminalSession> {
    if (deps.openSsmTerminal === undefined) throw new HangarError({ code: 'NOT_IMPLEMENTED', message: 'Session Manager shells are not available here.' });
    const { accountId, region, instanceId } = record.input;
    const ssm = await deps.openSsmTerminal({ accountId, region, instanceId }, cols, rows, signal);
    const generation = ++record.generation;
    record.pump = new ChannelPump(
      record.sessionId,
      ssm.stream,
      ssm.connection,
      flow,
      {
        data: (event) => {
          record.recent.append(event.data);
          deps.sessionLogs?.append(record.sessionId, event.data);
          events.publish('terminal.data', event, addressed(record));
        },
        closed: (event) => {
          if (record.generation === generation) events.publish('terminal.closed', event, addressed(record));
        },
      },
      () => undefined,
    );
    record.instanceName = ssm.title;
    record.summary = {
      sessionId: record.sessionId,
      instanceId,
      title: `${ssm.title} — Session Manager`,
      user: 'ssm-user',
      host: instanceId,
      port: 0,
      persistent: false,
      hostKey: { fingerprintSha256: '', verifiedBy: 'session-manager' },
    };
    return record.summary;
  }

  function addressed(record: SessionRecord): { to?: string } {
    return record.owner === undefined ? {} : { to: record.owner };
  }

  function adopted(record: SessionRecord, owner: string | undefined): void {
    if (owner !== undefined) record.owner = owner;
    if (record.orphanTimer !== undefined) clearTimeout(record.orphanTimer);
    record.orphanTimer = undefined;
  }

  function closeRecord(record: SessionRecord): void {
    sessions.delete(record.sessionId);
    deps.sessionLogs?.ended(record.sessionId);
    adopted(record, undefined);
    record.pump?.close();
  }

  function sessionOf(sessionId: string): SessionRecord {
    const record = sessions.get(sessionId);
    if (record === undefined) {
      throw new HangarError({ code: 'SSH_SESSION_NOT_FOUND', message: 'That terminal session is no longer open.', hint: 'Open a new terminal.' });
    }
    return record;
  }

  return {
    getOverride: overrideOf,

    async setLogging(sessionId, on, timestamps) {
      const record = sessionOf(sessionId);
      const logs = deps.sessionLogs;
      if (logs === undefined) throw new HangarError({ code: 'INTERNAL', message: 'Session logs are not available here.' });
      if (!on) return logs.stop(sessionId);
      // Switching timestamps on or off starts a new file rather than mixing both in one.
      if (logs.state(sessionId).on && logs.state(sessionId).timestamps !== timestamps) await logs.stop(sessionId);
      return logs.start(sessionId, record.summary?.title.split(' — ')[0] ?? record.instanceName, { timestamps });
    },

    logState(sessionId) {
      sessionOf(sessionId);
      return deps.sessionLogs?.state(sessionId) ?? { on: false, timestamps: false };
    },

    async openLog(sessionId) {
      if (deps.sessionLogs === undefined) throw new HangarError({ code: 'INTERNAL', message: 'Session logs are not available here.' });
      await deps.sessionLogs.open(sessionId);
    },

    forgetHostKey(instanceId) {
      settings.mutate((s) => {
        const { [instanceId]: _forgotten, ...rest } = s.hostKeys;
        return { ...s, hostKeys: rest };
      });
    },

    setOverride(instanceId, override) {
      const parsed = connectionOverrideSchema.safeParse(override);
      if (!parsed.success) {
        throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'Those connection settings are not valid.', hint: parsed.error.issues[0]?.message });
      }
      const next = parsed.data;
      settings.mutate((s) => {
        const rememberedUser = s.connections[instanceId]?.rememberedUser;
        return {
          ...s,
          connections: { ...s.connections, [instanceId]: { ...next, ...(rememberedUser === undefined ? {} : { rememberedUser }) } },
        };
      });
      return overrideOf(instanceId);
    },

    async open(input, signal, owner) {
      const record: SessionRecord = {
        sessionId: randomUUID(),
        input,
        pump: undefined,
        summary: undefined,
        generation: 0,
        owner,
        instanceName: input.instanceId,
        recent: new RecentOutput(),
        orphanTimer: undefined,
      };
      const summary = await start(record, input.cols, input.rows, signal);
      // Its window went away while it connected: nobody would ever see or close this shell.
      if (signal?.aborted) {
        record.pump?.close();
        throw cancelledError();
      }
      sessions.set(record.sessionId, record);
      return summary;
    },

    write(sessionId, data) {
      sessionOf(sessionId).pump?.write(data);
    },

    resize(sessionId, cols, rows) {
      sessionOf(sessionId).pump?.resize(cols, rows);
    },

    ack(sessionId, bytes) {
      sessions.get(sessionId)?.pump?.ack(bytes);
    },

    async reconnect(sessionId, cols, rows, signal, owner) {
      const record = sessionOf(sessionId);
      // A reloaded window that reconnects its tab takes the output over.
      adopted(record, owner);
      const old = record.pump;
      if (old !== undefined && !old.isFinished) {
        record.generation++;
        old.close();
      }
      // The host key is pinned by now; a one-time acceptance must not carry over to a different key.
      const { acceptHostKey: _unused, ...rest } = record.input;
      record.input = { ...rest, cols, rows };
      return start(record, cols, rows, signal);
    },

    async busy(sessionId) {
      const record = sessionOf(sessionId);
      const pump = record.pump;
      if (pump === undefined || pump.isFinished || record.summary?.persistent === true) return false;
      const tty = pump.tty;
      if (tty === undefined || !tty.startsWith('/dev/')) return false;
      try {
        const { stdout } = await pump.connection.run(argvCommand(['ps', '-o', 'pid=,sid=,tpgid=', '-t', tty.slice('/dev/'.length)]));
        const rows = stdout
          .trim()
          .split('\n')
          .map((line) => line.trim().split(/\s+/).map(Number));
        const leader = rows.find((r) => r[0] !== undefined && r[0] === r[1]);
        if (leader === undefined) return false;
        // The shell is idle when its own process group owns the terminal's foreground.
        return leader[2] !== leader[0];
      } catch {
        return false;
      }
    },

    async cwd(sessionId) {
      const record = sessions.get(sessionId);
      const pump = record?.pump;
      if (record === undefined || pump === undefined || pump.isFinished) return undefined;
      const tty = pump.tty;
      if (tty === undefined || !tty.startsWith('/dev/')) return undefined;
      try {
        // The foreground process group's leader on the pty is the shell the user types into (or tmux's
        // client; then the pane's shell is asked through tmux itself).
        const script = [
          'pid=$(ps -o tpgid= -t "$1" | head -n 1 | tr -d " ")',
          'if [ "$2" = tmux ]; then tmux display-message -p -t hangar "#{pane_current_path}" 2>/dev/null && exit 0; fi',
          'readlink "/proc/$pid/cwd"',
        ].join('; ');
        const tool = record.summary?.persistentTool ?? '';
        const { stdout } = await pump.connection.run({ script, args: [tty.slice('/dev/'.length), tool] });
        const dir = stdout.trim().split('\n')[0] ?? '';
        return dir.startsWith('/') ? dir : undefined;
      } catch {
        return undefined;
      }
    },

    async close(sessionId) {
      const record = sessions.get(sessionId);
      if (record !== undefined) closeRecord(record);
    },

    list() {
      const running: RunningTerminal[] = [];
      for (const record of sessions.values()) {
        if (record.summary === undefined || record.pump === undefined || record.pump.isFinished) continue;
        const { accountId, region } = record.input;
        running.push({ session: record.summary, accountId, region, instanceName: record.instanceName, detached: record.orphanTimer !== undefined });
      }
      return running;
    },

    attach(sessionId, owner) {
      const record = sessionOf(sessionId);
      const { pump, summary } = record;
      if (pump === undefined || pump.isFinished || summary === undefined) {
        throw new HangarError({ code: 'SSH_SESSION_NOT_FOUND', message: 'That shell has ended.', hint: 'Open a new terminal.' });
      }
      adopted(record, owner);
      // What the old window never acknowledged is not coming back: let the channel flow again.
      pump.ack(pump.unacknowledged);
      return { session: summary, recentOutput: record.recent.text() };
    },

    windowClosed(owner) {
      for (const record of sessions.values()) {
        if (record.owner !== owner || record.orphanTimer !== undefined) continue;
        record.orphanTimer = setTimeout(() => closeRecord(record), deps.detachGraceMs ?? DEFAULT_DETACH_GRACE_MS);
        record.orphanTimer.unref();
      }
    },

    instancesChanged(changes) {
      for (const change of changes) {
        if (!STOPPED_STATES.has(change.currentState)) continue;
        for (const record of sessions.values()) {
          if (record.input.instanceId === change.instanceId) record.pump?.close('stopped');
        }
      }
    },

    dispose() {
      for (const record of [...sessions.values()]) closeRecord(record);
      if (ownsConnections) connections.dispose();
    },
  };
}
