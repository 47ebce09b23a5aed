import type {
  CreateKeyPairInput,
  CreateSshGroupInput,
  DryRunResult,
  ImageCatalog,
  ImportKeyPairInput,
  KeyPairInfo,
  LaunchedInstance,
  LaunchImage,
  LaunchRequest,
  LaunchTypeOption,
  NetworkInfo,
  RegionScope,
  SecurityGroupInfo,
  SshProbe,
  SsmProfileStatus,
  UpdateMyIpInput,
  VcpuQuotaInfo,
} from '../../../shared/models/launch';
import type { InstanceRef } from '../../../shared/models/transfers';

/**
 * The Launch flow's AWS side (issue 7): images resolved through SSM, instance types with prices, key pairs
 * whose private half goes straight to the keychain, "my IP" SSH groups, DryRun and RunInstances.
 * Implemented in create-launch-service.ts.
 */
export interface LaunchService {
  images(scope: RegionScope, signal?: AbortSignal): Promise<ImageCatalog>;
  searchImages(scope: RegionScope, query: string, signal?: AbortSignal): Promise<LaunchImage[]>;
  instanceTypes(scope: RegionScope, architecture: string, signal?: AbortSignal): Promise<LaunchTypeOption[]>;
  vcpuQuota(scope: RegionScope, instanceType: string, spot: boolean, signal?: AbortSignal): Promise<VcpuQuotaInfo>;
  /** The lowest current Linux spot price over the region's zones, USD per hour. */
  spotPrice(scope: RegionScope, instanceType: string, signal?: AbortSignal): Promise<{ price: number; availabilityZone: string } | undefined>;
  keyPairs(scope: RegionScope, signal?: AbortSignal): Promise<KeyPairInfo[]>;
  createKeyPair(input: CreateKeyPairInput, signal?: AbortSignal): Promise<KeyPairInfo>;
  importKeyPair(input: ImportKeyPairInput, signal?: AbortSignal): Promise<KeyPairInfo>;
  /** Writes a Hangar key's private key to `path`, readable by the owner only (0600). */
  exportKey(keyId: string, path: string): Promise<void>;
  network(scope: RegionScope, signal?: AbortSignal): Promise<NetworkInfo>;
  /** This computer's public IPv4 from the IP echo service; IP_ECHO_UNREACHABLE when offline. */
  myIp(signal?: AbortSignal): Promise<string>;
  createSshGroup(input: CreateSshGroupInput, signal?: AbortSignal): Promise<SecurityGroupInfo>;
  /** Replaces the group's SSH /32 rule(s) with the current IP (learned, or given). */
  updateMyIp(input: UpdateMyIpInput, signal?: AbortSignal): Promise<SecurityGroupInfo>;
  /** Update my IP on the instance's Hangar-made SSH groups (offered when port 22 timed out). */
  updateMyIpForInstance(ref: InstanceRef, signal?: AbortSignal): Promise<SecurityGroupInfo[]>;
  dryRun(request: LaunchRequest, signal?: AbortSignal): Promise<DryRunResult>;
  /** "Connect through Session Manager": whether Hangar's instance profile is ready, or what it would create (issue 15). */
  ssmProfile(scope: RegionScope, signal?: AbortSignal): Promise<SsmProfileStatus>;
  launch(request: LaunchRequest, signal?: AbortSignal): Promise<LaunchedInstance[]>;
  /** Whether the instance's SSH port answers with an SSH banner yet. */
  probeSsh(ref: InstanceRef, signal?: AbortSignal): Promise<SshProbe>;
}
