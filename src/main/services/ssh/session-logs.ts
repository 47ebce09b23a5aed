import { randomBytes } from 'node:crypto';
import { chmodSync, createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { join } from 'node:path';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { SessionLogState } from '../../../shared/models/ssh';
import { PlainTextLog } from './plain-text-log';

export interface SessionLogs {
  /** Starts writing the session's output to a new file; already on: the current state. */
  start(sessionId: string, instanceName: string, options: { timestamps: boolean }): Promise<SessionLogState>;
  stop(sessionId: string): Promise<SessionLogState>;
  state(sessionId: string): SessionLogState;
  /** The session's output, as the terminal got it. */
  append(sessionId: string, bytes: Uint8Array): void;
  /** The session ended: its log is finished and closed. */
  ended(sessionId: string): void;
  /** Opens the session's log (or the newest one it had) with the system's text viewer. */
  open(sessionId: string): Promise<void>;
  dispose(): Promise<void>;
}

interface OpenLog {
  readonly path: string;
  readonly timestamps: boolean;
  readonly text: PlainTextLog;
  readonly file: WriteStream;
}

/**
 * Session logs (issue 19): a terminal's *output* as plain text, in an owner-only file under the app's
 * folder. Only output is written, never keystrokes: what a user types at a hidden password prompt is not
 * echoed by the remote pty, so it never appears in the output and cannot reach the log.
 */
export function createSessionLogs(deps: { dir: string; openPath(path: string): Promise<void>; now?: () => Date }): SessionLogs {
  const now = deps.now ?? (() => new Date());
  const open = new Map<string, OpenLog>();
  // The last file each session wrote, so "Open log" still works after logging was turned off.
  const last = new Map<string, string>();

  function stamp(date: Date): string {
    const pad = (n: number): string => String(n).padStart(2, '0');
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
  }

  function write(log: OpenLog, lines: readonly string[]): void {
    if (lines.length === 0) return;
    const prefix = log.timestamps ? `[${stamp(now())}] ` : '';
    log.file.write(lines.map((line) => `${prefix}${line}\n`).join(''));
  }

  function finish(sessionId: string): Promise<void> {
    const log = open.get(sessionId);
    if (log === undefined) return Promise.resolve();
    open.delete(sessionId);
    write(log, log.text.end());
    return new Promise((resolve) => log.file.end(() => resolve()));
  }

  function stateOf(sessionId: string): SessionLogState {
    const log = open.get(sessionId);
    if (log !== undefined) return { on: true, path: log.path, timestamps: log.timestamps };
    const path = last.get(sessionId);
    return { on: false, timestamps: false, ...(path === undefined ? {} : { path }) };
  }

  return {
    async start(sessionId, instanceName, options) {
      if (open.has(sessionId)) return stateOf(sessionId);
      // Everything up to open.set runs in this turn, so output arriving meanwhile (the first prompt of a
      // terminal logged from its start) is already written; the stream queues it until the file is open.
      try {
        mkdirSync(deps.dir, { recursive: true, mode: 0o700 });
      } catch (error) {
        throw new HangarError({ code: 'LOCAL_WRITE_FAILED', message: `The folder for session logs could not be made (${(error as NodeJS.ErrnoException).code ?? 'error'}).`, hint: `Check that ${deps.dir} can be written.` });
      }
      try {
        chmodSync(deps.dir, 0o700);
      } catch {
        // A folder we cannot chmod still takes files of mode 0600.
      }
      const safeName = instanceName.replace(/[^A-Za-z0-9._-]+/g, '_').slice(0, 60) || 'terminal';
      const started = stamp(now()).replace(/[-: ]/g, '').replace(/^(\d{8})(\d{6})$/, '$1-$2');
      const path = join(deps.dir, `${safeName}-${started}-${randomBytes(2).toString('hex')}.log`);
      const file = createWriteStream(path, { flags: 'a', mode: 0o600 });
      open.set(sessionId, { path, timestamps: options.timestamps, text: new PlainTextLog(), file });
      await new Promise<void>((resolve, reject) => {
        file.once('open', () => resolve());
        file.once('error', (error) => {
          open.delete(sessionId);
          reject(new HangarError({ code: 'LOCAL_WRITE_FAILED', message: `The session log could not be created (${(error as NodeJS.ErrnoException).code ?? error.message}).`, hint: `Check that ${deps.dir} can be written.` }));
        });
      });
      file.on('error', () => undefined);
      last.set(sessionId, path);
      return stateOf(sessionId);
    },
    async stop(sessionId) {
      await finish(sessionId);
      return stateOf(sessionId);
    },
    state: stateOf,
    append(sessionId, bytes) {
      const log = open.get(sessionId);
      if (log !== undefined) write(log, log.text.push(bytes));
    },
    ended(sessionId) {
      void finish(sessionId);
    },
    async open(sessionId) {
      const path = open.get(sessionId)?.path ?? last.get(sessionId);
      if (path === undefined) {
        throw new HangarError({ code: 'NOT_FOUND', message: 'This terminal has no session log yet.', hint: 'Turn on "Log this session" in the tab\'s menu first.' });
      }
      await deps.openPath(path);
    },
    async dispose() {
      await Promise.all([...open.keys()].map((id) => finish(id)));
    },
  };
}
