const SAFE = /^[A-Za-z0-9_@%+=:,./-]+$/;

/** One argument, quoted for a POSIX shell: safe words stay as they are, everything else in single quotes. */
export function quoteArg(arg: string): string {
  if (arg !== '' && SAFE.test(arg)) return arg;
  return `'${arg.replace(/'/g, `'\\''`)}'`;
}

/** argv → one command line a POSIX shell runs as exactly those arguments (remote commands are never built by interpolation). */
export function shellQuote(argv: readonly string[]): string {
  return argv.map(quoteArg).join(' ');
}
