import type { InstanceStateName, RegionOptInStatus } from '../../../src/shared/models/ec2';
import type { Sshd } from '../sshd';
import type { SimAddressInput } from './addresses';
import type { SimBudgetSpend } from './budgets';
import type { AlarmState, SimAlarmActionRecord } from './cloudwatch';
import type { SimCostRow } from './cost-explorer';
import type { SimImageInput } from './images';
import type { CapacityShortage, SimLaunchHooks } from './launch';
import type { SshdLaunchOptions } from './launch-sshd';
import type { SimInstanceConnectPush } from './instance-connect';
import type { SimSessionManager } from './ssm-sessions';
import type { SimInstanceMetrics } from './metric-series';
import type { SimVpcInput } from './network';
import type { SimPriceOverrides } from './price-table';
import type { SimSnapshotInput } from './snapshots';
import type { SimSpotRequestInput } from './spot-requests';
import type { SimVolumeInput, SimVolumeState } from './volumes';
import type { VolumeResizeHook } from './volume-modifications';

export type { InstanceStateName, RegionOptInStatus };

/**
 * From the SigV4 credential scope: EC2 and STS (query/XML); SSM, Service Quotas, Pricing, Budgets, Cost
 * Explorer (`ce`) and EC2 Instance Connect (JSON 1.1); CloudWatch (`monitoring`, JSON 1.0 awsQuery-compatible).
 */
export type SimService = 'ec2' | 'sts' | 'iam' | 'ssm' | 'servicequotas' | 'pricing' | 'budgets' | 'ce' | 'monitoring' | 'ec2-instance-connect';

export interface SimRegion {
  name: string;
  optInStatus: RegionOptInStatus;
}

/** An access key the simulator accepts. Everything but the key pair has a sensible default. */
export interface SimCredential {
  accessKeyId: string;
  secretAccessKey: string;
  /** When set, requests must carry it as X-Amz-Security-Token (temporary credentials). */
  sessionToken?: string;
  /** Temporary credentials past their expiry: EC2 answers RequestExpired, STS ExpiredToken. */
  expired?: boolean;
  /** IAM user name used for GetCallerIdentity's Arn. */
  userName?: string;
}

/** How long the timed states last. Real EC2 takes tens of seconds; tests want milliseconds. */
export interface StateTimings {
  pendingMs: number;
  stoppingMs: number;
  shuttingDownMs: number;
  /** Terminated instances stay visible this long (about an hour on real EC2). */
  terminatedRetentionMs: number;
  /** How long a snapshot made by CreateSnapshot, CopySnapshot, CreateImage or CopyImage stays `pending` (default 2 s). */
  snapshotMs?: number;
  /** How long a ModifyVolume stays `modifying` (default 1 s), then `optimizing` (default 3 s) before `completed`. */
  volumeModifyingMs?: number;
  volumeOptimizingMs?: number;
}

