import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { promisify } from 'node:util';
import { ESLint } from 'eslint';
import { afterEach, describe, expect, it } from 'vitest';

/** The architecture's arrows are enforced by lint; prove each rule bites. */
describe('import boundaries', () => {
  const eslint = new ESLint({ cwd: process.cwd() });
  const ruleHits = async (filePath: string, code: string): Promise<string[]> => {
    const [result] = await eslint.lintText(code, { filePath });
    return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
  };

  it.each([
    ['src/main/services/ec2/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['src/main/ipc/probe.ts', "import { ipcMain } from 'electron';\nexport const x = ipcMain;\n"],
    ['src/renderer/app/probe.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n"],
    ['src/renderer/app/probe.ts', "import { Client } from 'ssh2';\nexport const x = Client;\n"],
    ['src/renderer/app/probe.ts', "import { createAppServices } from '../../main/services/create-app-services';\nexport const x = createAppServices;\n"],
    ['src/shared/probe.ts', "import { join } from 'node:path';\nexport const x = join;\n"],
    ['src/main/services/probe.ts', "import { createHandlers } from '../ipc/create-handlers';\nexport const x = createHandlers;\n"],
    ['src/preload/probe.ts', "import { dispatch } from '../main/ipc/dispatch';\nexport const x = dispatch;\n"],
    // A feature never reaches into another feature (nor app/): app/ composes the screens.
    ['src/renderer/features/instances/probe.ts', "import { Field } from '../accounts/field';\nexport const x = Field;\n"],
    ['src/renderer/features/instances/probe.ts', "import '../accounts/accounts.css';\n"],
    ['src/renderer/features/instances/probe.ts', "export { TunnelButtons } from '../tunnels/tunnel-buttons';\n"],
    ['src/renderer/features/instances/probe.ts', "import { Field } from '../../features/accounts/field';\nexport const x = Field;\n"],
    ['src/renderer/features/instances/probe.ts', "import { SCREEN_SLOTS } from '../../app/screen-slots';\nexport const x = SCREEN_SLOTS;\n"],
    ['src/renderer/features/instances/nested/probe.ts', "import { Field } from '../../accounts/field';\nexport const x = Field;\n"],
    // The shared layers know no screen.
    ['src/renderer/state/probe.ts', "import { KeysPanel } from '../features/keys/keys-panel';\nexport const x = KeysPanel;\n"],
    ['src/renderer/components/probe.ts', "import { App } from '../app/app';\nexport const x = App;\n"],
    ['src/renderer/api/probe.ts', "import { Field } from '../components/field';\nexport const x = Field;\n"],
  ])('%s may not import that', async (file, code) => {
    expect(await ruleHits(file, code)).not.toEqual([]);
  });

  it.each([
    ['src/main/electron/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['src/preload/probe.ts', "import { contextBridge } from 'electron';\nexport const x = contextBridge;\n"],
    ['src/renderer/app/probe.ts', "import { HangarError } from '../../shared/errors/hangar-error';\nexport const x = HangarError;\n"],
    ['src/main/services/probe.ts', "import type { Events } from '../../shared/ipc/contract';\nexport type X = Events;\n"],
    ['src/renderer/features/instances/probe.ts', "import { planAction } from './action-plan';\nexport const x = planAction;\n"],
    ['src/renderer/features/instances/probe.ts', "import { Field } from '../../components/field';\nexport const x = Field;\n"],
    ['src/renderer/features/instances/probe.ts', "import { accountsStore } from '../../state/accounts-store';\nexport const x = accountsStore;\n"],
    ['src/renderer/features/instances/probe.ts', "import { api } from '../../api/api-client';\nexport const x = api;\n"],
    ['src/renderer/features/instances/probe.ts', "import type { InstanceSummary } from '../../../shared/models/ec2';\nexport type X = InstanceSummary;\n"],
    ['src/renderer/features/instances/nested/probe.ts', "import { planAction } from '../action-plan';\nexport const x = planAction;\n"],
    ['src/renderer/app/probe.ts', "import { KeysPanel } from '../features/keys/keys-panel';\nexport const x = KeysPanel;\n"],
  ])('%s may import that', async (file, code) => {
    expect(await ruleHits(file, code)).toEqual([]);
  });
});

/** The second line of defence (scripts/check-imports.mjs, run in CI) resolves each import; prove it bites too. */
describe('check-imports', () => {
  let root: string | undefined;
  afterEach(async () => {
    if (root) await rm(root, { recursive: true, force: true });
    root = undefined;
  });

  async function check(files: Record<string, string>): Promise<{ code: number; output: string }> {
    root = await mkdtemp(join(tmpdir(), 'hangar-imports-'));
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), text);
    }
    try {
      const { stdout } = await promisify(execFile)(process.execPath, ['scripts/check-imports.mjs', '--root', root]);
      return { code: 0, output: stdout };
    } catch (error) {
      const failed = error as { code: number; stdout: string };
      return { code: failed.code, output: failed.stdout };
    }
  }

  it('fails a feature that imports another feature, naming the file and the import', async () => {
    const { code, output } = await check({
      'src/renderer/features/accounts/field.tsx': 'export const Field = 1;\n',
      'src/renderer/features/instances/row.tsx': "import { Field } from '../accounts/field';\nexport const row = Field;\n",
    });
    expect(code).toBe(1);
    expect(output).toMatch(/^FAIL renderer: a feature imports no other feature$/m);
    expect(output).toContain("src/renderer/features/instances/row.tsx: ../accounts/field");
  });

  it('fails a feature that imports the app frame, and a shared layer that imports a feature', async () => {
    const { code, output } = await check({
      'src/renderer/app/platform.ts': 'export const IS_MAC = false;\n',
      'src/renderer/features/keys/panel.tsx': 'export const KeysPanel = 1;\n',
      'src/renderer/features/terminal/tab.ts': "import { IS_MAC } from '../../app/platform';\nexport const mac = IS_MAC;\n",
      'src/renderer/state/slots.ts': "import { KeysPanel } from '../features/keys/panel';\nexport const slots = { KeysPanel };\n",
    });
    expect(code).toBe(1);
    expect(output).toContain('src/renderer/features/terminal/tab.ts: ../../app/platform');
    expect(output).toContain('src/renderer/state/slots.ts: ../features/keys/panel');
    expect(output).toMatch(/^ok {3}renderer: a feature imports no other feature$/m);
  });

  it('passes features that import their own files and the shared layers', async () => {
    const { code, output } = await check({
      'src/renderer/components/field.tsx': 'export const Field = 1;\n',
      'src/renderer/state/accounts-store.ts': 'export const accountsStore = 1;\n',
      'src/renderer/features/instances/plan.ts': 'export const plan = 1;\n',
      'src/renderer/features/instances/row.tsx':
        "import { Field } from '../../components/field';\nimport { accountsStore } from '../../state/accounts-store';\nimport { plan } from './plan';\nimport '../instances/plan';\nexport const row = [Field, accountsStore, plan];\n",
    });
    expect(output).not.toContain('FAIL');
    expect(code).toBe(0);
  });
});
