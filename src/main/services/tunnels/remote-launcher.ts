import { HangarError } from '../../../shared/errors/hangar-error';
import { argvCommand, commandLine } from '../ssh/remote-command';
import { redact } from '../logging/redact';
import type { RemoteHost } from './remote-host';
import { runLoginShell } from './remote-shell';

/** What the login shell on the instance offers for starting a server. */
export interface RemoteFacts {
  readonly home: string;
  readonly uid: number;
  readonly tmux: boolean;
  /** Absolute paths (a tmux server started earlier may have another PATH than this login shell). */
  readonly jupyter?: string;
  readonly lab: boolean;
  readonly tensorboard?: string;
}

const FACTS_SCRIPT = `
printf 'home=%s\\n' "$HOME"
printf 'uid=%s\\n' "$(id -u)"
command -v tmux >/dev/null 2>&1 && echo 'tmux=1'
j=$(command -v jupyter 2>/dev/null) && printf 'jupyter=%s\\n' "$j"
if [ -n "$j" ] && jupyter lab --version >/dev/null 2>&1; then echo 'lab=1'; fi
t=$(command -v tensorboard 2>/dev/null) && printf 'tensorboard=%s\\n' "$t"
exit 0
`;

export async function remoteFacts(connection: Pick<RemoteHost, 'run'>): Promise<RemoteFacts> {
  const { stdout } = await runLoginShell(connection, FACTS_SCRIPT, [], 60_000);
  const values = new Map<string, string>();
  for (const line of stdout.split('\n')) {
    const at = line.indexOf('=');
    if (at > 0) values.set(line.slice(0, at), line.slice(at + 1));
  }
  const jupyter = values.get('jupyter');
  const tensorboard = values.get('tensorboard');
  return {
    home: values.get('home') ?? '',
    uid: Number(values.get('uid') ?? '-1'),
    tmux: values.get('tmux') === '1',
    lab: values.get('lab') === '1',
    ...(jupyter ? { jupyter } : {}),
    ...(tensorboard ? { tensorboard } : {}),
  };
}

/** "~" and "~/x" are the login user's home; relative paths are taken from there too (as in a new shell). */
export function resolveRemotePath(path: string, home: string): string {
  if (path === '~' || path === '') return home;
  if (path.startsWith('~/')) return `${home}/${path.slice(2)}`;
  if (path.startsWith('/')) return path;
  return `${home}/${path}`;
}

export interface LaunchResult {
  /** How it was kept alive: a tmux session (its name) or nohup. */
  readonly keeper: string;
  readonly logPath: string;
}

/**
 * Starts a long-running server detached from this SSH session: inside tmux when the instance has it (it
 * survives disconnects, and the user can attach to see its output), else under nohup. Output goes to a log
 * file under ~/.hangar so a failed start can be explained.
 */
export async function launchDetached(connection: Pick<RemoteHost, 'run'>, facts: RemoteFacts, name: string, argv: readonly string[]): Promise<LaunchResult> {
  const logDir = `${facts.home}/.hangar`;
  const logPath = `${logDir}/${name}.log`;
  // The server's own command line. tmux hands it to the user's default shell (fish, csh…), so it is a
  // login-shell-proof line too: /bin/sh appends the output to the log and execs the argv.
  const server = commandLine({ script: 'log=$1; shift; exec "$@" >> "$log" 2>&1', args: [logPath, ...argv] });
  const prepare = 'mkdir -p "$1" && : > "$2"';
  let keeper: string;
  let script: string;
  if (facts.tmux) {
    keeper = `tmux session ${name}`;
    // A session of that name left over from an earlier run (its server gone) is replaced.
    script = `${prepare} && { tmux kill-session -t "$3" 2>/dev/null; tmux new-session -d -s "$3" "$4"; }`;
  } else {
    keeper = 'nohup';
    script = `${prepare} && nohup /bin/sh -c "$4" > /dev/null 2>&1 < /dev/null &`;
  }
  const { code } = await connection.run({ script, args: [logDir, logPath, name, server] }, 20_000);
  if (code !== 0 && code !== undefined) {
    throw new HangarError({
      code: 'JUPYTER_START_FAILED',
      message: `The instance could not start ${argv[0] ?? 'the server'} (${keeper} exited with ${code}).`,
      hint: 'Open a terminal on the instance and run the command by hand to see what it says.',
    });
  }
  return { keeper, logPath };
}

/** The end of a start log, with anything token-like taken out (Jupyter prints its URL with the token). */
export async function logTail(connection: Pick<RemoteHost, 'run'>, logPath: string): Promise<string> {
  try {
    const { stdout } = await connection.run(argvCommand(['tail', '-n', '15', logPath]), 5000);
    return redact(stdout).trim();
  } catch {
    return '';
  }
}
