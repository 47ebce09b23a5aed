import { expect, notificationsShown, openInstances, row, test } from './aws-fixtures';

/**
 * Spot that stops instead of vanishing: the Launch wizard's spot choices, what the review says of each, the
 * options RunInstances receives (read back from the simulator), and a spot instance's request on its row.
 */
test.use({ recordNotifications: true });

test.afterEach(() => {
  delete process.env.HANGAR_IP_ECHO_URL;
});

test.describe('spot launches', () => {
  test('a persistent spot launch that stops when interrupted sends those options with the maximum price, and the review says what each choice costs', async ({
    app,
    sim,
    addAccount,
  }) => {
    test.setTimeout(90_000);
    // Nothing listens there: the network step falls back to the default VPC's group.
    process.env.HANGAR_IP_ECHO_URL = 'http://127.0.0.1:9/';
    await addAccount();
    await openInstances(app);
    await app.getByRole('button', { name: 'Launch', exact: true }).click();
    const dialog = app.getByRole('dialog', { name: /^Launch instances in / });
    await dialog.getByRole('radio', { name: 'Ubuntu 24.04 LTS x86_64' }).check({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('radio', { name: 't3.micro', exact: true }).check({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('button', { name: 'Next' }).click();

    // Details: spot, with the persistent request (stop when interrupted) chosen by default.
    await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('keeps');
    await dialog.getByRole('checkbox', { name: 'Spot instance (cheaper, can be interrupted)' }).check();
    await expect(dialog.getByRole('radio', { name: 'Stop the instance (persistent request)' })).toBeChecked();
    await dialog.getByRole('radio', { name: 'Terminate the instance (one-time request)' }).check();
    await expect(dialog).toContainText('A one-time spot instance cannot be stopped, only terminated.');
    const maxPrice = dialog.getByRole('textbox', { name: 'Maximum price per hour (USD) (optional)' });
    await maxPrice.fill('0.0005');
    await expect(dialog).toContainText('A price in dollars per hour above $0.001');
    await expect(dialog.getByRole('button', { name: 'Next' })).toBeDisabled();
    await maxPrice.fill('0.5');
    await dialog.getByRole('button', { name: 'Next' }).click();

    // Review of one-time spot: no "stopped instances cost only their volumes" — it cannot be stopped.
    const cost = dialog.getByRole('group', { name: 'Estimated cost' });
    await expect(cost).toContainText('A one-time spot instance cannot be stopped: an interruption or a terminate ends it, and its root volume and everything on it are deleted.', {
      timeout: 15_000,
    });
    await expect(cost).not.toContainText('Stopped instances cost only their volumes.');
    await dialog.getByRole('button', { name: 'Back' }).click();
    await dialog.getByRole('radio', { name: 'Stop the instance (persistent request)' }).check();
    await dialog.getByRole('button', { name: 'Next' }).click();

    await expect(dialog.getByRole('status').filter({ hasText: 'Dry run passed' })).toBeVisible({ timeout: 15_000 });
    await expect(dialog).toContainText('t3.micro — 2 vCPU, 1 GiB, spot (persistent: stops when interrupted, at most $0.500/h)');
    await expect(cost).toContainText('Stopped instances — stopped by you or by an interruption — cost only their volumes');
    await expect(cost).toContainText('Terminating one from Hangar also cancels its spot request.');
    await dialog.getByText('The same launch with the AWS CLI').click();
    await expect(dialog.getByLabel('AWS CLI command')).toContainText(
      "--instance-market-options 'MarketType=spot,SpotOptions={SpotInstanceType=persistent,InstanceInterruptionBehavior=stop,MaxPrice=0.5}'",
    );
    sim.clearRequests();
    await dialog.getByRole('button', { name: 'Launch 1 instance' }).click();
    const launched = dialog.getByRole('list', { name: 'Launched instances' });
    await expect(launched).toContainText('keeps', { timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Done' }).click();

    // What RunInstances received, as the simulator recorded it.
    expect(sim.requests.filter((r) => r.action === 'RunInstances' && r.status === 200)).toHaveLength(1);
    await expect(row(app, 'keeps')).toContainText('spot, persistent (stops when interrupted)', { timeout: 15_000 });
    // The row's DOM id carries the instance id (the Instance ID column is not shown by default).
    const id = (await row(app, 'keeps').getAttribute('id'))?.match(/i-[0-9a-f]+/)?.[0] ?? '';
    expect(sim.instance(id)?.spotOptions).toEqual({ type: 'persistent', interruptionBehavior: 'stop', maxPrice: '0.5' });
  });

  test('an interruption notice shows on the spot instance’s row and as a desktop notification', async ({ app, sim, addAccount }) => {
    const id = sim.addInstance('us-east-1', { name: 'cheap-gpu', instanceType: 'g4dn.xlarge', instanceLifecycle: 'spot', spotOptions: { type: 'persistent', interruptionBehavior: 'stop' } });
    await addAccount();
    await openInstances(app);
    await expect(row(app, 'cheap-gpu')).toContainText('spot, persistent (stops when interrupted)');
    await expect(row(app, 'cheap-gpu').getByTitle('spot, persistent (stops when interrupted)')).toBeVisible();
    expect(await notificationsShown(app)).toEqual([]);

    sim.seed.spotRequest('us-east-1', { instanceId: id, type: 'persistent', interruptionBehavior: 'stop', statusCode: 'marked-for-stop', statusMessage: 'Spot Instance is marked for stop.' });
    await app.keyboard.press('F5');
    await expect(row(app, 'cheap-gpu')).toContainText('Spot interruption: Stopping in 2 min', { timeout: 15_000 });
    await expect.poll(() => notificationsShown(app)).toEqual([
      {
        title: 'Spot interruption — cheap-gpu',
        body: 'AWS needs the capacity back and will stop this spot instance within two minutes. Its disk is kept; AWS starts it again when capacity returns.',
        tag: `spot-${id}-marked-for-stop`,
      },
    ]);
    // Told once, however often the list is polled.
    await app.keyboard.press('F5');
    await expect(row(app, 'cheap-gpu')).toContainText('Spot interruption: Stopping in 2 min');
    expect(await notificationsShown(app)).toHaveLength(1);
  });
});
