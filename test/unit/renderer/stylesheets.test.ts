import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import postcss from 'postcss';
import { describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '../../../src/renderer');

function stylesheets(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return stylesheets(path);
    return entry.name.endsWith('.css') ? [path] : [];
  });
}

/**
 * Every stylesheet parses on its own. The bundler joins them into one file, and an unclosed block in one
 * (a merge that dropped a brace) silently swallows the rules of the files after it — the theme's colours
 * among them — without any build error.
 */
describe('renderer stylesheets', () => {
  const files = stylesheets(ROOT);

  it('are found', () => {
    expect(files.length).toBeGreaterThan(10);
  });

  it.each(files.map((file) => [relative(ROOT, file), file]))('%s parses with every block closed', (_name, file) => {
    expect(() => postcss.parse(readFileSync(file, 'utf8'), { from: file })).not.toThrow();
  });
});
