import type { Page } from '@playwright/test';
import { clickNotification, expect, notificationsShown, regionPicker, row, test } from './aws-fixtures';

/**
 * Reminders end to end: the rule decided in main against the simulator's instances, the Reminders panel on the
 * Accounts screen, the banner above every screen, and desktop notifications (recorded in the page).
 */
test.use({ recordNotifications: true });

const HOUR = 3_600_000;

async function openReminders(page: Page) {
  await page.keyboard.press('Control+1');
  await expect(page.getByRole('heading', { level: 1 })).toHaveText('Accounts');
  const panel = page.getByRole('region', { name: 'Reminders' }).filter({ has: page.getByRole('heading', { name: 'Reminders' }) });
  await expect(panel).toBeVisible();
  return panel;
}

function banner(page: Page) {
  return page.getByRole('region', { name: 'Reminders' }).filter({ hasNot: page.getByRole('heading', { name: 'Reminders' }) });
}

test.describe('reminders', () => {
  test('a GPU instance crossing the hours set brings a desktop notification and a banner; clicking shows the instance', async ({ app, sim, addAccount }) => {
    test.setTimeout(60_000);
    // Crosses 30 h a few seconds from now; the seeded train-gpu has run 26 h and stays under it.
    const notebook = sim.addInstance('eu-west-1', { name: 'notebook-gpu', instanceType: 'g4dn.xlarge', launchTime: new Date(Date.now() - 30 * HOUR + 8_000) });
    await addAccount();
    const panel = await openReminders(app);
    const hours = panel.getByRole('textbox', { name: 'Hours' });
    await hours.fill('0.5');
    await expect(panel).toContainText('From 1 to 720 hours.');
    await hours.fill('30');
    await panel.getByRole('checkbox', { name: 'Remind me when a GPU instance has run longer than' }).check();

    // Not yet: nothing has run 30 h.
    await expect(banner(app).getByText(/has run/)).toHaveCount(0);
    expect(await notificationsShown(app)).toEqual([]);

    // Main looks again at the crossing, by itself.
    await expect.poll(() => notificationsShown(app), { timeout: 20_000 }).toEqual([
      {
        title: expect.stringMatching(/^notebook-gpu has run 30 h, about \$17\.\d\d$/),
        body: expect.stringContaining('A GPU instance running longer than your 30 h reminder (g4dn.xlarge in eu-west-1'),
        tag: expect.stringContaining(notebook),
      },
    ]);
    await expect(banner(app)).toContainText(/notebook-gpu has run 30 h, about \$17\.\d\d/);

    // Clicking the notification opens Instances on the instance's region with it selected.
    await clickNotification(app, 'notebook-gpu');
    await expect(app.getByRole('heading', { level: 1 })).toHaveText('Instances');
    await expect(regionPicker(app)).toHaveValue('eu-west-1');
    await expect(row(app, 'notebook-gpu')).toHaveAttribute('aria-selected', 'true', { timeout: 15_000 });
    // One notification for one crossing, however often main looks again.
    expect(await notificationsShown(app)).toHaveLength(1);
  });

  test('the burn rate reminder names the most expensive instance, shows it, and is dismissed', async ({ app, addAccount }) => {
    test.setTimeout(60_000);
    await addAccount();
    const panel = await openReminders(app);
    await panel.getByRole('textbox', { name: 'Dollars per hour' }).fill('0.5');
    await panel.getByRole('checkbox', { name: 'Remind me when my running instances together cost more than' }).check();

    // web-1, scratch-box and db-protected in us-east-1 and train-gpu in Ireland run; notebook is stopped.
    const reminder = banner(app).getByText(/^Running instances cost about \$0\.\d\d\/h$/);
    await expect(reminder).toBeVisible({ timeout: 15_000 });
    await expect(banner(app)).toContainText('the most is train-gpu (g4dn.xlarge in eu-west-1');
    await expect.poll(async () => (await notificationsShown(app)).map((n) => n.title)).toEqual([expect.stringMatching(/^Running instances cost about/)]);

    await banner(app).getByRole('button', { name: 'Show train-gpu' }).click();
    await expect(app.getByRole('heading', { level: 1 })).toHaveText('Instances');
    await expect(row(app, 'train-gpu')).toHaveAttribute('aria-selected', 'true', { timeout: 15_000 });

    await banner(app).getByRole('button', { name: /^Dismiss: Running instances cost/ }).click();
    await expect(reminder).toHaveCount(0);
    // Dismissed in main, not just on this page: a reload does not bring it back while its cause lasts.
    await app.reload();
    await expect(app.getByRole('heading', { level: 1 })).toBeVisible();
    await expect(banner(app).getByText(/Running instances cost/)).toHaveCount(0);
  });
});
