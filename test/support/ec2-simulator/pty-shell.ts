import { spawn, type ChildProcess } from 'node:child_process';
import { tmpdir } from 'node:os';
import type { Writable } from 'node:stream';
import { findBinary, MissingSystemPartError } from '../system-deps';

/**
 * A real interactive bash in a real pseudo-terminal, for the simulated SSM agent. Node has no pty of its own
 * and node-pty is not a dependency, so python3's pty module holds the master: bytes pass through stdin and
 * stdout, and `<cols> <rows>\n` lines on fd 3 set the window size (the kernel then sends bash SIGWINCH).
 */
const PTY_RELAY = String.raw`
import os, pty, select, struct, fcntl, termios, sys
cols, rows = int(sys.argv[1]), int(sys.argv[2])
pid, fd = pty.fork()
if pid == 0:
    os.execvp('bash', ['bash', '--noprofile', '--norc', '-i'])
def size(c, r):
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack('HHHH', r, c, 0, 0))
size(cols, rows)
def write_all(target, data):
    while data:
        n = os.write(target, data)
        data = data[n:]
watch = [fd, 0, 3]
pending = b''
while True:
    ready, _, _ = select.select(watch, [], [])
    if fd in ready:
        try:
            data = os.read(fd, 65536)
        except OSError:
            break
        if not data:
            break
        write_all(1, data)
    if 0 in ready:
        data = os.read(0, 65536)
        if not data:
            break
        write_all(fd, data)
    if 3 in ready:
        data = os.read(3, 1024)
        if not data:
            watch.remove(3)
        pending += data
        while b'\n' in pending:
            line, pending = pending.split(b'\n', 1)
            c, r = line.split()
            size(int(c), int(r))
try:
    os.kill(pid, 1)
except OSError:
    pass
_, status = os.waitpid(pid, 0)
sys.exit(os.waitstatus_to_exitcode(status) & 0xff)
`;

export interface PtyShell {
  readonly child: ChildProcess;
  write(data: Buffer): void;
  resize(cols: number, rows: number): void;
  /** Hangs up the terminal: bash gets SIGHUP and exits. */
  kill(): void;
}

export function startPtyShell(onOutput: (data: Buffer) => void, onExit: (code: number) => void, size = { cols: 80, rows: 24 }, extraEnv: Record<string, string> = {}): PtyShell {
  const python = findBinary('python3');
  if (python === undefined) throw new MissingSystemPartError('python3', 'python3');
  const child = spawn(python, ['-c', PTY_RELAY, String(size.cols), String(size.rows)], {
    stdio: ['pipe', 'pipe', 'inherit', 'pipe'],
    cwd: extraEnv.HOME ?? tmpdir(),
    env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: process.env.HOME ?? tmpdir(), TERM: 'xterm-256color', PS1: 'sh-5.2$ ', LANG: 'C.UTF-8', ...extraEnv },
  });
  child.stdout?.on('data', (d: Buffer) => onOutput(d));
  child.on('exit', (code) => onExit(code ?? 0));
  const control = child.stdio[3] as Writable;
  control.on('error', () => undefined);
  child.stdin?.on('error', () => undefined);
  return {
    child,
    write: (data) => child.stdin?.write(data),
    resize: (cols, rows) => control.write(`${Math.max(1, Math.floor(cols))} ${Math.max(1, Math.floor(rows))}\n`),
    kill: () => child.stdin?.end(),
  };
}