/** What a test may pin when seeding an instance; everything else gets a realistic value. */
export interface SimInstanceInput {
  id?: string;
  /** Shorthand for the `Name` tag. */
  name?: string;
  tags?: Record<string, string>;
  state?: InstanceStateName;
  instanceType?: string;
  imageId?: string;
  /** null: launched without a key pair. */
  keyName?: string | null;
  availabilityZone?: string;
  /** EnaSupport of the instance (its AMI has the ENA driver); default true. Nitro types need it. */
  enaSupport?: boolean;
  /** null: no public address (private subnet). */
  publicIp?: string | null;
  privateIp?: string;
  /** An IPv6 address (dual-stack subnet); DescribeInstances gives it as ipv6Address and on the network interface. */
  ipv6Address?: string;
  architecture?: 'x86_64' | 'arm64' | 'i386';
  /** e.g. "Linux/UNIX", "Windows", "Red Hat Enterprise Linux". */
  platformDetails?: string;
  launchTime?: Date | string;
  disableApiTermination?: boolean;
  /** Launched with HibernationOptions.Configured=true, so StopInstances Hibernate=true works. */
  hibernationConfigured?: boolean;
  /** Instances seeded with the same reservation id are grouped like one RunInstances call. */
  reservationId?: string;
  /** Default: the region's default VPC and the AZ's default subnet (RunInstances sets these). */
  vpcId?: string;
  subnetId?: string;
  /** Default: the VPC's `default` group. */
  securityGroups?: { id: string; name: string }[];
  rootDeviceName?: string;
  /** Default 'ebs'. An instance-store-backed instance cannot be stopped (StopInstances: UnsupportedOperation). */
  rootDeviceType?: 'ebs' | 'instance-store';
  /** What a shutdown from inside the instance does (DescribeInstanceAttribute instanceInitiatedShutdownBehavior); default 'stop'. */
  instanceInitiatedShutdownBehavior?: 'stop' | 'terminate';
  rootVolume?: { size?: number; type?: string; deleteOnTermination?: boolean; tags?: Record<string, string> };
  /** Base64, as RunInstances received it. */
  userData?: string;
  instanceLifecycle?: 'spot';
  /** A spot instance's request options (RunInstances' InstanceMarketOptions.SpotOptions); default one-time, terminate. */
  spotOptions?: SimSpotOptions;
  amiLaunchIndex?: number;
  /** The placement group it was launched into (RunInstances Placement.GroupName). */
  placementGroup?: string;
  /** RunInstances' IamInstanceProfile. */
  iamInstanceProfile?: { arn: string; id: string };
  clientToken?: string;
  /** Internal: launch hooks boot this instance; it stays pending until they are done. */
  awaitBoot?: boolean;
}

/** A read-only view of one simulated instance, for assertions. */
export interface SimInstanceSnapshot {
  id: string;
  region: string;
  reservationId: string;
  state: InstanceStateName;
  /** StateReason.Message, e.g. "Client.UserInitiatedShutdown: User initiated shutdown". */
  stateReason: string | undefined;
  hibernationConfigured: boolean;
  publicIp: string | undefined;
  privateIp: string | undefined;
  tags: Record<string, string>;
  /** The placement group it was launched into. */
  placementGroup?: string | undefined;
  /** RunInstances' IamInstanceProfile (issue 15). */
  iamInstanceProfile?: { arn: string; id: string } | undefined;
  disableApiTermination: boolean;
  rootDeviceType: 'ebs' | 'instance-store';
  instanceInitiatedShutdownBehavior: 'stop' | 'terminate';
  launchTime: string;
  instanceType: string;
  imageId: string;
  keyName: string | undefined;
  availabilityZone: string;
  vpcId: string;
  subnetId: string;
  securityGroupIds: string[];
  rootVolume: { id: string; size: number; type: string; deleteOnTermination: boolean; tags: Record<string, string> };
  /** Base64, as sent. */
  userData: string | undefined;
  instanceLifecycle: 'spot' | undefined;
  /** What RunInstances was asked for a spot instance (undefined for on-demand). */
  spotOptions: SimSpotOptions | undefined;
}

/** InstanceMarketOptions.SpotOptions as the simulator keeps them. */
export interface SimSpotOptions {
  type: 'one-time' | 'persistent';
  interruptionBehavior: 'terminate' | 'stop' | 'hibernate';
  /** USD per hour, as sent (a string, like the API's). */
  maxPrice?: string;
}

export interface InjectedErrorSpec {
  /** The API action (e.g. "DescribeInstances", "GetCallerIdentity"), or "*" for any. */
  action: string;
  code: string;
  message?: string;
  /** Defaults to the status real AWS uses for `code`. */
  status?: number;
  /** How many requests fail before the action works again. Default 1. */
  times?: number;
  /** Only fail requests signed for this region. */
  region?: string;
}

