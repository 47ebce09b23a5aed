import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdir } from 'node:fs/promises';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { requireBinary } from './system-deps';

/**
 * A real Jupyter Notebook server (Debian `jupyter-notebook`) as the "remote" service behind the sshd rig.
 * It runs with HOME = the rig's home, so discovery over SSH (whose sessions get the same HOME through the
 * rig's `SetEnv HOME=`) reads the same runtime dir and finds it, token and all.
 */
export interface JupyterRig {
  readonly port: number;
  readonly token: string;
  readonly baseUrl: '/';
  readonly home: string;
  readonly runtimeDir: string;
  /** Output so far (for failure messages). */
  logs(): string;
  stop(): Promise<void>;
}

export function jupyterRuntimeDir(home: string): string {
  return join(home, '.local', 'share', 'jupyter', 'runtime');
}

export function freeLoopbackPort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** Kills a detached child's whole process group (Jupyter's kernels included). */
function killGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // Already gone.
  }
}

export async function startJupyter(options: { home: string; port?: number }): Promise<JupyterRig> {
  const jupyter = requireBinary('jupyter', 'jupyter-notebook');
  const token = randomBytes(24).toString('hex');
  const port = options.port ?? (await freeLoopbackPort());
  const runtimeDir = jupyterRuntimeDir(options.home);
  await mkdir(runtimeDir, { recursive: true });
  const args = ['notebook', '--no-browser', '--ip=127.0.0.1', `--port=${port}`, '--port-retries=0', `--NotebookApp.token=${token}`, `--notebook-dir=${options.home}`];
  // The test machine may run as root (containers); Jupyter refuses that without the flag.
  if (process.getuid?.() === 0) args.push('--allow-root');
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH ?? '/usr/bin:/bin',
    HOME: options.home,
    JUPYTER_RUNTIME_DIR: runtimeDir,
    LANG: 'C.UTF-8',
  };
  const child = spawn(jupyter, args, { env, cwd: options.home, detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const collect = (chunk: Buffer): void => {
    if (output.length < 200_000) output += chunk.toString('utf8');
  };
  child.stdout?.on('data', collect);
  child.stderr?.on('data', collect);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const emergency = (): void => killGroup(child, 'SIGKILL');
  process.once('exit', emergency);

  const rig: JupyterRig = {
    port,
    token,
    baseUrl: '/',
    home: options.home,
    runtimeDir,
    logs: () => output.replaceAll(token, '[token]'),
    stop: async () => {
      process.removeListener('exit', emergency);
      if (child.exitCode !== null || child.signalCode !== null) return;
      killGroup(child, 'SIGTERM');
      const timer = setTimeout(() => killGroup(child, 'SIGKILL'), 5000);
      await exited;
      clearTimeout(timer);
    },
  };

  // Up when its API answers (the runtime file is written at the same moment).
  const deadline = Date.now() + 30_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`jupyter notebook exited early (${child.exitCode}):\n${rig.logs()}`);
    try {
      const res = await fetch(`http://127.0.0.1:${port}/api/status`, { headers: { Authorization: `token ${token}` } });
      if (res.status === 200) break;
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await rig.stop();
      throw new Error(`jupyter notebook did not answer on port ${port} within 30 s:\n${rig.logs()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return rig;
}
