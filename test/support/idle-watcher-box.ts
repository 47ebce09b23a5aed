import { chmod, mkdir, mkdtemp, readFile, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * A temp dir in which the idle watcher script runs as on an instance, with its outside world replaced
 * through its HANGAR_IDLE_* variables: a `shutdown` and a `logger` that record their calls, a console
 * file, a load average file, an (optional) fake `nvidia-smi`, and views of /proc, the tmux socket dir and
 * Jupyter's runtime dirs that hold only what a test puts there. A "minute" is one second.
 */
export interface WatcherBox {
  readonly dir: string;
  readonly scriptPath: string;
  readonly stateDir: string;
  readonly runtimeDir: string;
  readonly tmuxDir: string;
  readonly screenDir: string;
  /** The variables for one run; `extra` overrides or adds. */
  env(extra?: Record<string, string>): Record<string, string>;
  /** A fake nvidia-smi printing these utilisations (one GPU a line); undefined: no nvidia-smi at all. */
  setGpu(percents: readonly string[] | undefined): Promise<void>;
  setLoad(oneMinute: string): Promise<void>;
  /** What the stand-in `who` prints. */
  setWho(lines: readonly string[]): Promise<void>;
  /** The /proc the script sees: links to these real /proc/<pid> entries only. */
  setProcView(pids: readonly number[]): Promise<void>;
  shutdownCalls(): Promise<string[]>;
  loggerLines(): Promise<string[]>;
  console(): Promise<string>;
  state(): Promise<Record<string, string>>;
  writeState(values: Record<string, string>): Promise<void>;
  cleanup(): Promise<void>;
}

async function readOr(path: string, fallback: string): Promise<string> {
  try {
    return await readFile(path, 'utf8');
  } catch {
    return fallback;
  }
}

const lines = (text: string): string[] => text.split('\n').filter((l) => l !== '');

async function script(path: string, body: string): Promise<void> {
  await writeFile(path, `#!/bin/sh\n${body}\n`);
  await chmod(path, 0o755);
}

export async function createWatcherBox(scriptText: string): Promise<WatcherBox> {
  const dir = await mkdtemp(join(tmpdir(), 'hangar-idle-box-'));
  // Other users' sessions may run the script (the rig's sshd user): the box is readable by all.
  await chmod(dir, 0o755);
  const bin = join(dir, 'bin');
  const paths = {
    scriptPath: join(dir, 'hangar-idle-watcher'),
    stateDir: join(dir, 'state'),
    runtimeDir: join(dir, 'jupyter-runtime'),
    tmuxDir: join(dir, 'tmux'),
    screenDir: join(dir, 'screen'),
    proc: join(dir, 'proc'),
    loadavg: join(dir, 'loadavg'),
    who: join(dir, 'who.txt'),
    console: join(dir, 'console'),
    kmsg: join(dir, 'kmsg'),
    shutdownLog: join(dir, 'shutdown.log'),
    loggerLog: join(dir, 'logger.log'),
  };
  for (const d of [bin, paths.runtimeDir, paths.tmuxDir, paths.screenDir, paths.proc]) await mkdir(d, { recursive: true });
  await writeFile(paths.scriptPath, scriptText, { mode: 0o755 });
  await writeFile(paths.loadavg, '0.00 0.01 0.05 1/123 4567\n');
  await writeFile(paths.who, '');
  await script(join(bin, 'shutdown'), `printf '%s\\n' "$*" >> '${paths.shutdownLog}'`);
  await script(join(bin, 'logger'), `printf '%s\\n' "$*" >> '${paths.loggerLog}'`);
  await script(join(bin, 'who'), `cat '${paths.who}'`);

  const box: WatcherBox = {
    dir,
    scriptPath: paths.scriptPath,
    stateDir: paths.stateDir,
    runtimeDir: paths.runtimeDir,
    tmuxDir: paths.tmuxDir,
    screenDir: paths.screenDir,
    env: (extra = {}) => ({
      HANGAR_IDLE_MINUTE_SECONDS: '1',
      HANGAR_IDLE_STATE_DIR: paths.stateDir,
      HANGAR_IDLE_NVIDIA_SMI: join(bin, 'nvidia-smi'),
      HANGAR_IDLE_JUPYTER: join(bin, 'no-jupyter-here'),
      HANGAR_IDLE_JUPYTER_RUNTIME_DIRS: paths.runtimeDir,
      HANGAR_IDLE_WHO: join(bin, 'who'),
      HANGAR_IDLE_PROC: paths.proc,
      HANGAR_IDLE_TMUX_TMPDIR: paths.tmuxDir,
      HANGAR_IDLE_SCREEN_DIR: paths.screenDir,
      HANGAR_IDLE_LOADAVG: paths.loadavg,
      HANGAR_IDLE_LOGGER: join(bin, 'logger'),
      HANGAR_IDLE_CONSOLE: paths.console,
      HANGAR_IDLE_KMSG: paths.kmsg,
      HANGAR_IDLE_SHUTDOWN: join(bin, 'shutdown'),
      ...extra,
    }),
    async setGpu(percents) {
      const path = join(bin, 'nvidia-smi');
      if (percents === undefined) await rm(path, { force: true });
      // Like the real one: refuses anything but the query the watcher makes.
      else await script(path, `[ "$1" = --query-gpu=utilization.gpu ] || exit 2\nprintf '%s\\n' ${percents.map((p) => `'${p}'`).join(' ')}`);
    },
    async setLoad(oneMinute) {
      await writeFile(paths.loadavg, `${oneMinute} 0.01 0.05 1/123 4567\n`);
    },
    async setWho(whoLines) {
      await writeFile(paths.who, whoLines.map((l) => `${l}\n`).join(''));
    },
    async setProcView(pids) {
      await rm(paths.proc, { recursive: true, force: true });
      await mkdir(paths.proc);
      for (const pid of pids) await symlink(`/proc/${pid}`, join(paths.proc, String(pid)));
    },
    shutdownCalls: async () => lines(await readOr(paths.shutdownLog, '')),
    loggerLines: async () => lines(await readOr(paths.loggerLog, '')),
    console: () => readOr(paths.console, ''),
    async state() {
      const out: Record<string, string> = {};
      for (const line of lines(await readOr(join(paths.stateDir, 'state'), ''))) {
        const at = line.indexOf('=');
        out[line.slice(0, at)] = line.slice(at + 1);
      }
      return out;
    },
    async writeState(values) {
      await mkdir(paths.stateDir, { recursive: true });
      await writeFile(join(paths.stateDir, 'state'), Object.entries(values).map(([k, v]) => `${k}=${v}\n`).join(''));
    },
    cleanup: () => rm(dir, { recursive: true, force: true }),
  };
  return box;
}
