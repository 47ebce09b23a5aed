import type { InstanceStateName, RegionOptInStatus } from '../../../src/shared/models/ec2';

export type { InstanceStateName, RegionOptInStatus };

export type SimService = 'ec2' | 'sts';

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
  /** null: no public address (private subnet). */
  publicIp?: string | null;
  privateIp?: string;
  architecture?: 'x86_64' | 'arm64' | 'i386';
  /** e.g. "Linux/UNIX", "Windows", "Red Hat Enterprise Linux". */
  platformDetails?: string;
  launchTime?: Date | string;
  disableApiTermination?: boolean;
  /** Launched with HibernationOptions.Configured=true, so StopInstances Hibernate=true works. */
  hibernationConfigured?: boolean;
  /** Instances seeded with the same reservation id are grouped like one RunInstances call. */
  reservationId?: string;
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
  disableApiTermination: boolean;
  launchTime: string;
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
  instance(instanceId: string): SimInstanceSnapshot | undefined;
  setRegionOptIn(region: string, status: RegionOptInStatus): void;
  injectError(spec: InjectedErrorSpec): void;
  clearInjectedErrors(): void;
  clearRequests(): void;
  /** What GetConsoleOutput returns for the instance (plain text; the simulator base64-encodes it). */
  setConsoleOutput(instanceId: string, text: string): void;
  /** Registers an AMI name for DescribeImages, e.g. "ubuntu/images/hvm-ssd/ubuntu-noble-24.04-amd64-server-20240423". */
  setImageName(imageId: string, name: string): void;
}
