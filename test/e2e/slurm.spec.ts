import { mkdtempSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SlurmLayout } from '../../src/main/services/cluster/slurm-config';
import { openInstances } from './aws-fixtures';
import { expect, importLabKey, test } from './ssh-fixtures';
import { startSshd } from '../support/sshd';
import { requireBinary } from '../support/system-deps';
import { stopSlurmDaemons } from '../support/slurm-daemons';

/**
 * Slurm on a cluster through the UI (issue 16): a one-host cluster whose master is a real sshd on loopback (as root);
 * Set up Slurm starts Debian's munged, slurmctld and slurmd there (directly: no systemd in the rig), then a job script
 * picked in the dialog runs and its output file is shown.
 */
const WORK = mkdtempSync(join(tmpdir(), 'hangar-e2e-slurm-'));
const PORT = 20_000 + Math.floor(Math.random() * 20_000);
const LAYOUT: SlurmLayout = {
  confDir: join(WORK, 'etc-slurm'),
  mungeKey: join(WORK, 'munge', 'munge.key'),
  mungeSocket: join(WORK, 'munge.socket'),
  stateDir: join(WORK, 'state'),
  spoolDir: join(WORK, 'spool'),
  logDir: join(WORK, 'log'),
  runDir: join(WORK, 'run'),
  ctldPort: PORT,
  slurmdPort: PORT + 1,
  start: 'direct',
};

test.use({ slurmLayout: LAYOUT });

test('set up Slurm on a cluster, submit a job script, and read its output', async ({ app, hangar, sim, sshd, userKeyFile, addAccount }) => {
  test.setTimeout(90_000);
  requireBinary('slurmctld', 'slurmctld');
  requireBinary('slurmd', 'slurmd');
  requireBinary('sbatch', 'slurm-client');
  requireBinary('munged', 'munge');
  await addAccount();
  const master = await startSshd({ listenHost: '127.0.0.152', port: 22, authorizedKeys: [sshd.userPublicKey] });
  try {
    const id = sim.addInstance('us-east-1', { publicIp: master.host, privateIp: master.host, instanceType: 't3.medium', keyName: 'lab-key', tags: { Name: 'master', 'hangar:cluster': 'hpc-e2e' } });
    hangar.harness.services.terminals.setOverride(id, { host: `${master.host}:22`, user: sshd.username });
    hangar.harness.services.settings.mutate((s) => ({
      ...s,
      hostKeys: { ...s.hostKeys, [id]: { keyType: 'ssh-ed25519', fingerprintSha256: master.hostKeyFingerprintSha256, verifiedBy: 'user' as const, pinnedAt: new Date().toISOString() } },
    }));
    await importLabKey(app, hangar.harness, userKeyFile);
    await openInstances(app);
    await app.getByRole('listitem', { name: 'Cluster hpc-e2e' }).getByRole('button', { name: 'Slurm on hpc-e2e' }).click();
    const dialog = app.getByRole('dialog', { name: 'Slurm on hpc-e2e' });
    await dialog.getByRole('button', { name: 'Set up Slurm' }).click();
    await expect(dialog.getByRole('status', { name: 'Slurm on master' })).toContainText('done · slurmctld and slurmd running', { timeout: 45_000 });

    const form = dialog.getByRole('form', { name: 'Submit a job' });
    const script = join(WORK, 'train.sh');
    await writeFile(script, '#!/bin/sh\necho "epoch 1 of job $SLURM_JOB_ID on $SLURM_JOB_NODELIST"\n');
    await form.getByLabel('Job script').setInputFiles(script);
    const nodes = form.getByRole('textbox', { name: /^Nodes/ });
    await nodes.fill('3');
    await expect(form.getByText('From 1 to 1 (the cluster’s nodes).')).toBeVisible();
    await expect(form.getByRole('button', { name: 'Submit' })).toBeDisabled();
    await nodes.fill('1');
    await form.getByRole('textbox', { name: /^Time limit/ }).fill('1h');
    await expect(form.getByText('Give minutes (90), h:mm:ss (1:30:00) or d-hh:mm:ss.')).toBeVisible();
    await form.getByRole('textbox', { name: /^Time limit/ }).fill('10');
    await form.getByRole('button', { name: 'Submit' }).click();
    const submitted = await form.getByRole('status').filter({ hasText: 'Submitted as job' }).textContent({ timeout: 15_000 });
    const jobId = /job (\d+)/.exec(submitted ?? '')?.[1] ?? '';
    const finished = dialog.getByRole('table', { name: 'Finished jobs' }).getByRole('row', { name: `Job ${jobId} train` });
    await expect(finished).toContainText('completed', { timeout: 30_000 });
    await finished.getByRole('button', { name: 'Output' }).click();
    await expect(dialog.getByLabel(`Output of job ${jobId}`)).toHaveText(`epoch 1 of job ${jobId} on master\n`);
  } finally {
    await stopSlurmDaemons(LAYOUT.runDir);
    await master.stop();
    await rm(WORK, { recursive: true, force: true, maxRetries: 5, retryDelay: 200 });
  }
});
