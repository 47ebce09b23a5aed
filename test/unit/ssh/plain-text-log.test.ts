import { describe, expect, it } from 'vitest';
import { PlainTextLog } from '../../../src/main/services/ssh/plain-text-log';

function plain(...chunks: (string | number[])[]): string[] {
  const log = new PlainTextLog();
  const lines: string[] = [];
  for (const chunk of chunks) lines.push(...log.push(typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : Uint8Array.from(chunk)));
  return [...lines, ...log.end()];
}

describe('PlainTextLog', () => {
  it('drops colours, cursor moves and erasing (CSI)', () => {
    expect(plain('\x1b[01;32mroot@vm\x1b[00m:\x1b[01;34m~\x1b[00m# ls\r\n\x1b[0m\x1b[01;34mdata\x1b[0m  notes.txt\r\n\x1b[2K\x1b[1A\x1b[?2004h')).toEqual(['root@vm:~# ls', 'data  notes.txt']);
  });

  it('drops window titles and hyperlinks (OSC ended by BEL or ST), DCS strings and charset selections', () => {
    expect(plain('\x1b]0;root@vm: ~\x07\x1b]8;;https://x.test\x1b\\link\x1b]8;;\x1b\\ \x1bP1$r0m\x1b\\\x1b(Bok\n')).toEqual(['link ok']);
  });

  it('keeps a sequence split across chunks out of the text', () => {
    expect(plain('before \x1b', '[3', '1mred\x1b]0;ti', 'tle\x07 after\n')).toEqual(['before red after']);
  });

  it('decodes a UTF-8 character split across chunks', () => {
    const bytes = Buffer.from('naïve → ok\n', 'utf8');
    expect(plain([...bytes.subarray(0, 3)], [...bytes.subarray(3, 10)], [...bytes.subarray(10)])).toEqual(['naïve → ok']);
  });

  it('shows what a carriage return left on the line: the last state of a progress bar', () => {
    expect(plain('progress  10%\rprogress  55%\rprogress 100%\r\ndone\n')).toEqual(['progress 100%', 'done']);
    expect(plain('abcdef\rXY\n')).toEqual(['XYcdef']);
  });

  it('steps back on backspace and drops other control characters', () => {
    expect(plain('lx\bs -l\x07\x00\n')).toEqual(['ls -l']);
  });

  it('gives the unfinished last line at the end, and nothing for an empty one', () => {
    expect(plain('$ ')).toEqual(['$']);
    expect(plain('a\n')).toEqual(['a']);
  });
});