export interface RequestLogEntry {
  service: SimService;
  action: string;
  /** From the SigV4 credential scope; undefined for unsigned requests. */
  region: string | undefined;
  accessKeyId: string | undefined;
  /** Epoch ms when the request arrived. */
  time: number;
  /** HTTP status sent back; undefined while the request is still being served. */
  status: number | undefined;
  /** AWS error code sent back, if any. */
  errorCode: string | undefined;
}

/** What a latency hook sees of a request (before authentication, so the region is the claimed one). */
export interface LatencyRequest {
  service: SimService;
  action: string;
  region: string | undefined;
}

export interface Ec2SimulatorOptions {
  /** Default: 17 commercial regions enabled plus af-south-1, ap-east-1, me-south-1 not opted in. */
  regions?: SimRegion[];
  /** Default: the AWS documentation example key pair. */
  credentials?: SimCredential[];
  /** 12 digits. Default 123456789012. */
  accountId?: string;
  timings?: Partial<StateTimings>;
  /** Check SigV4 signatures cryptographically (default true). */
  verifySignatures?: boolean;
  latencyMs?: number;
  /** Per-request latency; a number overrides `latencyMs` for that request, undefined falls back to it. */
  latencyFor?: (request: LatencyRequest) => number | undefined;
  /** Pretend the server clock is off by this much, to exercise the SDK's clock-skew correction. */
  serverClockOffsetMs?: number;
  /**
   * Make every instance RunInstances launches a real OpenSSH server on its own loopback address
   * (127.0.0.2, 127.0.0.3, … port 22 by default — root can bind it) that authorises the launch's key pair.
   * The instance is `running` only once its sshd answers; its public IP is that address and its console
   * output carries cloud-init's host key fingerprints. Stop/terminate stops the sshd, start restarts it
   * (same address, same host key). The sshd logs in the test's own OS user (see `sshdFor(id).username`).
   */
  sshdForLaunches?: boolean | SshdLaunchOptions;
  /** Custom boot/halt hooks for launched instances (instead of `sshdForLaunches`). */
  launchHooks?: SimLaunchHooks;
  /**
   * Evaluate CloudWatch alarms against the simulated metrics this often, as CloudWatch does every minute
   * (default: only when the test calls `evaluateAlarms()`).
   */
  alarmEvaluationIntervalMs?: number;
  /** How long a key pushed with EC2 Instance Connect's SendSSHPublicKey stays authorised (60 s on AWS). */
  instanceConnectKeyTtlMs?: number;
  /** GetPasswordData has a Windows instance's password this long after launch (about 4 min on AWS; default 0). */
  windowsPasswordDelayMs?: number;
}

/** Seeding of the resources the costs ledger counts; each returns the new resource's id. */
export interface SimSeeding {
  /** Same as `addInstance`: an instance with its root volume (in DescribeVolumes, attached). */
  instance(region: string, input?: SimInstanceInput): string;
  /** An EBS volume: `available`, or attached to an instance with `attachedTo`. */
  volume(region: string, input?: SimVolumeInput): string;
  /** A completed snapshot the account owns. */
  snapshot(region: string, input?: SimSnapshotInput): string;
  /** An AMI (the account's own by default) whose block device mappings are backed by real snapshots. */
  image(region: string, input: SimImageInput): string;
  /** An Elastic IP (allocation id returned), associated with `instanceId` when given. */
  address(region: string, input?: SimAddressInput): string;
  /** A Spot Instance request, e.g. an `open` one that still waits or the `active` one of a spot instance. */
  spotRequest(region: string, input?: SimSpotRequestInput): string;
}

export interface SimVolumeSummary {
  id: string;
  size: number;
  type: string;
  state: SimVolumeState;
  availabilityZone: string;
  snapshotId: string;
  attachedTo: string | undefined;
  deleteOnTermination: boolean | undefined;
  tags: Record<string, string>;
}

export interface SimSnapshotSummary {
  id: string;
  volumeId: string;
  volumeSize: number;
  state: string;
  storageTier: string;
  tags: Record<string, string>;
}

