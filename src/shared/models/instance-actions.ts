import { z } from 'zod';
import type { InstanceStateName, InstanceSummary } from './ec2';
import type { SerializedError } from '../errors/hangar-error';
import { accountIdSchema, regionNameSchema } from './accounts';
import type { PriceProvenance } from './costs';

export const INSTANCE_ACTIONS = ['start', 'stop', 'hibernate', 'reboot', 'terminate'] as const;
export type InstanceAction = (typeof INSTANCE_ACTIONS)[number];

export const instanceIdSchema = z.string().regex(/^i-[0-9a-f]{8,17}$/, 'an instance id such as i-0123456789abcdef0');

export const instanceActionInputSchema = z
  .object({
    accountId: accountIdSchema,
    region: regionNameSchema,
    instanceIds: z.array(instanceIdSchema).min(1).max(1000),
    action: z.enum(INSTANCE_ACTIONS),
  })
  .strict();
export type InstanceActionInput = z.infer<typeof instanceActionInputSchema>;

export interface InstanceStateChange {
  readonly instanceId: string;
  readonly previousState: InstanceStateName;
  readonly currentState: InstanceStateName;
}

/** One region's answer during an all-regions scan, pushed as the `ec2.regionScanned` event. */
export interface RegionScanResult {
  readonly scanId: string;
  readonly accountId: string;
  readonly region: string;
  readonly instances?: InstanceSummary[];
  readonly error?: SerializedError;
  /** Milliseconds this region took. */
  readonly elapsedMs: number;
}

/** Facts about an instance type for the table (vCPU, memory) and the price column. */
export interface InstanceTypeInfo {
  readonly type: string;
  readonly vcpus?: number;
  readonly memoryMiB?: number;
  readonly gpus?: number;
  /** Linux on-demand USD per hour in the instance's region; undefined when no price is known. */
  readonly pricePerHour?: number;
  /** Where the price came from (the Price List, or the bundled table); absent: the bundled table. */
  readonly priceSource?: PriceProvenance;
}

export interface TerminationProtection {
  readonly instanceId: string;
  readonly protected: boolean;
}
