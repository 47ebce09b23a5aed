import { z } from 'zod';
import { accountIdSchema, regionNameSchema } from './accounts';
import { instanceIdSchema } from './instance-actions';

/**
 * A cluster's name (issue 16): a tag value and a DNS label at once, since it names the cluster's tag
 * (`hangar:cluster=<name>`), its placement group and security group, and appears in hosts files.
 */
export const clusterNameSchema = z
  .string()
  .regex(/^[a-z](?:[a-z0-9-]{0,38}[a-z0-9])?$/, 'Use 1–40 lowercase letters, digits and hyphens, starting with a letter and not ending with a hyphen.');

/** The tag every resource of a cluster carries. */
export const CLUSTER_TAG = 'hangar:cluster';

/** master, node001, node002, … : what StarCluster called them, and what MPI host files and guides expect. */
export function clusterNodeName(index: number): string {
  return index === 0 ? 'master' : `node${String(index).padStart(3, '0')}`;
}

export const clusterSetupInputSchema = z
  .object({
    clusterName: clusterNameSchema,
    nodes: z
      .array(
        z
          .object({
            accountId: accountIdSchema,
            region: regionNameSchema,
            instanceId: instanceIdSchema,
            /** master, node001, … */
            name: z.string().regex(/^(master|node\d{3})$/),
          })
          .strict(),
      )
      .min(1)
      .max(64),
  })
  .strict();
export type ClusterSetupInput = z.infer<typeof clusterSetupInputSchema>;

export type ClusterNodeState = 'waiting' | 'connecting' | 'configuring' | 'done' | 'failed';

export interface ClusterNodeReport {
  readonly instanceId: string;
  readonly name: string;
  readonly state: ClusterNodeState;
  /** What was done or why it failed, for the person at the keyboard. */
  readonly detail?: string;
  readonly privateIp?: string;
}

export interface ClusterSetupReport {
  readonly clusterName: string;
  readonly nodes: readonly ClusterNodeReport[];
  readonly finished: boolean;
}

export type PlacementStrategy = 'cluster' | 'spread' | 'partition';

/**
 * How a cluster's nodes are placed: GPU and network-heavy types together in one rack group ('cluster':
 * lowest latency, highest bandwidth, for MPI and multi-GPU training); other types apart ('spread': one
 * hardware failure takes one node, at most 7 per zone), or in partitions beyond 7.
 */
export function placementStrategy(instanceType: string, count: number): PlacementStrategy {
  const family = instanceType.split('.')[0] ?? '';
  const gpu = /^(p\d|g\d|inf\d|trn\d|dl\d)/.test(family);
  const network = /^hpc/.test(family) || /\d[a-z]*n[a-z]*$/.test(family);
  if (gpu || network) return 'cluster';
  return count <= 7 ? 'spread' : 'partition';
}

export const PLACEMENT_EXPLAINED: Record<PlacementStrategy, string> = {
  cluster: 'Placed close together (a "cluster" placement group): the lowest latency and highest bandwidth between nodes, for MPI and multi-GPU training. AWS may not have room for all of them at once in one zone; then try fewer nodes or another zone.',
  spread: 'Placed on separate hardware (a "spread" placement group): one hardware failure takes at most one node. At most 7 nodes per zone.',
  partition: 'Placed in separate partitions (a "partition" placement group): more than 7 nodes kept apart by rack groups.',
};

/** The names of a cluster's resources. */
export function clusterResourceNames(cluster: string): { placementGroup: string; securityGroup: string } {
  return { placementGroup: `hangar-${cluster}`, securityGroup: `hangar-cluster-${cluster}` };
}

export const clusterRefSchema = z.object({ accountId: accountIdSchema, region: regionNameSchema, clusterName: clusterNameSchema }).strict();
export type ClusterRef = z.infer<typeof clusterRefSchema>;

export const removeNodeInputSchema = z.object({ accountId: accountIdSchema, region: regionNameSchema, clusterName: clusterNameSchema, instanceId: instanceIdSchema }).strict();
export type RemoveNodeInput = z.infer<typeof removeNodeInputSchema>;

/** The next free name after these: node001 when only master exists, else one past the highest. */
export function nextNodeName(names: readonly string[]): string {
  const highest = names.reduce((max, name) => {
    const m = /^node(\d{3})$/.exec(name);
    return m ? Math.max(max, Number(m[1])) : max;
  }, 0);
  return clusterNodeName(highest + 1);
}
