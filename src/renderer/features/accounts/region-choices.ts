import { regionDisplayName } from '../../../shared/models/region-names';

/**
 * Regions offered before an account exists (nothing can be asked of AWS yet): the ones every account
 * has enabled. Once the account is added, its picker lists what DescribeRegions reports.
 */
const DEFAULT_ENABLED_REGIONS = [
  'us-east-1',
  'us-east-2',
  'us-west-1',
  'us-west-2',
  'ca-central-1',
  'sa-east-1',
  'eu-west-1',
  'eu-west-2',
  'eu-west-3',
  'eu-central-1',
  'eu-north-1',
  'ap-south-1',
  'ap-northeast-1',
  'ap-northeast-2',
  'ap-northeast-3',
  'ap-southeast-1',
  'ap-southeast-2',
] as const;

export interface RegionChoice {
  readonly name: string;
  readonly displayName: string;
}

export const REGION_CHOICES: readonly RegionChoice[] = DEFAULT_ENABLED_REGIONS.map((name) => ({ name, displayName: regionDisplayName(name) }));

/** "US East (N. Virginia) · us-east-1", or just the code when the name is the code. */
export function regionLabel(region: RegionChoice): string {
  return region.displayName === region.name ? region.name : `${region.displayName} · ${region.name}`;
}
