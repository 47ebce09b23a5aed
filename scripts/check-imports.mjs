#!/usr/bin/env node
// A second, dumb line of defence behind the ESLint boundaries: one check per rule, run in CI, so that an
// eslint-disable comment cannot quietly carry `electron` into a service or Node into the renderer.
import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, posix, relative, resolve } from 'node:path';

// `--root <dir>` checks another tree (the test of these rules points it at a made-up one).
const rootArg = process.argv.indexOf('--root');
const root = rootArg === -1 ? new URL('..', import.meta.url).pathname : resolve(process.argv[rootArg + 1]);
const files = [];
(function walk(dir) {
  for (const name of readdirSync(dir)) {
    const full = join(dir, name);
    if (statSync(full).isDirectory()) walk(full);
    else if (/\.(ts|tsx)$/.test(name)) files.push(relative(root, full).split('\\').join('/'));
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

/** Where a relative import lands, as a path from the root ('src/renderer/…'); undefined for packages. */
const landsAt = (file, spec) => (spec.startsWith('.') ? posix.normalize(posix.join(posix.dirname(file), spec)) : undefined);
/** The feature folder a path is in (src/renderer/features/<name>/…), if any. */
const featureOf = (path) => /^src\/renderer\/features\/([^/]+)(\/|$)/.exec(path ?? '')?.[1];
const inRenderer = (path, ...folders) => folders.some((folder) => (path ?? '').startsWith(`src/renderer/${folder}/`));

const NODE = /^(node:|fs$|path$|os$|child_process$|net$|http$|https$|crypto$|stream$|util$|events$|url$|worker_threads$|tls$|dns$|zlib$)/;
const rules = [
  { name: 'electron only in src/main/electron, src/main/index.ts and src/preload', applies: (f) => !/^src\/(main\/electron\/|main\/index\.ts$|preload\/)/.test(f), bad: (s) => s === 'electron' || s.startsWith('electron/') },
  { name: 'renderer: no Node built-ins', applies: (f) => f.startsWith('src/renderer/'), bad: (s) => NODE.test(s) },
  { name: 'renderer: no main/preload imports', applies: (f) => f.startsWith('src/renderer/'), bad: (s) => /(^|\/)(main|preload)\//.test(s) },
  { name: 'shared: no Node built-ins', applies: (f) => f.startsWith('src/shared/'), bad: (s) => NODE.test(s) },
  { name: 'shared: imports nothing else of ours', applies: (f) => f.startsWith('src/shared/'), bad: (s) => /(^|\/)(main|renderer|preload)\//.test(s) },
  { name: 'services: know nothing of their carriers', applies: (f) => f.startsWith('src/main/services/'), bad: (s) => /^(\.\.\/)+(ipc|bridge|electron)\//.test(s) || /(^|\/)(renderer|preload)\//.test(s) },
  {
    name: 'renderer: a feature imports no other feature',
    applies: (f) => featureOf(f) !== undefined,
    bad: (s, f) => {
      const other = featureOf(landsAt(f, s));
      return other !== undefined && other !== featureOf(f);
    },
  },
  { name: 'renderer: a feature imports nothing of the app frame', applies: (f) => featureOf(f) !== undefined, bad: (s, f) => inRenderer(landsAt(f, s), 'app') },
  {
    name: 'renderer: components, state and api import no feature and not the app frame',
    applies: (f) => inRenderer(f, 'components', 'state', 'api'),
    bad: (s, f) => inRenderer(landsAt(f, s), 'features', 'app'),
  },
  { name: 'renderer: api imports no components or state', applies: (f) => inRenderer(f, 'api'), bad: (s, f) => inRenderer(landsAt(f, s), 'components', 'state') },
];

let failures = 0;
for (const rule of rules) {
  const hits = [];
  for (const file of files.filter(rule.applies)) {
    for (const spec of importsOf(file)) if (rule.bad(spec, file)) hits.push(`${file}: ${spec}`);
  }
  console.log(`${hits.length === 0 ? 'ok  ' : 'FAIL'} ${rule.name}`);
  for (const hit of hits) console.log(`     ${hit}`);
  failures += hits.length;
}
process.exit(failures === 0 ? 0 : 1);
