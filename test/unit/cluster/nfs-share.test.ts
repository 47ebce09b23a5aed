import { describe, expect, it } from 'vitest';
import { exportsLine, fstabLine, nfsCommand } from '../../../src/main/services/cluster/nfs-share';
import { clusterSetupInputSchema } from '../../../src/shared/models/cluster';

const share = { folder: '/home', masterAddress: '10.0.0.5', nodeAddresses: ['10.0.0.5', '10.0.0.6', '10.0.0.7'] };

describe('a shared folder over NFS', () => {
  it('master exports it to each other node by address, read-write, sync, root squashed (the default)', () => {
    expect(exportsLine(share)).toBe('/home 10.0.0.6(rw,sync,no_subtree_check) 10.0.0.7(rw,sync,no_subtree_check)');
  });

  it('workers mount it at the same path with _netdev and nofail, so a node whose master is away still boots', () => {
    expect(fstabLine(share)).toBe('10.0.0.5:/home /home nfs defaults,_netdev,nofail,hard 0 0');
  });

  it('the scripts run as root and get their lines as arguments (never spliced into the script)', () => {
    const master = nfsCommand('master', share);
    expect(master.args?.slice(1)).toEqual(['/home', exportsLine(share)]);
    expect(master.args?.[0]).toContain('apt-get install -y -q nfs-kernel-server');
    expect(master.args?.[0]).toContain('dnf install -y -q nfs-utils');
    expect(master.args?.[0]).toContain('exportfs -ra');
    const worker = nfsCommand('worker', share);
    expect(worker.args?.slice(1)).toEqual(['/home', fstabLine(share), '10.0.0.5:/home']);
    expect(worker.args?.[0]).toContain('nfs-common');
    expect(worker.script).toContain('sudo -n');
  });

  it('the folder must be an absolute path of plain characters', () => {
    const base = { clusterName: 'lab', nodes: [{ accountId: 'acct', region: 'eu-west-1', instanceId: 'i-0123456789abcdef0', name: 'master' }] };
    expect(clusterSetupInputSchema.safeParse({ ...base, share: { folder: '/shared' } }).success).toBe(true);
    expect(clusterSetupInputSchema.safeParse({ ...base, share: { folder: 'home' } }).success).toBe(false);
    expect(clusterSetupInputSchema.safeParse({ ...base, share: { folder: '/home; rm -rf /' } }).success).toBe(false);
  });
});