export interface SimAddressSummary {
  allocationId: string;
  publicIp: string;
  instanceId: string | undefined;
  associationId: string | undefined;
  tags: Record<string, string>;
}

export interface SimAlarmSummary {
  name: string;
  state: AlarmState;
  stateReason: string;
  actionsEnabled: boolean;
  alarmActions: string[];
  /** PutMetricAlarm's input as last sent, minus Tags (MetricName, Namespace, Threshold, Period, …). */
  config: Record<string, unknown>;
  /** The tags it was created with. */
  tags: Record<string, string>;
}

/** The simulator's price facts as GetProducts serves them (after `setPrices`), for computing expectations. */
export interface SimPriceView {
  instanceHourly(region: string, instanceType: string): number | undefined;
  volumeGbMonth(region: string, volumeType: string): number | undefined;
  snapshotGbMonth(region: string): number;
  publicIpv4Hourly(region: string): number;
}

/** A short view of an AMI, for assertions. */
export interface SimImageSummary {
  id: string;
  name: string;
  architecture: string;
  ownerId: string;
  rootDeviceName: string;
  volumeSize: number;
}

export interface SimKeyPairSummary {
  keyPairId: string;
  keyName: string;
  keyType: 'rsa' | 'ed25519';
  /** As DescribeKeyPairs shows it. */
  fingerprint: string;
  /** OpenSSH public key line (with the key name as comment). */
  publicKey: string;
  tags: Record<string, string>;
}

export interface SimRuleSummary {
  egress: boolean;
  protocol: string;
  fromPort: number | undefined;
  toPort: number | undefined;
  cidrIpv4: string | undefined;
  cidrIpv6?: string | undefined;
  /** The security group rule id (sgr-…). */
  ruleId?: string;
  description: string | undefined;
  /** A rule that lets in the members of this group (UserIdGroupPairs). */
  groupId?: string;
}

export interface Ec2Simulator {
  /** e.g. http://127.0.0.1:41234 — use as AWS_ENDPOINT_URL_EC2 / AWS_ENDPOINT_URL_STS or `endpoint`. */
  readonly url: string;
  readonly accountId: string;
  readonly regions: readonly Readonly<SimRegion>[];
  readonly requests: readonly Readonly<RequestLogEntry>[];
  readonly timings: StateTimings;
  /** Every request waits this long before it is answered (errors included). */
  latencyMs: number;
  /** Per-request latency hook (e.g. one slow region); a number overrides `latencyMs` for that request. */
  latencyFor: ((request: LatencyRequest) => number | undefined) | undefined;
  serverClockOffsetMs: number;
  /**
   * The most requests that were being served at the same moment since start or `clearRequests()`,
   * counting only `action` when given (e.g. "DescribeInstances").
   */
  peakInFlight(action?: string): number;
  close(): Promise<void>;
  addInstance(region: string, input?: SimInstanceInput): string;
  /** Forces a state now (no transition delay); pending/stopping/shutting-down then advance on their own. */
  setInstanceState(instanceId: string, state: InstanceStateName): void;
  /** The instance's OS runs `shutdown -h now`: stopping with Client.InstanceInitiatedShutdown (or terminated, per its shutdown behaviour). */
  shutdownFromInside(instanceId: string): void;
  instance(instanceId: string): SimInstanceSnapshot | undefined;
  setRegionOptIn(region: string, status: RegionOptInStatus): void;
  injectError(spec: InjectedErrorSpec): void;
  clearInjectedErrors(): void;
  clearRequests(): void;
  /** What GetConsoleOutput returns for the instance (plain text; the simulator base64-encodes it). */
  setConsoleOutput(instanceId: string, text: string): void;
  /** What GetSerialConsoleAccessStatus says for the account (off by default, as on AWS). */
  setSerialConsoleAccess(enabled: boolean, managedBy?: 'account' | 'declarative-policy'): void;
  /** The picture GetConsoleScreenshot returns for the instance (default: a small generated PNG). */
  setConsoleScreenshot(instanceId: string, image: Buffer): void;
  /**
   * Renames an AMI; an id the catalogue does not have becomes a minimal public x86_64 image with that name in
   * every region (e.g. "ubuntu/images/hvm-ssd/ubuntu-noble-24.04-amd64-server-20240423").
   */
  setImageName(imageId: string, name: string): void;

