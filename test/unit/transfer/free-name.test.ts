import { describe, expect, it } from 'vitest';
import { firstFreeName, numberedName } from '../../../src/main/services/transfer/free-name';

describe('renamed copies', () => {
  it('numbers before the extension, and after a hidden file\'s whole name', () => {
    expect(numberedName('report.pdf', 1)).toBe('report (1).pdf');
    expect(numberedName('archive.tar.gz', 2)).toBe('archive.tar (2).gz');
    expect(numberedName('.bashrc', 1)).toBe('.bashrc (1)');
    expect(numberedName('Makefile', 3)).toBe('Makefile (3)');
  });

  it('takes the first free number', async () => {
    const taken = new Set(['a (1).txt', 'a (2).txt']);
    expect(await firstFreeName('a.txt', async (name) => taken.has(name))).toBe('a (3).txt');
  });
});
