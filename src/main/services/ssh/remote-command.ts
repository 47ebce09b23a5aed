/**
 * What runs on an instance: a script for `/bin/sh`, and the values it reads as $1, $2, … — never spliced
 * into the script. Every remote command goes through SshConnection's run / exec / execPty as one of these,
 * so none is ever parsed by the user's login shell (which may be fish or csh, whose quoting is not sh's).
 */
export interface RemoteCommand {
  readonly script: string;
  readonly args?: readonly string[];
}

/** Runs exactly this argv (argv[0] looked up on PATH), with no shell syntax in play. */
export function argvCommand(argv: readonly string[]): RemoteCommand {
  return { script: 'exec "$@"', args: argv };
}

/**
 * The fixed part the login shell sees. It decodes its arguments (printf escapes, see `literal`) and execs
 * `/bin/sh -c <script> sh <args…>`. Written without `'`, `!`, newlines or a backslash, so it means the
 * same inside single quotes to sh, bash, zsh, fish and csh/tcsh. The `x` around each value keeps printf
 * from reading a leading `-` as an option and the command substitution from eating trailing newlines.
 */
const DECODER =
  'd() { v=$(printf "x$1x"); v=${v#x}; v=${v%x}; }; d "$1"; s=$v; shift; n=$#; ' +
  'while [ "$n" -gt 0 ]; do d "$1"; shift; set -- "$@" "$v"; n=$((n-1)); done; exec /bin/sh -c "$s" sh "$@"';

const QUOTE = 0x27;
const BACKSLASH = 0x5c;
const PERCENT = 0x25;
const BANG = 0x21;

/**
 * One value as a single-quoted printf format that prints it back. Inside '…' only `'` is special to sh;
 * fish also treats `\\` and `\'`, csh `!` and newlines; printf treats `%` and `\`. Those bytes, control
 * characters and anything beyond ASCII become `\ooo` escapes (a backslash followed by a digit is literal
 * inside single quotes in all of those shells), so any byte string survives whichever shell reads it.
 */
function literal(value: string): string {
  let out = '';
  for (const byte of Buffer.from(value, 'utf8')) {
    const plain = byte >= 0x20 && byte <= 0x7e && byte !== QUOTE && byte !== BACKSLASH && byte !== PERCENT && byte !== BANG;
    out += plain ? String.fromCharCode(byte) : `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `'${out}'`;
}

/**
 * The command line sent in the SSH exec request. sshd hands it to the user's login shell (`$SHELL -c`),
 * which only has to run `exec /bin/sh -c '<decoder>' sh '<script>' '<arg>'…` — words every shell reads
 * the same way — and from there on it is POSIX sh, whatever the login shell is.
 */
export function commandLine(command: RemoteCommand): string {
  return ['exec', '/bin/sh', '-c', `'${DECODER}'`, 'sh', literal(command.script), ...(command.args ?? []).map(literal)].join(' ');
}
