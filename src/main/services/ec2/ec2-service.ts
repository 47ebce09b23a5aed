import type { InstanceSummary, RegionSummary } from '../../../shared/models/ec2';
import type {
  InstanceActionInput,
  InstanceStateChange,
  InstanceTypeInfo,
  RegionScanResult,
  TerminationProtection,
} from '../../../shared/models/instance-actions';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import type { PriceSource } from '../costs/price-source';
import { createInstanceActions } from './instance-actions';
import { createInstanceListing, type ConsoleOptions, type ConsoleSnapshot } from './instance-listing';
import { createInstanceTypeLookup } from './instance-types';
import { createRegionList } from './region-list';
import { createRegionScan, type ScanOptions } from './region-scan';
import { createTerminationProtectionCheck } from './termination-protection';

/** Re-exported for callers that reach these through the service. */
export { ALWAYS_ENABLED_REGIONS } from '../../../shared/models/region-names';
export { TERMINATION_PROTECTION_HINT } from './action-refusals';
export { DEFAULT_SCAN_CONCURRENCY, type ScanOptions } from './region-scan';
export type { ConsoleOptions, ConsoleSnapshot } from './instance-listing';

/** Who and where: the account and region the changes happened in. */
export type StateChangeListener = (changes: readonly InstanceStateChange[], where: { accountId: string; region: string }) => void;

export interface Ec2Service {
  listRegions(accountId: string, signal?: AbortSignal): Promise<RegionSummary[]>;
  listInstances(accountId: string, region: string, signal?: AbortSignal): Promise<InstanceSummary[]>;
  /** Every enabled region, concurrently (bounded). Resolves with every region's result in region-name order. */
  scanAllRegions(accountId: string, options: ScanOptions): Promise<RegionScanResult[]>;
  instanceTypes(accountId: string, region: string, types: string[], signal?: AbortSignal): Promise<InstanceTypeInfo[]>;
  terminationProtection(accountId: string, region: string, instanceIds: string[], signal?: AbortSignal): Promise<TerminationProtection[]>;
  /** Start / stop / hibernate / reboot / terminate; on success the changes also go to every `onStateChanges` listener. */
  act(input: InstanceActionInput, signal?: AbortSignal): Promise<InstanceStateChange[]>;
  /**
   * Called after each successful `act` with its state changes (possibly none), before `act` resolves,
   * so that other services (tunnels) react to an instance the user stopped. Returns the unsubscribe.
   */
  onStateChanges(listener: StateChangeListener): () => void;
  /** One instance with what connecting to it needs: security groups and (best effort) its AMI's name. */
  describeInstance(accountId: string, region: string, instanceId: string, signal?: AbortSignal): Promise<InstanceDetails>;
  /** The instance's serial console text (GetConsoleOutput, decoded); undefined while there is none yet. */
  consoleOutput(accountId: string, region: string, instanceId: string, signal?: AbortSignal): Promise<string | undefined>;
  /** The same with when AWS last updated it; `latest` asks for the live serial output (Nitro types only). */
  consoleSnapshot(accountId: string, region: string, instanceId: string, options: ConsoleOptions, signal?: AbortSignal): Promise<ConsoleSnapshot>;
}

export interface InstanceDetails {
  readonly instance: InstanceSummary;
  readonly securityGroups: readonly { readonly id: string; readonly name?: string }[];
  /** e.g. "ubuntu/images/hvm-ssd/ubuntu-noble-24.04-amd64-server-20240423"; undefined when the AMI is gone or not visible. */
  readonly imageName?: string;
  /** Its network, for an EC2 Instance Connect Endpoint in the same VPC (issue 15). */
  readonly vpcId?: string;
  readonly subnetId?: string;
}

export interface Ec2ServiceDeps {
  clientsFor(accountId: string): AwsClientFactory;
  /**
   * Where DescribeRegions is asked: one region for every account, or per account (e.g. its default region,
   * which is what makes a GovCloud or China account work). Default us-east-1, which can never be disabled.
   */
  homeRegion?: string | ((accountId: string) => string | undefined | Promise<string | undefined>);
  /** The app's one price source for the instance table's prices; omitted: the bundled table. */
  prices?: Pick<PriceSource, 'onDemand'>;
}

/** The account-scoped EC2 service, composed of one part per job (each in a file named for it). */
export function createEc2Service(deps: Ec2ServiceDeps): Ec2Service {
  const clients = { clientsFor: (accountId: string) => deps.clientsFor(accountId) };
  const regions = createRegionList({ ...clients, ...(deps.homeRegion === undefined ? {} : { homeRegion: deps.homeRegion }) });
  const listing = createInstanceListing(clients);
  const terminationProtection = createTerminationProtectionCheck(clients);
  const act = createInstanceActions({ ...clients, describeStates: listing.describeStates, terminationProtection });
  const listeners = new Set<StateChangeListener>();

  return {
    listRegions: regions.listRegions,
    listInstances: listing.listInstances,
    scanAllRegions: createRegionScan({ ...regions, listInstances: listing.listInstances }),
    instanceTypes: createInstanceTypeLookup({ ...clients, ...(deps.prices === undefined ? {} : { prices: deps.prices }) }),
    terminationProtection,
    async act(input, signal) {
      const changes = await act(input, signal);
      for (const listener of [...listeners]) listener(changes, { accountId: input.accountId, region: input.region });
      return changes;
    },
    onStateChanges(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    describeInstance: listing.describeInstance,
    consoleOutput: listing.consoleOutput,
    consoleSnapshot: listing.consoleSnapshot,
  };
}
