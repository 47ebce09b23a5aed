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
