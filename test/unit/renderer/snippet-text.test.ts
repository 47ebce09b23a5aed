import { describe, expect, it } from 'vitest';
import { fillSnippet, snippetVariables } from '../../../src/shared/models/snippet-text';

describe('snippet variables', () => {
  it('lists each {name} once, in order, and ignores braces that are not variables', () => {
    expect(snippetVariables('du -sh {folder}/* | sort -h; ls {folder} {file-2}')).toEqual(['folder', 'file-2']);
    expect(snippetVariables("awk '{print $1}' x; echo ${HOME} {}")).toEqual([]);
  });

  it('fills every use of a variable and leaves unknown ones as written', () => {
    expect(fillSnippet('cp {src} {dst} && ls {dst}', { src: 'a.txt', dst: '/data' })).toBe('cp a.txt /data && ls /data');
    expect(fillSnippet('tail -f {file}', {})).toBe('tail -f {file}');
  });
});
