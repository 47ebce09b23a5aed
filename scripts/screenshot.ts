/**
 * `npx tsx scripts/screenshot.ts`: the README's pictures, taken from the real app in Chromium.
 * - docs/screenshot-light.png / -dark.png: the instance dashboard (All regions) of an account on the EC2
 *   simulator, light and dark;
 * - docs/screenshot-terminal.png: a terminal tab on an instance, against a real local sshd;
 * - docs/screenshot-transfers.png / -files.png: the transfer queue after two uploads to that sshd, and the
 *   instance's file browser;
 * - docs/screenshot-storage.png: Storage… of that instance with a nearly full data volume (a loop disk; root only);
 * - docs/screenshot-ways-in.png: the ways into an instance whose port 22 is closed and whose SSM agent is online.
 * Builds nothing: it serves out/renderer (`npx electron-vite build`) through the web harness with an
 * in-memory keychain and a throwaway data dir, so no real settings, secrets or AWS account are touched.
 */
import { existsSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Page } from 'playwright';
import { startWebHarness } from '../src/main/bridge/web-harness';
import { createLogger } from '../src/main/services/logging/logger';
import { createTransferTestProbe } from '../src/main/services/transfer/transfer-test-probe';
import { DEFAULT_ACCESS_KEY_ID, DEFAULT_SECRET_ACCESS_KEY, startEc2Simulator } from '../test/support/ec2-simulator/index';
import { createMemorySecretStore } from '../test/support/memory-secret-store';
import { startSshd } from '../test/support/sshd';
import { createLoopDisk } from '../test/support/loop-disk';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const execFileAsync = promisify(execFile);

const rendererDir = resolve('out/renderer');
if (!existsSync(join(rendererDir, 'index.html'))) {
  console.error('out/renderer is not built. Run: npx electron-vite build');
  process.exit(1);
}

const outDir = resolve('docs');
await mkdir(outDir, { recursive: true });
const work = await mkdtemp(join(tmpdir(), 'hangar-screenshot-'));
const home = join(work, 'home');
await mkdir(home);
const sshd = await startSshd({ extraConfig: [`SetEnv HOME=${home}`] });
const sim = await startEc2Simulator();
const instances: Array<[string, string, string, 'running' | 'stopped']> = [
  ['us-east-1', 'thesis-gpu', 'g5.xlarge', 'running'],
  ['us-east-1', 'jupyter-lab', 't3.large', 'running'],
  ['us-east-1', 'data-prep', 'm6i.xlarge', 'stopped'],
  ['eu-west-1', 'forgotten-box', 'p3.2xlarge', 'running'],
  ['ap-southeast-2', 'sydney-mirror', 't3.micro', 'stopped'],
];
let gpuId = '';
let labId = '';
for (const [region, name, instanceType, state] of instances) {
  const id = sim.addInstance(region, { name, instanceType, state, keyName: 'lab-key', publicIp: state === 'running' ? '198.51.100.23' : null });
  if (name === 'thesis-gpu') gpuId = id;
  if (name === 'jupyter-lab') labId = id;
}
// jupyter-lab keeps the VPC's default group (members only: port 22 closed to the outside); its SSM agent is online.
sim.sessionManager.setAgentOnline(labId, true);
process.env.AWS_ENDPOINT_URL = sim.url;
process.env.AWS_CONFIG_FILE = join(work, 'aws-config');
process.env.AWS_SHARED_CREDENTIALS_FILE = join(work, 'aws-credentials');

const harness = await startWebHarness({
  dataDir: join(work, 'data'),
  rendererDir,
  secrets: createMemorySecretStore(),
  logger: createLogger({ level: 'error' }),
  version: (JSON.parse(readFileSync('package.json', 'utf8')) as { version: string }).version,
});
// The shots are wider than the default window: show the shape and public address as well.
harness.services.settings.update({ ui: { instanceColumns: ['state', 'type', 'shape', 'az', 'publicIp', 'price'] } });
const account = await harness.services.accounts.add({ label: 'Lab account', accessKeyId: DEFAULT_ACCESS_KEY_ID, secretAccessKey: DEFAULT_SECRET_ACCESS_KEY });
const keyPath = join(work, 'lab-key.pem');
await writeFile(keyPath, sshd.userPrivateKey, { mode: 0o600 });
await harness.services.keys.import({ path: keyPath, name: 'lab-key' });
harness.services.terminals.setOverride(gpuId, { host: `127.0.0.1:${sshd.port}`, user: sshd.username });

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--hide-scrollbars'],
});

async function allRegions(page: Page): Promise<void> {
  await page.goto(harness.url);
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Instances', exact: true }).click();
  await page.getByRole('combobox', { name: 'Region', exact: true }).selectOption('all');
  await page.getByRole('row', { name: /forgotten-box/ }).waitFor();
  await page.getByRole('row', { name: /thesis-gpu/ }).getByText(/vCPU/).waitFor();
  await page.mouse.move(0, 799);
}