  // --- launch flow (issue 7) -------------------------------------------------------------------------
  /** Adds an AMI to a region; by default owned by the simulated account ("My AMIs"). Returns its id. */
  addImage(region: string, input: SimImageInput): string;
  image(region: string, imageId: string): SimImageSummary | undefined;
  /** The account deleted its default VPC here: RunInstances without a subnet fails with VPCIdNotSpecified. */
  removeDefaultVpc(region: string): void;
  /** A non-default VPC with subnets (default: one per AZ, no public IPs) and its `default` group. */
  addVpc(region: string, input?: SimVpcInput): { vpcId: string; subnetIds: string[]; defaultGroupId: string };
  defaultVpc(region: string): { vpcId: string; subnetIds: string[]; defaultGroupId: string } | undefined;
  securityGroupRules(region: string, groupId: string): SimRuleSummary[];
  keyPair(region: string, keyName: string): SimKeyPairSummary | undefined;
  /**
   * IAM says no: EC2 actions ("RunInstances" or "ec2:RunInstances") answer UnauthorizedOperation, for DryRun
   * and real calls alike; "ec2:CreateTags" denies tagging on create; "ssm:GetParameter" and
   * "servicequotas:GetServiceQuota" answer AccessDeniedException.
   */
  denyActions(actions: readonly string[]): void;
  /** Lifts the given denials, or all of them. */
  allowActions(actions?: readonly string[]): void;
  /**
   * The vCPU quota of a bucket ("Standard", "G and VT", "P", "F", "Inf", "X", "DL", "Trn"), counted over the
   * region's pending and running instances; also what Service Quotas reports. Defaults: Standard 32, G and VT 8,
   * the rest 0. Without `region`, every region.
   */
  setVcpuQuota(bucket: string, vcpus: number, opts?: { market?: 'on-demand' | 'spot'; region?: string }): void;
  /** RunInstances of this type (in this AZ, or any) fails with InsufficientInstanceCapacity (HTTP 500, as on AWS). */
  failCapacity(shortage: CapacityShortage): void;
  clearCapacityFailures(): void;
  /** Restricts where a type is offered (DescribeInstanceTypeOfferings; [] = not in this region). */
  setInstanceTypeOffered(region: string, instanceType: string, availabilityZones: string[]): void;
  /** An SSM parameter of the account (String), next to the public AMI ones. */
  setParameter(region: string, name: string, value: string): void;
  /** With `sshdForLaunches`: the sshd standing in for a launched instance while it is up. */
  sshdFor(instanceId: string): Sshd | undefined;

  // --- keyless access (issue 15) ----------------------------------------------------------------------
  /** A seeded instance's stand-in sshd, where SendSSHPublicKey installs pushed keys (launched ones have theirs). */
  attachSshd(instanceId: string, sshd: Sshd): void;
  /** Session Manager: agents online, sessions started, frame loss. */
  readonly sessionManager: SimSessionManager;
  /** EC2 Instance Connect Endpoints and the tunnels they opened (issue 15). */
  readonly instanceConnectEndpoints: { createMs: number; readonly tunnels: readonly { endpointId: string; privateIp: string; remotePort: number; instanceId: string }[] };
  /** IAM roles and instance profiles; `propagationMs` delays a new profile's use by RunInstances (eventual consistency). */
  readonly iam: { propagationMs: number; readonly profiles: ReadonlyMap<string, { readonly roles: readonly string[] }>; readonly roles: ReadonlyMap<string, { readonly policies: ReadonlySet<string> }> };
  /** Every SendSSHPublicKey the simulator accepted, in order. */
  readonly instanceConnectPushes: readonly SimInstanceConnectPush[];
  /** Pushed keys authorised on the instance right now. */
  instanceConnectKeys(instanceId: string): string[];
  /** What SendSSHPublicKey keys last; changeable while running. */
  instanceConnectKeyTtlMs: number;
  /** A Windows instance's Administrator password in plain text (what GetPasswordData encrypts). */
  windowsPassword(instanceId: string): string;
  windowsPasswordDelayMs: number;
  /** Launch hook failures (the instance was terminated with Server.InternalError). */
  readonly launchErrors: readonly { instanceId: string; error: unknown }[];

