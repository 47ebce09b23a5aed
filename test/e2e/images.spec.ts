import type { Page } from '@playwright/test';
import { expect, openInstances, row, test } from './aws-fixtures';

const PARTNER = '111122223333';
const REGION = 'us-east-1';

async function openImages(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Sections' }).getByRole('button', { name: 'Images & snapshots', exact: true }).click();
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Images & snapshots');
}

function imageRow(page: Page, name: string) {
  return page.getByRole('table', { name: `AMIs in ${REGION}` }).getByRole('row').filter({ hasText: name });
}

test.describe('images and snapshots', () => {
  test('create an AMI of an instance, share it (a bad account id is refused at the field), deregister it with its snapshots: all gone', async ({ app, addAccount, seeded, sim }) => {
    await addAccount();
    await openInstances(app);
    const web = row(app, 'web-1');
    await expect(web).toContainText('Running');
    await web.getByRole('checkbox', { name: 'Select web-1' }).check();
    await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Create image…' }).click();

    const create = app.getByRole('dialog', { name: 'Create image of web-1' });
    const name = create.getByRole('textbox', { name: 'Image name' });
    await name.fill('x');
    await expect(create).toContainText('An AMI name is at least 3 characters.');
    await expect(create.getByRole('button', { name: 'Create image' })).toBeDisabled();
    await name.fill('web-1 env');
    await create.getByRole('textbox', { name: 'Description' }).fill('python + data');
    // Both choices are explained before anything runs; this one keeps the instance up.
    await expect(create.getByRole('radio', { name: /^Reboot \(recommended\): a consistent filesystem/ })).toBeChecked();
    await create.getByRole('radio', { name: /^No reboot: no downtime/ }).check();
    await create.getByRole('button', { name: 'Create image' }).click();
    const follow = create.getByRole('status');
    await expect(follow).toContainText('Pending');
    await expect(follow).toContainText('Available', { timeout: 15_000 });
    const made = sim.ownImages(REGION).find((i) => i.name === 'web-1 env');
    expect(made).toMatchObject({ state: 'available', description: 'python + data', tags: { 'hangar:created-by': 'Hangar', Name: 'web-1 env' } });
    expect(sim.createdImages.at(-1)).toEqual({ instanceId: seeded.web, imageId: made?.id, noReboot: true });
    const snapshotIds = made?.snapshotIds ?? [];
    expect(snapshotIds).toHaveLength(1);
    await create.getByRole('button', { name: 'Close', exact: true }).last().click();

    await openImages(app);
    const ami = imageRow(app, 'web-1 env');
    await expect(ami).toContainText('Available');
    await expect(app.getByRole('table', { name: `Snapshots in ${REGION}` })).toContainText(snapshotIds[0] ?? 'missing');

    // Share: a bad id is refused at the field and nothing reaches AWS.
    await ami.getByRole('button', { name: 'Share web-1 env' }).click();
    const share = app.getByRole('dialog', { name: 'Share web-1 env' });
    await expect(share.getByRole('group', { name: 'Shared with' })).toContainText('Private: only this account can launch it.');
    const ids = share.getByRole('textbox', { name: 'AWS account IDs' });
    await ids.fill('12345');
    await expect(ids).toHaveAttribute('aria-invalid', 'true');
    await expect(share).toContainText('“12345” is not an AWS account ID');
    await expect(share.getByRole('button', { name: 'Share', exact: true })).toBeDisabled();
    expect(sim.ownImages(REGION).find((i) => i.id === made?.id)?.launchPermissions).toEqual([]);
    await ids.fill(PARTNER);
    await expect(ids).not.toHaveAttribute('aria-invalid', 'true');
    await share.getByRole('button', { name: 'Share', exact: true }).click();
    await expect(share.getByRole('group', { name: 'Shared with' })).toContainText(`Shared with ${PARTNER}`);
    expect(sim.ownImages(REGION).find((i) => i.id === made?.id)?.launchPermissions).toEqual([PARTNER]);
    for (const id of snapshotIds) expect(sim.ownSnapshots(REGION).find((s) => s.id === id)?.createVolumePermissions).toEqual([PARTNER]);
    await share.getByRole('button', { name: 'Close', exact: true }).last().click();
    await expect(share).toBeHidden();

    // Deregister with its snapshots (the default), said first.
    await ami.getByRole('button', { name: 'Deregister web-1 env' }).click();
    const gone = app.getByRole('dialog', { name: 'Deregister web-1 env?' });
    await expect(gone.getByRole('checkbox', { name: /Also delete its 1 snapshot/ })).toBeChecked();
    await expect(gone).toContainText('First the AMI is deregistered, then each snapshot is deleted');
    await gone.getByRole('button', { name: 'Deregister and delete snapshots' }).click();
    await expect(gone).toBeHidden();
    await expect(app.getByRole('status').filter({ hasText: 'Deregistered web-1 env' })).toContainText(`deleted 1 snapshot (${snapshotIds[0]})`);
    expect(sim.ownImages(REGION).map((i) => i.id)).not.toContain(made?.id);
    const left = new Set(sim.ownSnapshots(REGION).map((s) => s.id));
    expect(snapshotIds.filter((id) => left.has(id))).toEqual([]);
    await expect(app.getByRole('heading', { level: 2, name: /My AMIs/ })).toContainText('0');
    await expect(app.getByText(`No AMIs of this account in ${REGION}`)).toBeVisible();
  });

  test('snapshot before terminate leaves a snapshot of the deleted volume', async ({ app, addAccount, seeded, sim }) => {
    await addAccount();
    await openInstances(app);
    const rootVolume = sim.instance(seeded.scratch)?.rootVolume.id ?? '';
    const scratch = row(app, 'scratch-box');
    await scratch.getByRole('checkbox').check();
    await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Terminate', exact: true }).click();
    const dialog = app.getByRole('dialog', { name: 'Terminate scratch-box?' });
    const option = dialog.getByRole('checkbox', { name: 'Snapshot the 1 volume that would be deleted first (8 GiB)' });
    await expect(dialog.getByRole('list', { name: 'Volumes deleted with the instance' })).toContainText(rootVolume);
    await option.check();
    await dialog.getByRole('textbox', { name: 'Type scratch-box to confirm' }).fill('scratch-box');
    await dialog.getByRole('button', { name: 'Terminate instance' }).click();
    await expect(dialog).toBeHidden();
    await expect(scratch).toContainText('Terminated', { timeout: 10_000 });
    expect(sim.volume(REGION, rootVolume)).toBeUndefined();
    const kept = sim.ownSnapshots(REGION).filter((s) => s.volumeId === rootVolume);
    expect(kept).toHaveLength(1);
    expect(kept[0]?.tags).toMatchObject({ 'hangar:created-by': 'Hangar', 'hangar:terminated-instance': seeded.scratch });

    // And it is listed on the Images & snapshots screen.
    await openImages(app);
    await expect(app.getByRole('table', { name: `Snapshots in ${REGION}` })).toContainText(kept[0]?.id ?? 'missing');
  });

  test('a snapshot shows its progress while pending; deleting one an AMI holds names the AMI', async ({ app, addAccount, sim, seeded }) => {
    await addAccount();
    const held = sim.addImage(REGION, { name: 'held-by-ami' });
    const heldSnapshot = sim.ownImages(REGION).find((i) => i.id === held)?.snapshotIds[0] ?? '';
    await openImages(app);
    await app.getByRole('button', { name: 'Create snapshot…' }).click();
    const dialog = app.getByRole('dialog', { name: 'Create snapshot' });
    const web = sim.instance(seeded.web)?.rootVolume.id ?? '';
    await dialog.getByRole('combobox', { name: 'Volume' }).selectOption(web);
    await dialog.getByRole('textbox', { name: 'Description' }).fill('before the upgrade');
    await dialog.getByRole('button', { name: 'Create snapshot' }).click();
    await expect(dialog).toBeHidden();
    const made = sim.ownSnapshots(REGION).find((s) => s.volumeId === web);
    expect(made).toMatchObject({ description: 'before the upgrade', tags: { 'hangar:created-by': 'Hangar' } });
    const snapshots = app.getByRole('table', { name: `Snapshots in ${REGION}` });
    const line = snapshots.getByRole('row').filter({ hasText: made?.id ?? 'missing' });
    await expect(line.getByRole('progressbar', { name: `Progress of ${made?.id}` })).toBeVisible();
    await expect(line).toContainText('Completed', { timeout: 15_000 });

    await snapshots.getByRole('row').filter({ hasText: heldSnapshot }).getByRole('button', { name: /^Delete / }).click();
    const confirm = app.getByRole('dialog', { name: /^Delete / });
    await confirm.getByRole('button', { name: 'Delete snapshot' }).click();
    await expect(confirm.getByRole('alert')).toContainText(`used by AMI held-by-ami (${held})`);
    expect(sim.snapshot(REGION, heldSnapshot)).toBeDefined();
  });

  test('Launch… on an available AMI opens the wizard with it chosen under My AMIs; a pending one cannot be launched yet', async ({ app, addAccount, sim }) => {
    await addAccount();
    sim.addImage(REGION, { name: 'ready-env' });
    sim.addImage(REGION, { name: 'baking-env', state: 'pending', availableAt: Date.now() + 60 * 60_000 });
    await openImages(app);
    await expect(imageRow(app, 'baking-env').getByRole('button', { name: 'Launch from baking-env' })).toBeDisabled();
    await imageRow(app, 'ready-env').getByRole('button', { name: 'Launch from ready-env' }).click();
    const wizard = app.getByRole('dialog', { name: /^Launch instances in / });
    const mine = wizard.getByRole('radiogroup', { name: 'My AMIs' });
    await expect(mine.getByRole('radio', { name: 'ready-env x86_64' })).toBeChecked();
    // The pending AMI is not offered until it is available.
    await expect(mine.getByRole('radio', { name: /baking-env/ })).toHaveCount(0);
  });
});
