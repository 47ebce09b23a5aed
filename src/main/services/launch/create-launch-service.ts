import type { AwsClientFactory } from '../aws/aws-client-factory';
import type { PriceSource } from '../costs/price-source';
import type { Ec2Service } from '../ec2/ec2-service';
import type { SettingsStore } from '../settings/settings-store';
import type { KeysService } from '../ssh/keys-service';
import { createLaunchImages } from './launch-images';
import { createLaunchInstanceTypes } from './launch-instance-types';
import { createLaunchKeyPairs } from './launch-key-pairs';
import { createLaunchNetwork } from './launch-network';
import type { LaunchService } from './launch-service';
import { DEFAULT_IP_ECHO_URL } from './my-ip';
import { createRunInstances } from './run-instances';
import { createVcpuQuotaLookup } from './vcpu-quota';

export interface LaunchServiceDeps {
  clientsFor(accountId: string): AwsClientFactory;
  keys: Pick<KeysService, 'list' | 'material' | 'importMaterial' | 'remove'>;
  settings: SettingsStore;
  ec2: Pick<Ec2Service, 'describeInstance'>;
  /** Where "my IP" is asked; default HANGAR_IP_ECHO_URL from the environment, else checkip.amazonaws.com. */
  ipEchoUrl?: string;
  sshProbeTimeoutMs?: number;
  /** How long a Session Manager launch waits for a new instance profile to reach EC2 (default 90 s). */
  iamWaitMs?: number;
  /** The app's one price source for on-demand prices; omitted: the bundled table. */
  prices?: Pick<PriceSource, 'onDemand'>;
}

/** The Launch flow, composed of one part per step of the wizard (each in a file named for it). */
export function createLaunchService(deps: LaunchServiceDeps): LaunchService {
  const clients = { clientsFor: (accountId: string) => deps.clientsFor(accountId) };
  // Read at each use, so a test harness can point it at a local server after the services exist.
  const ipEchoUrl = (): string => deps.ipEchoUrl ?? process.env.HANGAR_IP_ECHO_URL ?? DEFAULT_IP_ECHO_URL;
  const images = createLaunchImages(clients);
  const types = createLaunchInstanceTypes({ ...clients, ...(deps.prices === undefined ? {} : { prices: deps.prices }) });
  const keyPairs = createLaunchKeyPairs({ ...clients, keys: deps.keys });
  const network = createLaunchNetwork({ ...clients, ec2: deps.ec2, ipEchoUrl });
  const run = createRunInstances({
    ...clients,
    settings: deps.settings,
    localKeyFor: keyPairs.localKeyFor,
    ...(deps.sshProbeTimeoutMs === undefined ? {} : { sshProbeTimeoutMs: deps.sshProbeTimeoutMs }),
    ...(deps.iamWaitMs === undefined ? {} : { iamWaitMs: deps.iamWaitMs }),
  });
  return {
    images: images.images,
    searchImages: images.searchImages,
    instanceTypes: types.instanceTypes,
    vcpuQuota: createVcpuQuotaLookup(clients),
    spotPrice: types.spotPrice,
    keyPairs: keyPairs.keyPairs,
    createKeyPair: keyPairs.createKeyPair,
    importKeyPair: keyPairs.importKeyPair,
    exportKey: keyPairs.exportKey,
    network: network.network,
    myIp: network.myIp,
    createSshGroup: network.createSshGroup,
    updateMyIp: network.updateMyIp,
    updateMyIpForInstance: network.updateMyIpForInstance,
    dryRun: run.dryRun,
    launch: run.launch,
    probeSsh: run.probeSsh,
    ssmProfile: run.ssmProfile,
  };
}