  // --- costs ledger (issue 12) and idle auto-stop (issue 13) -------------------------------------------
  readonly seed: SimSeeding;
  volume(region: string, volumeId: string): SimVolumeSummary | undefined;
  snapshot(region: string, snapshotId: string): SimSnapshotSummary | undefined;
  address(region: string, allocationId: string): SimAddressSummary | undefined;
  alarm(region: string, alarmName: string): SimAlarmSummary | undefined;
  /** Every alarm action CloudWatch ran (EC2 stop/terminate/reboot act on the instance; SNS is only recorded). */
  readonly alarmActions: readonly Readonly<SimAlarmActionRecord>[];
  readonly prices: SimPriceView;
  /** Overrides prices (for one region, or all); later calls win. */
  setPrices(overrides: SimPriceOverrides): void;
  /** Replaces the billed costs Cost Explorer reports (and Budgets' month-to-date spend derives from). */
  setCostAndUsage(rows: readonly SimCostRow[]): void;
  /** Pins a budget's CalculatedSpend (USD); undefined goes back to the Cost Explorer month-to-date total. */
  setBudgetSpend(budgetName: string, spend: SimBudgetSpend | undefined): void;
  /** Pins AWS/EC2 metric series of an instance (CPUUtilization, NetworkIn, …); others keep the idle default. */
  setMetrics(instanceId: string, metrics: SimInstanceMetrics): void;
  /** Evaluates CloudWatch alarms now (or `at`), running the actions of those that change state. */
  evaluateAlarms(opts?: { region?: string; at?: Date | number }): void;

  // --- snapshots and AMIs (issue 14) -------------------------------------------------------------------
  /** The account's own AMIs in the region (any state), with who they are shared with. */
  ownImages(region: string): SimOwnImage[];
  /** The account's snapshots in the region, with progress and who may create volumes from them. */
  ownSnapshots(region: string): SimOwnSnapshot[];
  /** Every CreateImage the simulator accepted, in order. */
  readonly createdImages: readonly { instanceId: string; imageId: string; noReboot: boolean }[];
  /**
   * Runs when a grown volume's new size becomes usable (before `optimizing`): a test makes the growth real there,
   * e.g. by growing the rig's loop device. Undefined removes it.
   */
  onVolumeResize(hook: VolumeResizeHook | undefined): void;
  /** Runs after AttachVolume: a test makes the volume appear as a disk on the rig (e.g. a loop device of its size). */
  onVolumeAttach(hook: ((attached: { region: string; volumeId: string; sizeGiB: number; device: string }) => Promise<void> | void) | undefined): void;
}

/** An own AMI as a test sees it. */
export interface SimOwnImage {
  id: string;
  name: string;
  description: string;
  state: string;
  isPublic: boolean;
  launchPermissions: string[];
  /** Device name → snapshot id, root first. */
  snapshotIds: string[];
  tags: Record<string, string>;
}

/** An own snapshot as a test sees it. */
export interface SimOwnSnapshot {
  id: string;
  volumeId: string;
  volumeSize: number;
  description: string;
  state: string;
  progress: number;
  isPublic: boolean;
  createVolumePermissions: string[];
  tags: Record<string, string>;
}
