import { describe, expect, it } from 'vitest';
import { safeLocalName } from '../../../src/main/services/transfer/safe-local-name';

describe('safeLocalName', () => {
  it('keeps names Windows accepts', () => {
    for (const name of ['report.pdf', 'with space.txt', 'ünïcödé 文件', '.hidden', 'CONSOLE.txt', 'com10', 'a.b.c']) {
      expect(safeLocalName(name, 'win32')).toBe(name);
    }
  });

  it('replaces characters Windows refuses, control characters and a trailing dot or space', () => {
    expect(safeLocalName('what?.txt', 'win32')).toBe('what_.txt');
    expect(safeLocalName('a<b>c:d"e/f\\g|h*i', 'win32')).toBe('a_b_c_d_e_f_g_h_i');
    expect(safeLocalName('tab\there', 'win32')).toBe('tab_here');
    expect(safeLocalName('new\nline', 'win32')).toBe('new_line');
    expect(safeLocalName('ends.', 'win32')).toBe('ends_');
    expect(safeLocalName('ends. ', 'win32')).toBe('ends__');
  });

  it('prefixes device names, with or without an extension, in any case', () => {
    for (const name of ['CON', 'prn', 'Aux', 'NUL', 'COM1', 'com9', 'LPT1', 'lpt9', 'nul.txt', 'CON.tar.gz']) {
      expect(safeLocalName(name, 'win32')).toBe(`_${name}`);
    }
  });

  it('on POSIX keeps everything but a slash or NUL; newlines are legal', () => {
    expect(safeLocalName('new\nline', 'linux')).toBe('new\nline');
    expect(safeLocalName('what?<>|*.txt', 'darwin')).toBe('what?<>|*.txt');
    expect(safeLocalName('CON', 'linux')).toBe('CON');
    expect(safeLocalName('a/b', 'linux')).toBe('a_b');
    expect(safeLocalName('..', 'linux')).toBe('_');
    expect(safeLocalName('', 'win32')).toBe('_');
  });
});
