import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';

const repoRoot = resolve(import.meta.dirname, '../..');
const readme = readFileSync(resolve(repoRoot, 'README.md'), 'utf8');

interface Step {
  run?: string;
  uses?: string;
}
interface Workflow {
  on: unknown;
  jobs: Record<string, { 'runs-on': string; strategy?: { matrix?: { os?: string[] } }; steps: Step[] }>;
}

function workflow(name: string): Workflow {
  return parse(readFileSync(resolve(repoRoot, '.github/workflows', name), 'utf8')) as Workflow;
}

const runs = (steps: Step[]): string[] => steps.flatMap((step) => (step.run ? [step.run.trim()] : []));

describe('GitHub workflows', () => {
  it('ci runs the README’s own commands on Linux, and unit tests plus an Electron smoke test on Windows and macOS', () => {
    const ci = workflow('ci.yml');
    expect(runs(ci.jobs.linux?.steps ?? [])).toContain('bash .ci/run');
    expect(readFileSync(resolve(repoRoot, '.ci/run'), 'utf8')).toContain('npm test');
    const desktop = ci.jobs.desktop;
    expect(desktop?.strategy?.matrix?.os).toEqual(['windows-latest', 'macos-latest']);
    const commands = runs(desktop?.steps ?? []);
    expect(commands).toEqual(expect.arrayContaining(['npm install', 'npm run test:unit', 'npm run build', 'npx playwright test --config playwright.electron.config.ts']));
    // Steps are the README's commands, not private recipes.
    expect(readme).toContain('npm install');
    expect(readme).toContain('npm test');
  });

  it('release builds both installers and publishes them for auto-update, signing only when secrets exist', () => {
    const release = workflow('release.yml');
    const steps = release.jobs.package?.steps ?? [];
    const commands = runs(steps).join('\n');
    expect(commands).toContain('npx electron-builder ${{ matrix.platform }} --x64 --arm64 --publish always');
    expect(commands).toContain('CSC_IDENTITY_AUTO_DISCOVERY=false');
    expect(commands).toContain('building unsigned');
    const builder = parse(readFileSync(resolve(repoRoot, 'electron-builder.yml'), 'utf8')) as { publish: { provider: string }; electronFuses: Record<string, boolean>; asarUnpack: string[] };
    expect(builder.publish.provider).toBe('github');
    expect(builder.asarUnpack).toEqual(['**/*.node']);
    expect(builder.electronFuses).toMatchObject({
      runAsNode: false,
      enableCookieEncryption: true,
      enableEmbeddedAsarIntegrityValidation: true,
      onlyLoadAppFromAsar: true,
      grantFileProtocolExtraPrivileges: false,
    });
  });
});