try {
  for (const scheme of ['light', 'dark'] as const) {
    const context = await browser.newContext({ viewport: { width: 1440, height: 860 }, colorScheme: scheme, reducedMotion: 'reduce' });
    const page = await context.newPage();
    await allRegions(page);
    await page.screenshot({ path: join(outDir, `screenshot-${scheme}.png`) });
    console.log(`wrote docs/screenshot-${scheme}.png`);
    await context.close();
  }
  {
    const context = await browser.newContext({ viewport: { width: 1440, height: 860 }, colorScheme: 'light', reducedMotion: 'reduce' });
    const page = await context.newPage();
    await allRegions(page);
    const ways = page.getByRole('button', { name: 'Ways into jupyter-lab' });
    await ways.filter({ hasText: 'SSM' }).waitFor();
    await ways.click();
    await page.getByRole('menu', { name: 'Ways into jupyter-lab' }).waitFor();
    await page.waitForTimeout(300);
    await page.screenshot({ path: join(outDir, 'screenshot-ways-in.png') });
    console.log('wrote docs/screenshot-ways-in.png');
    await context.close();
  }
  const context = await browser.newContext({ viewport: { width: 1440, height: 860 }, colorScheme: 'dark', reducedMotion: 'reduce' });
  const page = await context.newPage();
  await allRegions(page);
  await page.getByRole('button', { name: 'Connect to thesis-gpu' }).click();
  await page.getByRole('button', { name: 'Trust and connect' }).click();
  await page.getByRole('tabpanel').locator('.terminal-host').click();
  await page.waitForTimeout(800);
  await page.keyboard.type('printf "\\033[1;32mHangar\\033[0m: connected to %s as %s\\n" thesis-gpu "$(id -un)"; uname -sr\n');
  await page.waitForTimeout(800);
  await page.mouse.move(0, 859);
  await page.screenshot({ path: join(outDir, 'screenshot-terminal.png') });
  console.log('wrote docs/screenshot-terminal.png');

  // Two uploads through the real engine (the host key is trusted by now), then the queue and the browser.
  const data = join(work, 'upload');
  await mkdir(join(data, 'dataset', 'train'), { recursive: true });
  for (let i = 0; i < 40; i += 1) await writeFile(join(data, 'dataset', 'train', `sample-${String(i).padStart(3, '0')}.csv`), 'x,y\n'.repeat(2000 + i * 50));
  await writeFile(join(data, 'weights.pt'), Buffer.alloc(48 * 1024 * 1024, 7));
  await writeFile(join(data, 'train.py'), 'print("training")\n', { mode: 0o755 });
  const instance = { accountId: account.id, region: 'us-east-1', instanceId: gpuId };
  for (const localPaths of [[join(data, 'dataset')], [join(data, 'weights.pt'), join(data, 'train.py')]]) {
    const job = harness.services.transfers.upload({ instance, localPaths, remoteDir: '.' });
    await createTransferTestProbe(harness.services.transfers).whenSettled(job.jobId);
  }
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: /^Transfers/ }).click();
  await page.getByRole('list', { name: 'Transfer queue' }).getByRole('listitem').nth(1).waitFor();
  await page.mouse.move(0, 859);
  await page.screenshot({ path: join(outDir, 'screenshot-transfers.png') });
  console.log('wrote docs/screenshot-transfers.png');

  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Instances', exact: true }).click();
  await page.getByRole('button', { name: 'Files on thesis-gpu' }).click();
  await page.getByRole('dialog').getByText('weights.pt').waitFor();
  await page.waitForTimeout(300);
  await page.screenshot({ path: join(outDir, 'screenshot-files.png') });
  console.log('wrote docs/screenshot-files.png');
  await page.keyboard.press('Escape');

  // Storage… with a data volume that is nearly full: a real xfs on a loop disk of this machine (needs root).
  if (process.getuid?.() === 0) {
    const disk = await createLoopDisk({ sizeGiB: 3, fsType: 'xfs', partitioned: true, mount: true });
    try {
      await execFileAsync('fallocate', ['-l', '2800M', join(disk.mountPoint ?? '', 'checkpoints.bin')]);
      sim.seed.volume('us-east-1', { size: 3, type: 'gp3', attachedTo: gpuId, tags: { Name: 'datasets' } });
      await page.getByRole('row', { name: /thesis-gpu/ }).getByRole('checkbox').check();
      await page.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Storage…' }).click();
      await page.getByRole('dialog', { name: 'Storage of thesis-gpu' }).getByText('The disk is nearly full: grow it.').waitFor();
      await page.waitForTimeout(300);
      await page.screenshot({ path: join(outDir, 'screenshot-storage.png') });
      console.log('wrote docs/screenshot-storage.png');
    } finally {
      await disk.dispose();
    }
  } else {
    console.log('skipped docs/screenshot-storage.png (a loop disk needs root)');
  }
  await context.close();
} finally {
  await browser.close();
  await harness.close();
  await sim.close();
  await sshd.stop();
  await rm(work, { recursive: true, force: true });
}
