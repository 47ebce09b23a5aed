import { openInstances, row } from './aws-fixtures';
import { expect, importLabKey, test } from './ssh-fixtures';
import { createLoopDisk, type LoopDisk } from '../support/loop-disk';

/**
 * Storage… of an instance (issue 14). The instance is the rig's sshd; its data volume is a real loop disk on this
 * machine (partitioned, xfs, mounted) that the simulator grows when ModifyVolume's new size becomes usable, as
 * EBS does. Hangar finds the disk, runs growpart and xfs_growfs over SSH, and df on the rig shows the new size.
 */
const GIB = 1024 ** 3;

test.describe('storage', () => {
  test('grow a volume: a smaller size refused at the field, then AWS grows it and the filesystem follows; df on the rig shows it', async ({
    app,
    hangar,
    sim,
    seeded,
    sshd,
    userKeyFile,
    addAccount,
    routeToSshd,
  }) => {
    test.setTimeout(90_000);
    await addAccount();
    await routeToSshd(seeded.web);
    hangar.harness.services.settings.mutate((s) => ({
      ...s,
      hostKeys: { ...s.hostKeys, [seeded.web]: { keyType: 'ssh-ed25519', fingerprintSha256: sshd.hostKeyFingerprintSha256, verifiedBy: 'user' as const, pinnedAt: new Date().toISOString() } },
    }));
    await importLabKey(app, hangar.harness, userKeyFile);
    const disk: LoopDisk = await createLoopDisk({ sizeGiB: 3, fsType: 'xfs', partitioned: true, mount: true });
    try {
      const volumeId = sim.seed.volume('us-east-1', { size: 3, type: 'gp2', attachedTo: seeded.web, tags: { Name: 'datasets' } });
      sim.onVolumeResize(async ({ volumeId: grown, size }) => {
        if (grown === volumeId) await disk.grow(size);
      });
      await openInstances(app);
      await row(app, 'web-1').getByRole('checkbox', { name: 'Select web-1' }).check();
      await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Storage…' }).click();
      const dialog = app.getByRole('dialog', { name: 'Storage of web-1' });
      const card = dialog.getByRole('article', { name: `Volume ${volumeId}` });
      await expect(card).toContainText(`→ ${disk.device}`, { timeout: 20_000 });
      await expect(card.getByRole('cell', { name: disk.mountPoint ?? '' })).toBeVisible();
      // The root volume is listed too (its disk is not this machine's, so it has no OS side here).
      await expect(dialog.getByRole('article', { name: /^Volume vol-/ })).toHaveCount(2);

      await card.getByRole('button', { name: 'Grow…' }).click();
      const form = dialog.getByRole('form', { name: `Grow ${volumeId}` });
      await expect(form).toContainText('only grows');
      const size = form.getByRole('textbox', { name: /^New size/ });
      await size.fill('2');
      await expect(form.getByText('A volume can only grow: enter more than 3 GiB.')).toBeVisible();
      await expect(form.getByRole('button', { name: /^Grow/ })).toBeDisabled();
      await size.fill('5');
      await form.getByRole('combobox', { name: 'Volume type' }).selectOption('gp3');
      await form.getByRole('button', { name: 'Grow to 5 GiB' }).click();
      await expect(dialog.getByRole('status').filter({ hasText: `${volumeId} is 5 GiB.` })).toContainText('The filesystem is now 4.9 GiB (was 2.9 GiB)', { timeout: 45_000 });
      expect(await disk.dfBytes()).toBeGreaterThan(4.5 * GIB);
      expect(sim.volume('us-east-1', volumeId)).toMatchObject({ size: 5, type: 'gp3' });
      await expect(card).toContainText('5 GiB gp3, 3,000 IOPS, 125 MiB/s');
      await expect(card).toContainText('3 → 5 GiB gp3');
    } finally {
      sim.onVolumeResize(undefined);
      await disk.dispose();
    }
  });

  test('change type of a running instance: unusable types said why, the price before → after, stop-change-start asked first', async ({ app, sim, seeded, addAccount }) => {
    test.setTimeout(60_000);
    await addAccount();
    sim.setInstanceTypeOffered('us-east-1', 'm5.large', ['us-east-1f']);
    await openInstances(app);
    await row(app, 'web-1').getByRole('checkbox', { name: 'Select web-1' }).check();
    await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Change type…' }).click();
    const dialog = app.getByRole('dialog', { name: 'Change type of web-1' });
    await expect(dialog).toContainText('Now t3.micro');
    const types = dialog.getByRole('radiogroup', { name: 'Instance types' });
    await expect(types.getByRole('radio', { name: /^m5\.large/ })).toBeDisabled();
    await expect(types).toContainText('Not offered in us-east-1a, the instance’s zone.');
    await expect(types.getByRole('radio', { name: /^t3\.micro/ })).toHaveCount(0);
    await types.getByRole('radio', { name: /^t3\.small/ }).check();
    await expect(dialog.getByRole('status')).toContainText(/t3\.micro \$0\.\d+\/h → t3\.small \$0\.\d+\/h/);
    await dialog.getByRole('button', { name: 'Stop, change and start…' }).click();
    const confirm = dialog.getByRole('alertdialog', { name: 'Stop, change and start?' });
    await expect(confirm).toContainText('work in memory is lost');
    await confirm.getByRole('button', { name: 'Stop, change and start' }).click();
    await expect(dialog.getByRole('status').filter({ hasText: 'is now' })).toHaveText('web-1 is now t3.small (was t3.micro) and running again.', { timeout: 30_000 });
    expect(sim.instance(seeded.web)).toMatchObject({ instanceType: 't3.small' });
    await app.keyboard.press('Escape');
    await expect(dialog).toBeHidden();
    await expect(row(app, 'web-1')).toContainText('t3.small', { timeout: 15_000 });
  });

  test('add an existing volume: one in another zone is shown with the way round, one in the zone attaches; detach asks first and offers delete', async ({ app, sim, seeded, addAccount }) => {
    test.setTimeout(60_000);
    await addAccount();
    const here = sim.seed.volume('us-east-1', { size: 7, type: 'gp3', availabilityZone: 'us-east-1a', tags: { Name: 'old-results' } });
    const there = sim.seed.volume('us-east-1', { size: 9, availabilityZone: 'us-east-1b' });
    await openInstances(app);
    await row(app, 'web-1').getByRole('checkbox', { name: 'Select web-1' }).check();
    await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Storage…' }).click();
    const dialog = app.getByRole('dialog', { name: 'Storage of web-1' });
    await dialog.getByRole('button', { name: 'Add volume…' }).click();
    const form = dialog.getByRole('form', { name: 'Add a volume' });
    await form.getByRole('radio', { name: 'An existing volume' }).check();
    const list = form.getByRole('radiogroup', { name: 'Unattached volumes' });
    await expect(list.getByRole('radio', { name: new RegExp(there) })).toBeDisabled();
    await expect(list).toContainText('In another zone: snapshot it and restore the snapshot in us-east-1a');
    await list.getByRole('radio', { name: new RegExp(here) }).check();
    await form.getByRole('button', { name: 'Attach' }).click();
    const card = dialog.getByRole('article', { name: `Volume ${here}` });
    await expect(card).toContainText('/dev/sdf');
    expect(sim.volume('us-east-1', here)?.attachedTo).toBe(seeded.web);

    await card.getByRole('button', { name: 'Detach…' }).click();
    const confirm = app.getByRole('dialog', { name: `Detach ${here}?` });
    await expect(confirm).toContainText('The volume and its data stay');
    await confirm.getByRole('button', { name: 'Unmount and detach' }).click();
    await expect(card).toBeHidden();
    await expect.poll(() => sim.volume('us-east-1', here)?.state).toBe('available');
    await dialog.getByRole('region', { name: 'Detached volumes' }).getByRole('button', { name: 'Delete…' }).click();
    await app.getByRole('dialog', { name: `Delete ${here}?` }).getByRole('button', { name: 'Delete volume' }).click();
    await expect(dialog.getByRole('status').filter({ hasText: `${here} is deleted.` })).toBeVisible();
    expect(sim.volume('us-east-1', here)).toBeUndefined();
  });
});
