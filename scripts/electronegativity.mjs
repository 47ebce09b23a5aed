#!/usr/bin/env node
// Electronegativity over the Electron shell (src/main, src/preload) and the renderer page with the
// Content-Security-Policy it is built with. Fails when a finding above LOW is not justified in
// electronegativity.config.json, when a justification no longer matches a finding, or when a file
// could not be parsed (an unparsed file is an unchecked file).
//
//   node scripts/electronegativity.mjs [--sarif <file>]
//
// Justification keys are a check id ("PRELOAD_JS_CHECK") or a check id scoped to one file
// ("OPEN_EXTERNAL_JS_CHECK@src/main/electron/system-browser.ts"); prefer the scoped form, so the same
// pattern appearing somewhere new is reviewed again.
import { cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { tsImport } from 'tsx/esm/api';

const root = resolve(import.meta.dirname, '..');
const require = createRequire(import.meta.url);
const SCANNED_DIRS = ['src/main', 'src/preload'];
const RENDERER_HTML = 'src/renderer/index.html';
const CONFIG_FILE = 'electronegativity.config.json';
const LOW = 1;
const MIN_JUSTIFICATION = 40;

const { values: flags } = parseArgs({ options: { sarif: { type: 'string' } } });

async function readJustifications() {
  const raw = JSON.parse(await readFile(join(root, CONFIG_FILE), 'utf8'));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${CONFIG_FILE} must be an object of check id → justification`);
  const problems = [];
  for (const [key, value] of Object.entries(raw)) {
    if (!/^[A-Z0-9_]+(@[\w./-]+)?$/.test(key)) problems.push(`"${key}" is not CHECK_ID or CHECK_ID@path`);
    if (typeof value !== 'string' || value.trim().length < MIN_JUSTIFICATION) {
      problems.push(`"${key}" needs a justification that explains why it is safe here (at least ${MIN_JUSTIFICATION} characters)`);
    }
  }
  if (problems.length > 0) throw new Error(`${CONFIG_FILE}:\n  ${problems.join('\n  ')}`);
  return new Map(Object.entries(raw));
}

/** The page as `vite build` writes it: the real policy in place of %HANGAR_CSP%, so the CSP check judges it. */
async function renderedRendererHtml() {
  const { cspPlugin } = await tsImport('../renderer.vite.config.ts', import.meta.url);
  const plugin = cspPlugin();
  if (typeof plugin.configResolved !== 'function' || typeof plugin.transformIndexHtml !== 'function') {
    throw new Error('cspPlugin() no longer has function hooks; update scripts/electronegativity.mjs');
  }
  plugin.configResolved({ command: 'build' });
  const html = plugin.transformIndexHtml(await readFile(join(root, RENDERER_HTML), 'utf8'));
  if (typeof html !== 'string' || html.includes('%HANGAR_CSP%')) throw new Error('the CSP placeholder was not replaced');
  return html;
}

async function stage() {
  const dir = await mkdtemp(join(tmpdir(), 'hangar-electronegativity-'));
  for (const sub of SCANNED_DIRS) await cp(join(root, sub), join(dir, sub), { recursive: true });
  await mkdir(join(dir, 'src/renderer'), { recursive: true });
  await writeFile(join(dir, RENDERER_HTML), await renderedRendererHtml());
  return dir;
}

function electronVersion() {
  return JSON.parse(require('node:fs').readFileSync(require.resolve('electron/package.json'), 'utf8')).version;
}

function justificationFor(justifications, issue) {
  const scoped = `${issue.id}@${String(issue.file).replaceAll('\\', '/')}`;
  if (justifications.has(scoped)) return { key: scoped, text: justifications.get(scoped) };
  if (justifications.has(issue.id)) return { key: issue.id, text: justifications.get(issue.id) };
  return undefined;
}

async function main() {
  const justifications = await readJustifications();
  const run = require('@doyensec/electronegativity');
  const dir = await stage();
  let result;
  try {
    result = await run({
      input: dir,
      isRelative: true,
      electronVersionOverride: electronVersion(),
      parserPlugins: [],
      ...(flags.sarif ? { output: resolve(flags.sarif), isSarif: true } : {}),
    });
  } finally {
    // The SARIF writer finishes asynchronously; give it a moment before the staging folder goes.
    setTimeout(() => void rm(dir, { recursive: true, force: true }), 500);
  }

  const parseFailures = result.errors.filter((error) => !error.tolerable);
  for (const error of result.errors) {
    console.log(`${error.tolerable ? 'warning' : 'ERROR'}: could not fully parse ${error.file}: ${error.message}`);
  }

  const used = new Set();
  const unjustified = [];
  const issues = [...result.issues].sort((a, b) => b.severity.value - a.severity.value || String(a.file).localeCompare(String(b.file)));
  console.log(`electronegativity: ${result.globalChecks} global and ${result.atomicChecks} atomic checks, Electron ${electronVersion()}, ${issues.length} finding(s)`);
  for (const issue of issues) {
    const where = issue.file === 'N/A' ? '(whole app)' : `${issue.file}:${issue.location.line}:${issue.location.column}`;
    const justification = justificationFor(justifications, issue);
    if (justification) used.add(justification.key);
    const blocking = issue.severity.value > LOW && !justification;
    if (blocking) unjustified.push(issue);
    const status = justification ? 'justified' : blocking ? 'NOT JUSTIFIED' : 'informational';
    console.log(`\n[${issue.severity.name}/${issue.confidence.name}] ${issue.id} ${where} — ${status}`);
    console.log(`  ${issue.description}`);
    if (issue.sample) console.log(`  sample: ${String(issue.sample).slice(0, 200)}`);
    if (justification) console.log(`  why it is safe: ${justification.text}`);
  }

  const stale = [...justifications.keys()].filter((key) => !used.has(key));
  for (const key of stale) console.log(`\nSTALE: ${CONFIG_FILE} justifies "${key}", which no longer matches any finding; remove it.`);
  if (flags.sarif) console.log(`\nSARIF written to ${resolve(flags.sarif)}`);

  if (parseFailures.length > 0 || unjustified.length > 0 || stale.length > 0) {
    console.log(
      `\nelectronegativity: FAILED (${unjustified.length} unjustified finding(s) above LOW, ${parseFailures.length} unparsed file(s), ${stale.length} stale justification(s))`,
    );
    process.exitCode = 1;
  } else {
    console.log('\nelectronegativity: passed');
  }
}

main().catch((error) => {
  console.error(`electronegativity: ${error instanceof Error ? error.message : String(error)}`);
  process.exitCode = 2;
});
