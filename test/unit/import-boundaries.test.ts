import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

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
  ])('%s may not import that', async (file, code) => {
    expect(await ruleHits(file, code)).not.toEqual([]);
  });

  it.each([
    ['src/main/electron/probe.ts', "import { app } from 'electron';\nexport const x = app;\n"],
    ['src/preload/probe.ts', "import { contextBridge } from 'electron';\nexport const x = contextBridge;\n"],
    ['src/renderer/app/probe.ts', "import { HangarError } from '../../shared/errors/hangar-error';\nexport const x = HangarError;\n"],
    ['src/main/services/probe.ts', "import type { Events } from '../../shared/ipc/contract';\nexport type X = Events;\n"],
  ])('%s may import that', async (file, code) => {
    expect(await ruleHits(file, code)).toEqual([]);
  });
});
