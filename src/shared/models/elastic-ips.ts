import { z } from 'zod';
import { accountIdSchema, regionNameSchema } from './accounts';
import type { PriceProvenance } from './costs';
import { instanceIdSchema } from './instance-actions';

/** One Elastic IP of a region (VPC domain). */
export interface ElasticIp {
  readonly allocationId: string;
  readonly publicIp: string;
  /** Its Name tag. */
  readonly name?: string | undefined;
  readonly instanceId?: string | undefined;
  readonly associationId?: string | undefined;
  /** Attached to a network interface that is not an instance's (a NAT gateway, a load balancer). */
  readonly networkInterfaceId?: string | undefined;
}

/** The region's Elastic IPs and what one costs per hour (every public IPv4 address bills, idle ones included). */
export interface ElasticIpList {
  readonly addresses: readonly ElasticIp[];
  readonly hourlyUsd?: number | undefined;
  readonly priceSource?: PriceProvenance | undefined;
}

const allocationIdSchema = z.string().regex(/^eipalloc-[0-9a-f]{8,17}$/);
const scope = { accountId: accountIdSchema, region: regionNameSchema };

export const allocateAddressInputSchema = z.object({ ...scope, name: z.string().trim().max(255).optional() }).strict();
export type AllocateAddressInput = z.infer<typeof allocateAddressInputSchema>;

export const associateAddressInputSchema = z.object({ ...scope, allocationId: allocationIdSchema, instanceId: instanceIdSchema }).strict();
export type AssociateAddressInput = z.infer<typeof associateAddressInputSchema>;

export const addressInputSchema = z.object({ ...scope, allocationId: allocationIdSchema }).strict();
export type AddressInput = z.infer<typeof addressInputSchema>;

/** "$0.005 per hour (about $3.60 a month)": said before anyone allocates or leaves an address idle. */
export function idleAddressWords(hourlyUsd: number | undefined): string {
  const rate = hourlyUsd === undefined ? 'by the hour' : `$${hourlyUsd.toFixed(3)} per hour (about $${(hourlyUsd * 730).toFixed(2)} a month)`;
  return `An Elastic IP not attached to a running instance bills ${hourlyUsd === undefined ? rate : `at ${rate}`}; while attached it bills the same as any public IPv4 address. Release it when you no longer need the address.`;
}
