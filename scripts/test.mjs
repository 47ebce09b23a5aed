#!/usr/bin/env node
// `npm test`: every check CI runs, in order, then one closing line "tests: N passed, N failed".
// Steps: system parts → typecheck → lint → electronegativity → build → vitest (unit, contract,
// integration) → Playwright E2E in Chromium. A failing step does not hide the later ones' results.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';

const ci = process.env.CI === 'true';
const results = { passed: 0, failed: 0, skipped: 0 };
const failedSteps = [];

function run(title, command, args, env = {}) {
  console.log(`\n▶ ${title}: ${[command, ...args].join(' ')}`);
  const started = Date.now();
  const child = spawnSync(command, args, { stdio: 'inherit', env: { ...process.env, ...env } });
  const ok = child.status === 0;
  console.log(`${ok ? '✔' : '✘'} ${title} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (!ok) failedSteps.push(title);
  return ok;
}

// System parts the real-part tests need, with the Debian package that provides each.
const parts = [
  ['/usr/sbin/sshd', 'openssh-server'],
  ['/usr/bin/ssh-keygen', 'openssh-client'],
  ['/usr/bin/dbus-run-session', 'dbus'],
  ['/usr/bin/gnome-keyring-daemon', 'gnome-keyring'],
  ['/usr/bin/secret-tool', 'libsecret-tools'],
  [process.env.CHROMIUM_PATH ?? '/usr/bin/chromium', 'chromium'],
  ['/usr/bin/tmux', 'tmux'],
  ['/usr/bin/puttygen', 'putty-tools'],
  ['/usr/bin/jupyter-notebook', 'jupyter-notebook'],
];
const missing = parts.filter(([path]) => !existsSync(path));
for (const [path, pkg] of missing) console.log(`${ci ? '✘' : '!'} missing ${path}: install the Debian package '${pkg}' (apt-get install ${pkg})`);
if (missing.length > 0 && ci) failedSteps.push('system parts');

rmSync('test-results', { recursive: true, force: true });
mkdirSync('test-results', { recursive: true });

run('typecheck', 'npm', ['run', '--silent', 'typecheck']);
run('lint', 'npm', ['run', '--silent', 'lint']);
run('electronegativity', 'npm', ['run', '--silent', 'electronegativity']);
const built = run('build', 'npx', ['electron-vite', 'build']);

run('unit, contract and integration tests', 'npx', ['vitest', 'run', '--reporter=default', '--reporter=json', '--outputFile.json=test-results/vitest.json']);
if (existsSync('test-results/vitest.json')) {
  const report = JSON.parse(readFileSync('test-results/vitest.json', 'utf8'));
  results.passed += report.numPassedTests;
  results.failed += report.numFailedTests;
  results.skipped += report.numPendingTests + (report.numTodoTests ?? 0);
}

if (built) {
  run('E2E tests in Chromium', 'npx', ['playwright', 'test']);
  if (existsSync('test-results/e2e.json')) {
    const stats = JSON.parse(readFileSync('test-results/e2e.json', 'utf8')).stats;
    results.passed += stats.expected + stats.flaky;
    results.failed += stats.unexpected;
    results.skipped += stats.skipped;
  }
} else {
  failedSteps.push('E2E tests (not run: the build failed)');
}

if (ci && results.skipped > 0) {
  console.log(`✘ ${results.skipped} tests were skipped under CI=true: every test must run in CI.`);
  failedSteps.push('skipped tests');
}
if (failedSteps.length > 0) console.log(`\nFailed steps: ${failedSteps.join(', ')}`);
console.log(`\ntests: ${results.passed} passed, ${results.failed} failed${results.skipped ? `, ${results.skipped} skipped` : ''}`);
process.exit(failedSteps.length === 0 && results.failed === 0 ? 0 : 1);
