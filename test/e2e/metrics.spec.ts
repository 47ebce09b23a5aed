import { expect, openInstances, row, test } from './aws-fixtures';

/** An instance's CPU graph: the metrics service asks the simulator's CloudWatch (GetMetricData) for the last 3 h. */
test.describe('instance metrics', () => {
  test('the CPU graph of a busy instance shows the simulator’s series, and an idle one is called idle', async ({ app, sim, seeded, addAccount }) => {
    sim.setMetrics(seeded.web, { CPUUtilization: 42 });
    await addAccount();
    await openInstances(app);

    await row(app, 'web-1').getByRole('button', { name: 'Metrics of web-1' }).click();
    const dialog = app.getByRole('dialog', { name: 'Metrics — web-1' });
    await expect(dialog.getByRole('status')).toHaveText('CPU averaged 42 % over the last 3 h — busy (peak 42 %)', { timeout: 15_000 });
    const cpu = dialog.getByRole('img', { name: /^CPU utilisation, last 3 hours/ });
    await expect(cpu).toHaveAttribute('aria-label', /, 3[56] five-minute points\. CPU averaged 42 %/);
    // One point per 5 minutes of the last 3 h, drawn as a line at 42 % of the height.
    expect(Number(await cpu.getAttribute('data-points'))).toBeGreaterThanOrEqual(35);
    await expect(cpu.locator('polyline')).toHaveCount(1);
    await expect(dialog.getByRole('img', { name: /^Network in, last 3 hours: \d+(\.\d)? MB in all\.$/ })).toBeVisible();
    await dialog.getByRole('button', { name: 'Close' }).last().click();
    await expect(dialog).toBeHidden();

    // The simulator's default series (0.8–3.2 %): idle.
    await row(app, 'scratch-box').getByRole('button', { name: 'Metrics of scratch-box' }).click();
    const idle = app.getByRole('dialog', { name: 'Metrics — scratch-box' });
    await expect(idle.getByRole('status')).toHaveText(/^CPU averaged \d(\.\d)? % over the last 3 h — idle \(peak \d(\.\d)? %\)$/, { timeout: 15_000 });
    expect(sim.requests.filter((r) => r.action === 'GetMetricData').map((r) => r.region)).toEqual(['us-east-1', 'us-east-1']);
  });

  test('a refusal names the permission CloudWatch wants', async ({ app, sim, addAccount }) => {
    sim.denyActions(['cloudwatch:GetMetricData']);
    await addAccount();
    await openInstances(app);
    await row(app, 'web-1').getByRole('button', { name: 'Metrics of web-1' }).click();
    const dialog = app.getByRole('dialog', { name: 'Metrics — web-1' });
    await expect(dialog.getByRole('alert')).toContainText('cloudwatch:GetMetricData', { timeout: 15_000 });
  });
});
