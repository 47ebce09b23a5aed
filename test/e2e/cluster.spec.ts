import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { expect, openInstances, row, test } from './aws-fixtures';
import { terminalHost, waitForLine } from './ssh-fixtures';
import { startIpEcho } from './ip-echo';

/**
 * Launch as a cluster (issue 16): the wizard makes the placement group, the members-only security group and
 * the master/node00N names; once SSH answers on all three (each a real sshd on its own 127.0.0.n:22, which is
 * also its private IP), Hangar sets them up, and master reaches node002 by name with no password or prompt.
 */
test.use({ launchSshd: true });

let echo: { stop(): Promise<void> } | undefined;

test.afterEach(async () => {
  await echo?.stop();
  echo = undefined;
});

test('launches a cluster of 3, sets it up, and master reaches node002 by name', async ({ app, hangar, sim, addAccount }) => {
  test.setTimeout(150_000);
  echo = await startIpEcho('203.0.113.7');
  const account = await addAccount();
  const originalHosts = await readFile('/etc/hosts', 'utf8');
  try {
    await openInstances(app);
    await app.getByRole('button', { name: 'Launch', exact: true }).click();
    const dialog = app.getByRole('dialog', { name: /^Launch instances in .*\(us-east-1\)$/ });
    await dialog.getByRole('radio', { name: 'Ubuntu 24.04 LTS x86_64' }).check({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Next' }).click();
    const types = dialog.getByRole('table', { name: 'Instance types' });
    await types.getByRole('radio', { name: 't3.medium', exact: true }).check({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Next' }).click();
    await dialog.getByRole('textbox', { name: 'Key pair name' }).fill('lab-cluster');
    await dialog.getByRole('button', { name: 'Create key pair' }).click();
    await expect(dialog.getByRole('radio', { name: 'lab-cluster' })).toBeChecked({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Next' }).click();
    await expect(dialog).toContainText('Your public IP is 203.0.113.7', { timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Create hangar-ssh for my IP' }).click();
    await expect(dialog.getByRole('checkbox', { name: /^hangar-ssh \(sg-/ })).toBeChecked({ timeout: 15_000 });
    await dialog.getByRole('button', { name: 'Next' }).click();

    await dialog.getByRole('textbox', { name: 'Number of instances' }).fill('3');
    await dialog.getByRole('checkbox', { name: 'Make these a cluster' }).check();
    // A name that is not a DNS label is refused at the field.
    await dialog.getByRole('textbox', { name: 'Cluster name' }).fill('MPI_Lab');
    await expect(dialog.getByText(/Use 1–40 lowercase letters/)).toBeVisible();
    await expect(dialog.getByRole('button', { name: 'Next' })).toBeDisabled();
    await dialog.getByRole('textbox', { name: 'Cluster name' }).fill('mpi-lab');
    await expect(dialog).toContainText('Nodes named master, node001, node002');
    await expect(dialog).toContainText('"spread" placement group');
    await dialog.getByRole('button', { name: 'Next' }).click();

    await dialog.getByText('The same launch with the AWS CLI').click();
    await expect(dialog.getByLabel('AWS CLI command')).toContainText('aws ec2 create-placement-group');
    await expect(dialog.getByLabel('AWS CLI command')).toContainText('--placement GroupName=hangar-mpi-lab');
    await dialog.getByRole('button', { name: 'Launch 3 instances' }).click();

    const setup = dialog.getByRole('region', { name: 'Cluster mpi-lab' });
    for (const name of ['master', 'node001', 'node002']) {
      await expect(setup.getByRole('status', { name: `Set-up of ${name}` })).toContainText('done', { timeout: 60_000 });
    }
    await expect(setup).toContainText('The cluster is set up');
    expect(sim.launchErrors).toEqual([]);

    // In the simulator: one placement group, the members-only group on every node, the cluster tag.
    const instances = (await hangar.harness.services.ec2.listInstances(account.id, 'us-east-1')).filter((i) => ['master', 'node001', 'node002'].includes(i.name ?? ''));
    expect(instances).toHaveLength(3);
    for (const i of instances) {
      const snapshot = sim.instance(i.id);
      expect(snapshot?.placementGroup).toBe('hangar-mpi-lab');
      expect(snapshot?.tags['hangar:cluster']).toBe('mpi-lab');
      const members = snapshot?.securityGroupIds.find((g) => sim.securityGroupRules('us-east-1', g).some((r) => !r.egress && r.groupId === g));
      expect(members, `${i.name ?? ''} is in the members-only group`).toBeDefined();
      expect(sim.securityGroupRules('us-east-1', members ?? '').filter((r) => !r.egress).map((r) => [r.protocol, r.groupId])).toEqual([['-1', members]]);
    }
    const homes = new Map(instances.map((i) => [i.name, sim.sshdFor(i.id)?.home ?? '']));
    for (const [name, home] of homes) {
      expect(await readFile(join(home, 'hostfile'), 'utf8'), name).toBe('master slots=2\nnode001 slots=2\nnode002 slots=2\n');
      expect(await readFile(join(home, '.ssh', 'known_hosts'), 'utf8')).toMatch(/^node002,127\.0\.\d+\.\d+ ssh-ed25519 /m);
    }
    const node002 = instances.find((i) => i.name === 'node002');
    await dialog.getByRole('button', { name: 'Done' }).click();

    // From master's terminal: ssh node002 by name, BatchMode (no password), strict host keys (no prompt).
    await expect(row(app, 'master')).toContainText('Running', { timeout: 15_000 });
    await app.getByRole('button', { name: 'Connect to master' }).click();
    await expect(app.getByRole('tab', { name: /^master — / })).toBeVisible({ timeout: 30_000 });
    await terminalHost(app).click();
    // -F: the rig's nodes share one passwd entry, and ssh reads ~ from it rather than from $HOME.
    await app.keyboard.type(`ssh -F "$HOME/.ssh/config" -o BatchMode=yes node002 'echo "on-$(echo $SSH_CONNECTION | cut -d" " -f3)"'\n`);
    await waitForLine(app, new RegExp(`^on-${(node002?.publicIp ?? '').replace(/\./g, '\\.')}$`), 20_000);

    // The cluster as one thing: one line with its nodes; its nodes fold into it and come back.
    const strip = app.getByRole('listitem', { name: 'Cluster mpi-lab' });
    await expect(strip).toContainText('3 nodes · 3 running');
    const fold = strip.getByRole('button', { name: 'Show the nodes of mpi-lab in the table' });
    await expect(fold).toHaveAttribute('aria-expanded', 'true');
    await fold.click();
    await expect(row(app, 'node001')).toHaveCount(0);
    await fold.click();
    await expect(row(app, 'node001')).toBeVisible();

    // Add node: node003 is launched like master, and every node is set up again with it.
    await strip.getByRole('button', { name: 'Add a node to mpi-lab' }).click();
    const adding = app.getByRole('dialog', { name: 'Add a node to mpi-lab' });
    await expect(adding).toContainText('node003 is launched like master');
    await adding.getByRole('button', { name: 'Add node003' }).click();
    await expect(adding.getByRole('status').filter({ hasText: 'Done:' })).toHaveText('Done: every node of mpi-lab knows the others.', { timeout: 60_000 });
    await adding.getByRole('button', { name: 'Close', exact: true }).last().click();
    const added = (await hangar.harness.services.ec2.listInstances(account.id, 'us-east-1')).find((i) => i.name === 'node003' && i.state === 'running');
    expect(sim.instance(added?.id ?? '')?.placementGroup).toBe('hangar-mpi-lab');
    expect(await readFile(join(homes.get('master') ?? '', 'hostfile'), 'utf8')).toBe('master slots=2\nnode001 slots=2\nnode002 slots=2\nnode003 slots=2\n');
    await expect(strip).toContainText('4 nodes · 4 running', { timeout: 15_000 });

    // Terminate asks for the cluster's name.
    await strip.getByRole('button', { name: 'Terminate cluster mpi-lab' }).click();
    const confirm = app.getByRole('dialog', { name: /^Terminate 4 instances/ });
    const typed = confirm.getByRole('textbox', { name: 'Type mpi-lab to confirm' });
    const go = confirm.getByRole('button', { name: /^Terminate 4 instances$/ });
    await typed.fill('terminate 4 instances');
    await expect(go).toBeDisabled();
    await typed.fill('mpi-lab');
    await go.click();
    await expect(confirm).toBeHidden();
    await expect.poll(() => [...instances, added].map((i) => sim.instance(i?.id ?? '')?.state), { timeout: 15_000 }).toEqual(['terminated', 'terminated', 'terminated', 'terminated']);
  } finally {
    const { writeFile } = await import('node:fs/promises');
    await writeFile('/etc/hosts', originalHosts);
  }
});
