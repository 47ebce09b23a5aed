import { expect, openInstances, row, test } from './aws-fixtures';

/**
 * Stop when idle (issue 13) end to end: the built renderer in Chromium, the real services behind the bridge,
 * the EC2 + CloudWatch simulator. The seeded instances have no public address, so SSH cannot work and the
 * on-instance watcher is not offered: these tests cover the CloudWatch alarm, which needs nothing on them.
 */
const STOP_ARN = 'arn:aws:automate:us-east-1:ec2:stop';

test.describe('stop when idle', () => {
  test('on for an instance: the alarm in CloudWatch and a badge on its row; N = 3 refused at the field; off removes it', async ({ app, addAccount, seeded, sim }) => {
    await addAccount();
    await openInstances(app);
    const web = row(app, 'web-1');
    await web.getByRole('checkbox', { name: 'Select web-1' }).check();
    const toolbar = app.getByRole('toolbar', { name: 'Instance actions' });
    await toolbar.getByRole('button', { name: 'Stop when idle…' }).click();

    const dialog = app.getByRole('dialog', { name: 'Stop when idle — web-1' });
    const toggle = dialog.getByRole('switch', { name: 'Stop web-1 when idle' });
    await expect(toggle).not.toBeChecked();
    await toggle.check();
    // No address to reach it over SSH: the watcher is said to be unavailable, and why.
    const watcher = dialog.getByRole('checkbox', { name: 'Also install the on-instance watcher (GPU, Jupyter and SSH aware)' });
    await expect(watcher).toHaveAccessibleDescription(/^Not offered: /, { timeout: 15_000 });
    await expect(watcher).toBeDisabled();

    const minutes = dialog.getByRole('textbox', { name: 'Idle minutes' });
    await expect(minutes).toHaveValue('60');
    await minutes.fill('3');
    await expect(minutes).toHaveAttribute('aria-invalid', 'true');
    await expect(minutes).toHaveAccessibleDescription(/At least 5 minutes: CloudWatch measures CPU in 5-minute periods\./);
    const save = dialog.getByRole('button', { name: 'Save' });
    await expect(save).toBeDisabled();
    await minutes.press('Enter');
    const cpu = dialog.getByRole('textbox', { name: 'CPU below (%)' });
    await cpu.fill('120');
    await expect(cpu).toHaveAccessibleDescription(/Between 0 and 100 %/);
    expect(sim.requests.filter((r) => r.action === 'PutMetricAlarm')).toHaveLength(0);

    await minutes.fill('45');
    await cpu.fill('3');
    await expect(minutes).not.toHaveAttribute('aria-invalid', 'true');
    await expect(dialog).toContainText('a CloudWatch alarm stops it when its average CPU stays below 3 % for 45 minutes');
    await save.click();
    await expect(dialog).toBeHidden({ timeout: 15_000 });
    await expect(web).toContainText('Idle stop · 45 min');

    const alarm = sim.alarm('us-east-1', `hangar-idle-${seeded.web}`);
    expect(alarm?.config).toMatchObject({
      Namespace: 'AWS/EC2',
      MetricName: 'CPUUtilization',
      Dimensions: [{ Name: 'InstanceId', Value: seeded.web }],
      Statistic: 'Average',
      Threshold: 3,
      Period: 300,
      EvaluationPeriods: 9,
      ComparisonOperator: 'LessThanThreshold',
      AlarmActions: [STOP_ARN],
    });
    expect(alarm?.tags).toEqual({ 'hangar:created-by': 'Hangar' });

    // Open again: the rule as set, the alarm's state; switched off, the alarm is gone.
    await toolbar.getByRole('button', { name: 'Stop when idle…' }).click();
    await expect(toggle).toBeChecked();
    await expect(minutes).toHaveValue('45');
    await expect(dialog).toContainText(`The idle alarm hangar-idle-${seeded.web} is waiting for CPU data`, { timeout: 15_000 });
    await toggle.uncheck();
    await save.click();
    await expect(dialog).toBeHidden({ timeout: 15_000 });
    await expect(web).not.toContainText('Idle stop');
    expect(sim.alarm('us-east-1', `hangar-idle-${seeded.web}`)).toBeUndefined();
  });

  test('an instance the watcher stopped says so, with the watcher’s reason from its console output', async ({ app, addAccount, seeded, sim }) => {
    sim.setConsoleOutput(seeded.scratch, '[  OK  ] Reached target Shutdown.\nhangar-idle: stopping after 60 min idle: no GPU use, no kernels, no sessions, load 0.01\n');
    sim.shutdownFromInside(seeded.scratch);
    await expect.poll(() => sim.instance(seeded.scratch)?.state, { timeout: 10_000 }).toBe('stopped');
    await addAccount();
    await openInstances(app);
    const scratch = row(app, 'scratch-box');
    await expect(scratch).toContainText('Stopped', { timeout: 15_000 });
    const badge = scratch.getByText('Stopped when idle');
    await expect(badge).toHaveAttribute('title', "stopped by Hangar's idle watcher after 60 min idle: no GPU use, no kernels, no sessions, load 0.01", { timeout: 15_000 });

    await scratch.getByRole('checkbox', { name: 'Select scratch-box' }).check();
    await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Stop when idle…' }).click();
    const dialog = app.getByRole('dialog', { name: 'Stop when idle — scratch-box' });
    await expect(dialog.getByRole('status').filter({ hasText: "This instance was stopped by Hangar's idle watcher after 60 min idle" })).toBeVisible();
    await dialog.getByRole('switch', { name: 'Stop scratch-box when idle' }).check();
    await expect(dialog.getByRole('checkbox', { name: /on-instance watcher/ })).toHaveAccessibleDescription(/Start the instance to install the watcher/, { timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Cancel' }).click();
    await expect(dialog).toBeHidden();
  });

  test('an instance-store-backed instance is refused, saying why', async ({ app, addAccount, sim }) => {
    sim.addInstance('us-east-1', { name: 'ephemeral', rootDeviceType: 'instance-store', keyName: 'lab-key' });
    await addAccount();
    await openInstances(app);
    await row(app, 'ephemeral').getByRole('checkbox', { name: 'Select ephemeral' }).check();
    await app.getByRole('toolbar', { name: 'Instance actions' }).getByRole('button', { name: 'Stop when idle…' }).click();
    const dialog = app.getByRole('dialog', { name: 'Stop when idle — ephemeral' });
    await dialog.getByRole('switch', { name: 'Stop ephemeral when idle' }).check();
    await dialog.getByRole('button', { name: 'Save' }).click();
    const refused = dialog.getByRole('alert').filter({ hasText: 'Stop when idle was not switched on' });
    await expect(refused).toContainText('instance-store root volume, and EC2 cannot stop such instances', { timeout: 15_000 });
    await expect(refused).toContainText('launch from an EBS-backed image');
    expect(sim.requests.filter((r) => r.action === 'PutMetricAlarm')).toHaveLength(0);
  });

  test('launch with auto-stop (on by default for a GPU type): the alarm is created with the instance', async ({ app, addAccount, sim }) => {
    test.setTimeout(90_000);
    process.env.HANGAR_IP_ECHO_URL = 'http://127.0.0.1:9/';
    try {
      await addAccount();
      await openInstances(app);
      await app.getByRole('button', { name: 'Launch', exact: true }).click();
      const dialog = app.getByRole('dialog', { name: /^Launch instances in .*\(us-east-1\)$/ });
      await dialog.getByRole('radio', { name: 'Ubuntu 24.04 LTS x86_64' }).check({ timeout: 15_000 });
      await dialog.getByRole('button', { name: 'Next' }).click();
      const types = dialog.getByRole('table', { name: 'Instance types' });
      await types.getByRole('radio', { name: 'g4dn.xlarge', exact: true }).check({ timeout: 15_000 });
      for (const _step of ['Key pair', 'Network', 'Details']) await dialog.getByRole('button', { name: 'Next' }).click();
      await dialog.getByRole('textbox', { name: 'Name', exact: true }).fill('trainer');
      await dialog.getByRole('button', { name: 'Next' }).click();

      const option = dialog.getByRole('region', { name: 'Stop when idle' });
      const toggle = option.getByRole('switch', { name: 'Stop when idle' });
      await expect(toggle).toBeChecked({ timeout: 15_000 });
      const minutes = option.getByRole('textbox', { name: 'Idle minutes' });
      await minutes.fill('3');
      await expect(minutes).toHaveAttribute('aria-invalid', 'true');
      await expect(dialog.getByRole('button', { name: 'Launch 1 instance' })).toBeDisabled();
      await minutes.fill('30');
      await expect(option).toContainText('below 5 % for 30 minutes');
      await dialog.getByRole('button', { name: 'Launch 1 instance' }).click();

      await expect(dialog.getByRole('status').filter({ hasText: 'Stop when idle is on for trainer' })).toBeVisible({ timeout: 15_000 });
      await dialog.getByRole('button', { name: 'Done' }).click();
      const trainer = row(app, 'trainer');
      await expect(trainer).toContainText('Idle stop · 30 min', { timeout: 15_000 });
      // The row's DOM id carries the instance id (the Instance ID column is not shown by default).
      const instanceId = (await trainer.getAttribute('id'))?.match(/i-[0-9a-f]{8,17}/)?.[0] ?? '';
      const alarm = sim.alarm('us-east-1', `hangar-idle-${instanceId}`);
      expect(alarm?.config).toMatchObject({
        Namespace: 'AWS/EC2',
        MetricName: 'CPUUtilization',
        Dimensions: [{ Name: 'InstanceId', Value: instanceId }],
        Threshold: 5,
        Period: 300,
        EvaluationPeriods: 6,
        ComparisonOperator: 'LessThanThreshold',
        AlarmActions: [STOP_ARN],
      });
    } finally {
      delete process.env.HANGAR_IP_ECHO_URL;
    }
  });
});
