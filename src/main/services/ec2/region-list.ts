import { DescribeRegionsCommand } from '@aws-sdk/client-ec2';
import type { RegionOptInStatus, RegionSummary } from '../../../shared/models/ec2';
import { regionDisplayName } from '../../../shared/models/region-names';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws } from '../aws/call-aws';

export interface RegionListDeps {
  clientsFor(accountId: string): AwsClientFactory;
  /** See Ec2ServiceDeps.homeRegion. */
  homeRegion?: string | ((accountId: string) => string | undefined | Promise<string | undefined>);
}

export interface RegionList {
  /** Where DescribeRegions is asked for this account; us-east-1 unless told otherwise. */
  homeRegionFor(accountId: string): Promise<string>;
  listRegions(accountId: string, signal?: AbortSignal): Promise<RegionSummary[]>;
}

/** The regions an account has enabled, from DescribeRegions in its home region, in name order. */
export function createRegionList(deps: RegionListDeps): RegionList {
  async function homeRegionFor(accountId: string): Promise<string> {
    const home = typeof deps.homeRegion === 'function' ? await deps.homeRegion(accountId) : deps.homeRegion;
    return home ?? 'us-east-1';
  }

  return {
    homeRegionFor,

    async listRegions(accountId, signal) {
      const region = await homeRegionFor(accountId);
      const out = await callAws(
        () => deps.clientsFor(accountId).ec2(region).send(new DescribeRegionsCommand({}), { abortSignal: signal }),
        { action: 'ec2:DescribeRegions', region, signal },
      );
      return (out.Regions ?? [])
        .filter((r) => r.RegionName !== undefined)
        .map((r): RegionSummary => {
          const name = r.RegionName ?? '';
          return {
            name,
            endpoint: r.Endpoint ?? `ec2.${name}.amazonaws.com`,
            optInStatus: toOptInStatus(r.OptInStatus),
            displayName: regionDisplayName(name),
          };
        })
        .sort((a, b) => a.name.localeCompare(b.name));
    },
  };
}

function toOptInStatus(value: string | undefined): RegionOptInStatus {
  return value === 'opted-in' || value === 'not-opted-in' ? value : 'opt-in-not-required';
}
