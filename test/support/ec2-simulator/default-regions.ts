import type { SimRegion } from './types';

/**
 * The regions a fresh account sees: the ones enabled by default, plus a few opt-in regions left disabled
 * so that DescribeRegions' hiding of them (and AllRegions=true) gets exercised. Deliberately its own list,
 * not the app's ALWAYS_ENABLED_REGIONS: the fake must not inherit the app's assumptions about AWS.
 */
export function defaultRegions(): SimRegion[] {
  const enabled = [
    'us-east-1',
    'us-east-2',
    'us-west-1',
    'us-west-2',
    'ca-central-1',
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
    'sa-east-1',
  ];
  const notOptedIn = ['af-south-1', 'ap-east-1', 'me-south-1'];
  return [
    ...enabled.map((name): SimRegion => ({ name, optInStatus: 'opt-in-not-required' })),
    ...notOptedIn.map((name): SimRegion => ({ name, optInStatus: 'not-opted-in' })),
  ];
}
