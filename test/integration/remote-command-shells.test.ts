import { execFileSync } from 'node:child_process';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { argvCommand, commandLine, type RemoteCommand } from '../../src/main/services/ssh/remote-command';
import { requireBinary } from '../support/system-deps';

/**
 * sshd hands the exec request's line to the user's login shell (`$SHELL -c line`). The real test of the
 * wrapping: each login shell Hangar may meet must run exactly the /bin/sh script with exactly the values.
 */
const SHELLS: ReadonlyArray<[string, string]> = [
  ['/bin/sh', 'dash'],
  ['bash', 'bash'],
  ['fish', 'fish'],
  ['tcsh', 'tcsh'],
];

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), 'hangar-remote-command-'));
});
afterAll(async () => {
  await rm(scratch, { recursive: true, force: true });
});

function runAs(shell: string, command: RemoteCommand): string {
  return execFileSync(shell, ['-c', commandLine(command)], { encoding: 'utf8', cwd: scratch, env: { PATH: process.env.PATH ?? '/usr/bin:/bin', HOME: scratch } });
}

const NASTY = [
  "it's",
  `$(touch ${'PWNED'})`,
  '`touch PWNED2`',
  'a; touch PWNED3',
  'with space',
  'new\nline',
  'trailing newlines\n\n',
  'back\\slash \\\' \\',
  '100% %s %d',
  'bang! !!',
  '-n',
  '',
  'tab\there',
  'ünïcødé 名前 😀',
  '*',
  '~root',
  '"double"',
];

describe('remote commands under /bin/sh, whatever the login shell', () => {
  for (const [name, debianPackage] of SHELLS) {
    it(`${name} runs the script with exactly the given values and runs nothing they contain`, () => {
      const shell = requireBinary(name, debianPackage);
      const out = runAs(shell, { script: 'printf "<%s>" "$0" "$@"', args: NASTY });
      expect(out).toBe(['sh', ...NASTY].map((a) => `<${a}>`).join(''));
      expect(runAs(shell, argvCommand(['printf', '[%s]', ...NASTY]))).toBe(NASTY.map((a) => `[${a}]`).join(''));
    });

    it(`${name} keeps a script with every kind of quoting as /bin/sh reads it`, () => {
      const shell = requireBinary(name, debianPackage);
      const script = `a='single'; b="dou\\"ble"; c=$(printf '%s\\n' "x\\\\y"); printf '%s|%s|%s|%s\\n' "$a" "$b" "$c" "$1"; echo 'it'"'"'s' !`;
      expect(runAs(shell, { script, args: ['arg 1'] })).toBe(execFileSync('/bin/sh', ['-c', script, 'sh', 'arg 1'], { encoding: 'utf8' }));
    });
  }

  it('ran none of the injected commands', async () => {
    expect((await readdir(scratch)).filter((f) => f.startsWith('PWNED'))).toEqual([]);
  });

  it('carries long values (a 4 KiB path of multibyte names) through the stricter shells', () => {
    const long = `/home/ü/${'名'.repeat(1300)}`;
    for (const [name, debianPackage] of SHELLS) {
      expect(runAs(requireBinary(name, debianPackage), argvCommand(['printf', '%s', long]))).toBe(long);
    }
  });
});
