import { describe, expect, it } from 'vitest';
import { groupClusters } from '../../../src/renderer/features/instances/instance-query';
import { nextNodeName } from '../../../src/shared/models/cluster';
import type { InstanceSummary } from '../../../src/shared/models/ec2';

const inst = (id: string, name: string, cluster?: string): InstanceSummary => ({ id, name, ...(cluster === undefined ? {} : { cluster }) }) as InstanceSummary;

describe('clusters as groups in the table', () => {
  const rows = [inst('i-1', 'alpha'), inst('i-2', 'node002', 'lab'), inst('i-3', 'beta'), inst('i-4', 'master', 'lab'), inst('i-5', 'node001', 'lab'), inst('i-6', 'gamma')];

  it('puts a cluster’s nodes together where its first node falls, master first', () => {
    expect(groupClusters(rows, new Set()).map((r) => r.name)).toEqual(['alpha', 'master', 'node001', 'node002', 'beta', 'gamma']);
  });

  it('leaves a folded cluster’s nodes out, and rows without a cluster untouched', () => {
    expect(groupClusters(rows, new Set(['lab'])).map((r) => r.name)).toEqual(['alpha', 'beta', 'gamma']);
    const plain = [inst('i-9', 'z'), inst('i-8', 'a')];
    expect(groupClusters(plain, new Set())).toEqual(plain);
  });
});

describe('the next node’s name', () => {
  it('follows the highest node, not the count (a removed node’s name is not reused)', () => {
    expect(nextNodeName(['master'])).toBe('node001');
    expect(nextNodeName(['master', 'node001', 'node002'])).toBe('node003');
    expect(nextNodeName(['master', 'node002'])).toBe('node003');
    expect(nextNodeName([])).toBe('node001');
  });
});
