#!/usr/bin/env node
// A second, dumb line of defence behind the ESLint boundaries: one check per rule, run in CI, so that an
// eslint-disable comment cannot quietly carry `electron` into a service or Node into the renderer.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (/\.(ts|tsx)$/.test(name)) files.push(relative(root, full));
  }
})(join(root, 'src'));

const importsOf = (file) => {
  const text = readFileSync(join(root, file), 'utf8');
  const specs = [];
  for (const m of text.matchAll(/(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\s*\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)|^\s*import\s*['"]([^'"]+)['"]/gm)) {
    specs.push(m[1] ?? m[2] ?? m[3] ?? m[4]);
  }
  return specs;
};

const NODE = /^(node:|fs$|path$|os$|child_process$|net$|http$|https$|crypto$|stream$|util$|events$|url$|worker_threads$|tls$|dns$|zlib$)/;
const rules = [
  { name: 'electron only in src/main/electron, src/main/index.ts and src/preload', applies: (f) => !/^src\/(main\/electron\/|main\/index\.ts$|preload\/)/.test(f), bad: (s) => s === 'electron' || s.startsWith('electron/') },
  { name: 'renderer: no Node built-ins', applies: (f) => f.startsWith('src/renderer/'), bad: (s) => NODE.test(s) },
  { name: 'renderer: no main/preload imports', applies: (f) => f.startsWith('src/renderer/'), bad: (s) => /(^|\/)(main|preload)\//.test(s) },
  { name: 'shared: no Node built-ins', applies: (f) => f.startsWith('src/shared/'), bad: (s) => NODE.test(s) },
  { name: 'shared: imports nothing else of ours', applies: (f) => f.startsWith('src/shared/'), bad: (s) => /(^|\/)(main|renderer|preload)\//.test(s) },
  { name: 'services: know nothing of their carriers', applies: (f) => f.startsWith('src/main/services/'), bad: (s) => /^(\.\.\/)+(ipc|bridge|electron)\//.test(s) || /(^|\/)(renderer|preload)\//.test(s) },
];

let failures = 0;
for (const rule of rules) {
  const hits = [];
  for (const file of files.filter(rule.applies)) {
    for (const spec of importsOf(file)) if (rule.bad(spec)) hits.push(`${file}: ${spec}`);
  }
  console.log(`${hits.length === 0 ? 'ok  ' : 'FAIL'} ${rule.name}`);
  for (const hit of hits) console.log(`     ${hit}`);
  failures += hits.length;
}
process.exit(failures === 0 ? 0 : 1);
