import { ALWAYS_ENABLED_REGIONS, regionDisplayName } from '../../../shared/models/region-names';

/**
 * Regions offered before an account exists (nothing can be asked of AWS yet): the ones every account
 * has enabled. Once the account is added, its picker lists what DescribeRegions reports.
 */
const DEFAULT_ENABLED_REGIONS = ALWAYS_ENABLED_REGIONS;

export interface RegionChoice {
  readonly name: string;
  readonly displayName: string;
}

export const REGION_CHOICES: readonly RegionChoice[] = DEFAULT_ENABLED_REGIONS.map((name) => ({ name, displayName: regionDisplayName(name) }));

/** "US East (N. Virginia) · us-east-1", or just the code when the name is the code. */
export function regionLabel(region: RegionChoice): string {
  return region.displayName === region.name ? region.name : `${region.displayName} · ${region.name}`;
}
