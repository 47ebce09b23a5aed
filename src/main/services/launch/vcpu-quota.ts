import { GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import { cancelledError } from '../../../shared/errors/hangar-error';
import type { RegionScope, VcpuQuotaInfo } from '../../../shared/models/launch';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { EC2_QUOTAS_CONSOLE } from '../aws/map-aws-error';

/** vCPU quota bucket of a family and its Service Quotas codes (on-demand, spot), as EC2 documents them. */
const QUOTA_BUCKETS: Readonly<Record<string, readonly [string, string]>> = {
  Standard: ['L-1216C47A', 'L-34B43A08'],
  'G and VT': ['L-DB2E81BA', 'L-3819A6DF'],
  P: ['L-417A185B', 'L-7212CCBC'],
  F: ['L-74FC7D96', 'L-88CF9481'],
  Inf: ['L-1945791B', 'L-B5D1601B'],
  X: ['L-7295265B', 'L-E3A00192'],
  DL: ['L-6E869C2A', 'L-85EED4F7'],
  Trn: ['L-2C3B7624', 'L-6B0D517C'],
};

export function quotaBucketOf(instanceType: string): string {
  const family = instanceType.split('.')[0] ?? '';
  if (/^(vt|g)/.test(family)) return 'G and VT';
  if (family.startsWith('inf')) return 'Inf';
  if (family.startsWith('trn')) return 'Trn';
  if (family.startsWith('dl')) return 'DL';
  if (family.startsWith('p')) return 'P';
  if (family.startsWith('f')) return 'F';
  if (family.startsWith('x') || family.startsWith('u-')) return 'X';
  return 'Standard';
}

export type VcpuQuotaLookup = (scope: RegionScope, instanceType: string, spot: boolean, signal?: AbortSignal) => Promise<VcpuQuotaInfo>;

/**
 * The account's vCPU quota for the type's family (Service Quotas). Never fails for want of permission or
 * an answer: the hint then names the quota to check by hand.
 */
export function createVcpuQuotaLookup(deps: { clientsFor(accountId: string): AwsClientFactory }): VcpuQuotaLookup {
  return async (scope, instanceType, spot, signal) => {
    const bucket = quotaBucketOf(instanceType);
    const codes = QUOTA_BUCKETS[bucket] ?? QUOTA_BUCKETS.Standard ?? ['L-1216C47A', 'L-34B43A08'];
    const quotaCode = spot ? codes[1] : codes[0];
    const label = `${spot ? 'All' : 'Running On-Demand'} ${bucket} ${spot ? 'Spot Instance Requests' : 'instances'}`;
    try {
      const out = await deps
        .clientsFor(scope.accountId)
        .quotas(scope.region)
        .send(new GetServiceQuotaCommand({ ServiceCode: 'ec2', QuotaCode: quotaCode }), { abortSignal: signal });
      const limit = out.Quota?.Value;
      if (limit === undefined) throw new Error('no value');
      return {
        bucket,
        quotaCode,
        limit,
        hint:
          limit === 0
            ? `Your account may run 0 vCPUs of ${bucket} instances here (“${label}”), so this launch will fail. Request an increase in the Service Quotas console (${EC2_QUOTAS_CONSOLE}); approval can take a day.`
            : `Your account may run up to ${limit} vCPUs of ${bucket} instances at once here (“${label}”). More needs a quota increase (${EC2_QUOTAS_CONSOLE}).`,
      };
    } catch (error) {
      if (signal?.aborted) throw cancelledError();
      const denied = /AccessDenied/.test(String((error as { name?: unknown }).name));
      return {
        bucket,
        quotaCode,
        hint: `${denied ? 'Hangar may not read Service Quotas (servicequotas:GetServiceQuota).' : 'Hangar could not read the vCPU quota.'} ${bucket} instances count against “${label}” (${quotaCode}); new accounts often have 0 for GPU families. Check it in the Service Quotas console (${EC2_QUOTAS_CONSOLE}).`,
      };
    }
  };
}
