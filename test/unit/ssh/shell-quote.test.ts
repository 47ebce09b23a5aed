import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { shellQuote } from '../../../src/main/services/ssh/shell-quote';

/** The real test of quoting: a real POSIX shell must see exactly the arguments we meant. */
const throughShell = (argv: string[]): string[] => {
  const out = execFileSync('/bin/sh', ['-c', `printf '%s\\0' ${shellQuote(argv)}`]);
  return out.toString('utf8').split('\0').slice(0, -1);
};

describe('shellQuote', () => {
  it.each([
    [['tmux', 'new', '-A', '-s', 'hangar']],
    [['echo', "it's a file with 'quotes'"]],
    [['ls', 'my folder/with spaces', 'tab\there', 'new\nline']],
    [['rm', '--', '-rf', '$(reboot)', '`id`', '; shutdown -h now', '&& true', '|| false', '*', '~root']],
    [['printf', 'ünïcødé 名前 😀', '', '"double"', '\\backslash']],
  ])('%j reaches the shell as the same arguments', (argv) => {
    expect(throughShell(argv)).toEqual(argv);
  });

  it('leaves plain words readable', () => {
    expect(shellQuote(['tmux', 'new', '-A', '-s', 'hangar'])).toBe('tmux new -A -s hangar');
  });
});
