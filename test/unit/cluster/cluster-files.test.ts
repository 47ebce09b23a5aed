import { describe, expect, it } from 'vitest';
import { hostfile, hostsBlock, knownHostsBlock, sshConfigBlock, type NodeFacts } from '../../../src/main/services/cluster/cluster-files';
import { clusterNameSchema, clusterNodeName } from '../../../src/shared/models/cluster';

const nodes: NodeFacts[] = [
  { name: 'master', privateIp: '10.0.1.10', hostKey: 'ssh-ed25519 AAAAmaster', user: 'ubuntu', port: 22, slots: 4 },
  { name: 'node001', privateIp: '10.0.1.11', hostKey: 'ssh-ed25519 AAAAnode1', user: 'ubuntu', port: 2222, slots: 1 },
];

describe('cluster files', () => {
  it('names nodes master, node001, … and refuses names that are not DNS labels', () => {
    expect([0, 1, 12].map(clusterNodeName)).toEqual(['master', 'node001', 'node012']);
    expect(clusterNameSchema.safeParse('mpi-lab').success).toBe(true);
    for (const bad of ['MPI', 'lab_1', '-lab', 'lab-', '1lab', 'a'.repeat(41)]) expect(clusterNameSchema.safeParse(bad).success).toBe(false);
  });

  it('writes hosts, known_hosts (by name and IP) and an MPI host file', () => {
    expect(hostsBlock(nodes)).toBe('10.0.1.10 master\n10.0.1.11 node001');
    expect(knownHostsBlock(nodes)).toBe('master,10.0.1.10 ssh-ed25519 AAAAmaster\nnode001,10.0.1.11 ssh-ed25519 AAAAnode1');
    expect(hostfile(nodes)).toBe('master slots=4\nnode001 slots=1');
  });

  it('reaches each node by name with the cluster key and strict host key checking', () => {
    const config = sshConfigBlock(nodes);
    expect(config).toContain('Host node001\n    HostName 10.0.1.11\n    User ubuntu\n    Port 2222\n');
    expect(config).toContain('IdentityFile @HOME@/.ssh/id_hangar_cluster');
    expect(config).toContain('HostKeyAlias master');
    expect(config.match(/StrictHostKeyChecking yes/g)).toHaveLength(2);
    expect(config).not.toContain('Port 22\n');
  });
});
