import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createEventHub } from '../../src/main/services/app/event-hub';
import { createAwsClientPool, type AwsClientPool } from '../../src/main/services/aws/aws-client-pool';
import { createEc2Service } from '../../src/main/services/ec2/ec2-service';
import { silentLogger } from '../../src/main/services/logging/logger';
import { createSettingsFileBackend } from '../../src/main/services/settings/settings-file-backend';
import { createSettingsStore, type SettingsStore } from '../../src/main/services/settings/settings-store';
import { createSessionLogs } from '../../src/main/services/ssh/session-logs';
import { createTerminalService } from '../../src/main/services/ssh/create-terminal-service';
import type { TerminalService } from '../../src/main/services/ssh/terminal-service';
import type { Events } from '../../src/shared/ipc/contract';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator, type Ec2Simulator } from '../support/ec2-simulator/index';
import { isolateAwsEnv } from '../support/isolated-aws-env';
import { startSshd, type Sshd } from '../support/sshd';
import { stubKeyStore } from '../support/stub-key-store';

let restoreEnv: () => void = () => undefined;
let sshd: Sshd;
let sim: Ec2Simulator;
let pool: AwsClientPool;
let work: string;
let svc: TerminalService;
let settings: SettingsStore;
let output = '';
const opened: string[] = [];

beforeAll(async () => {
  restoreEnv = isolateAwsEnv();
  work = await mkdtemp(join(tmpdir(), 'hangar-session-logs-'));
  sshd = await startSshd();
  sim = await startEc2Simulator();
  pool = createAwsClientPool({
    credentialsFor: () => async () => ({ accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY }),
    endpoint: sim.url,
  });
  const events = createEventHub<Events>();
  events.subscribe((name, payload) => {
    if (name === 'terminal.data') output += Buffer.from((payload as Events['terminal.data']).data).toString('utf8');
  });
  settings = createSettingsStore(createSettingsFileBackend(join(work, 'settings')));
  svc = createTerminalService({
    settings,
    keys: stubKeyStore(sshd.userPrivateKey, 'lab'),
    ec2: createEc2Service({ clientsFor: (id) => pool.clientsFor(id) }),
    events,
    logger: silentLogger,
    userCandidates: () => [sshd.username],
    refusedRetryMs: 0,
    sessionLogs: createSessionLogs({ dir: join(work, 'logs'), openPath: async (path) => void opened.push(path) }),
  });
}, 60_000);

afterAll(async () => {
  svc?.dispose();
  pool?.destroy();
  await sim?.close();
  await sshd?.stop();
  await rm(work, { recursive: true, force: true });
  restoreEnv();
});

async function until(probe: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 10_000;
  while (!probe()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; output so far: ${output.slice(-500)}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('session logs', () => {
  it('writes the output as plain text, never a hidden password, in an owner-only file the tab can open', async () => {
    const instanceId = sim.addInstance('eu-west-1', { publicIp: '203.0.113.9', keyName: 'lab', name: 'gpu box' });
    svc.setOverride(instanceId, { host: `127.0.0.1:${sshd.port}` });
    const session = await svc.open({ accountId: 'acct', region: 'eu-west-1', instanceId, cols: 80, rows: 24, acceptHostKey: sshd.hostKeyFingerprintSha256 });
    const state = await svc.setLogging(session.sessionId, true, true);
    expect(state.on).toBe(true);
    expect(state.path).toMatch(/gpu_box-\d{8}-\d{6}-[0-9a-f]{4}\.log$/);

    svc.write(session.sessionId, "printf '\\033[1;31mcoloured\\033[0m and plain\\n'\n");
    await until(() => output.includes('coloured'), 'the coloured line');
    // A password prompt with echo off: what is typed is never echoed, so it never reaches the log.
    svc.write(session.sessionId, 'stty -echo; read -r secret; stty echo; echo "got ${#secret} chars"\n');
    await new Promise((resolve) => setTimeout(resolve, 300));
    svc.write(session.sessionId, 'hunter2-not-logged\n');
    await until(() => output.includes('got 18 chars'), 'the password read');
    await svc.setLogging(session.sessionId, false, true);

    const text = await readFile(state.path ?? '', 'utf8');
    expect(text).toMatch(/^\[\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\] coloured and plain$/m);
    expect(text).toContain('got 18 chars');
    expect(text).not.toContain('hunter2');
    expect(text).not.toContain('\x1b');
    expect((await stat(state.path ?? '')).mode & 0o777).toBe(0o600);
    expect((await stat(join(work, 'logs'))).mode & 0o777).toBe(0o700);

    // Off: nothing more is written; "Open log" still opens the file it wrote.
    svc.write(session.sessionId, 'echo after-off\n');
    await until(() => output.includes('after-off\r\n'), 'the command after logging stopped');
    expect(await readFile(state.path ?? '', 'utf8')).not.toContain('after-off');
    await svc.openLog(session.sessionId);
    expect(opened).toEqual([state.path]);
    await svc.close(session.sessionId);
  });

  it('"Log every new terminal" has the log open before the first prompt arrives', async () => {
    settings.update({ terminal: { logAlways: true, logTimestamps: false } });
    const from = output.length;
    const instanceId = sim.addInstance('eu-west-1', { publicIp: '203.0.113.11', keyName: 'lab', name: 'always' });
    svc.setOverride(instanceId, { host: `127.0.0.1:${sshd.port}` });
    const session = await svc.open({ accountId: 'acct', region: 'eu-west-1', instanceId, cols: 80, rows: 24, acceptHostKey: sshd.hostKeyFingerprintSha256 });
    expect(svc.logState(session.sessionId).on).toBe(true);
    await until(() => /[#$] $/.test(output.slice(from)), 'the first prompt');
    svc.write(session.sessionId, 'echo first-command\n');
    await until(() => output.includes('first-command\r\n'), 'the first command');
    const path = svc.logState(session.sessionId).path ?? '';
    await svc.close(session.sessionId);
    await new Promise((resolve) => setTimeout(resolve, 200));
    const lines = (await readFile(path, 'utf8')).split('\n');
    // The prompt the shell printed before anything was typed is the log's first line.
    expect(lines[0]).toMatch(/[#$] echo first-command$/);
    expect(lines).toContain('first-command');
  });
});
