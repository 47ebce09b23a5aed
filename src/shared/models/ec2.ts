import type { SpotRequestInfo } from './spot';

/** Plain EC2 data the renderer sees. No SDK types leak past the service edge. */

/** AWS's own opt-in vocabulary, kept verbatim so it can be compared with DescribeRegions output. */
export type RegionOptInStatus = 'opt-in-not-required' | 'opted-in' | 'not-opted-in';

export interface RegionSummary {
  /** e.g. "eu-west-1" */
  readonly name: string;
  /** e.g. "ec2.eu-west-1.amazonaws.com" */
  readonly endpoint: string;
  readonly optInStatus: RegionOptInStatus;
  /** e.g. "Europe (Ireland)"; falls back to `name` for a region newer than our table. */
  readonly displayName: string;
}

export type InstanceStateName = 'pending' | 'running' | 'shutting-down' | 'terminated' | 'stopping' | 'stopped';

/** States in which nothing on the instance answers: its terminals, file browsers and tunnels close. */
export const STOPPED_STATES: ReadonlySet<InstanceStateName> = new Set<InstanceStateName>(['stopping', 'stopped', 'shutting-down', 'terminated']);

export const INSTANCE_STATE_NAMES: readonly InstanceStateName[] = [
  'pending',
  'running',
  'shutting-down',
  'terminated',
  'stopping',
  'stopped',
];

export interface InstanceSummary {
  readonly id: string;
  /** The `Name` tag, when set. */
  readonly name?: string;
  readonly state: InstanceStateName;
  /** Why the instance is in its state (e.g. "Client.UserInitiatedShutdown: User initiated shutdown"). */
  readonly stateReason?: string;
  readonly type: string;
  readonly availabilityZone: string;
  readonly publicIp?: string;
  readonly publicDns?: string;
  readonly privateIp?: string;
  /** The cluster it belongs to (its hangar:cluster tag, issue 16). */
  readonly cluster?: string;
  /** The instance's (primary) IPv6 address: used to connect when it has no public IPv4 address. */
  readonly ipv6Address?: string;
  readonly keyName?: string;
  readonly imageId: string;
  /** AWS's platform details, e.g. "Linux/UNIX" or "Windows". */
  readonly platform?: string;
  readonly architecture?: string;
  /** ISO 8601. */
  readonly launchTime: string;
  readonly region: string;
  /** Only known when looked up (DescribeInstances does not report it). */
  readonly terminationProtected?: boolean;
  /** A spot instance's request: its kind and EC2's status (an interruption notice among them). */
  readonly spot?: SpotRequestInfo;
}
