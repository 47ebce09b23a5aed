import type { Instance } from '@aws-sdk/client-ec2';
import { INSTANCE_STATE_NAMES, type InstanceStateName, type InstanceSummary } from '../../../shared/models/ec2';

/** An SDK instance as the UI lists it; undefined for one without an id. */
export function toInstanceSummary(i: Instance, region: string): InstanceSummary | undefined {
  if (i.InstanceId === undefined) return undefined;
  const state = i.State?.Name;
  const summary: InstanceSummary = {
    id: i.InstanceId,
    name: present(i.Tags?.find((t) => t.Key === 'Name')?.Value),
    cluster: present(i.Tags?.find((t) => t.Key === 'hangar:cluster')?.Value),
    state: isStateName(state) ? state : 'pending',
    stateReason: present(i.StateReason?.Message),
    type: i.InstanceType ?? 'unknown',
    availabilityZone: i.Placement?.AvailabilityZone ?? region,
    publicIp: present(i.PublicIpAddress),
    publicDns: present(i.PublicDnsName),
    privateIp: present(i.PrivateIpAddress),
    ipv6Address: present(i.Ipv6Address ?? i.NetworkInterfaces?.[0]?.Ipv6Addresses?.[0]?.Ipv6Address),
    keyName: present(i.KeyName),
    imageId: i.ImageId ?? '',
    platform: present(i.PlatformDetails) ?? // The SDK types Platform as "Windows" but the wire says "windows".
      (String(i.Platform ?? '').toLowerCase() === 'windows' ? 'Windows' : undefined),
    architecture: present(i.Architecture),
    launchTime: (i.LaunchTime ?? new Date(0)).toISOString(),
    region,
    // The request's kind and status are filled in by the listing (spot-request-status.ts).
    spot: i.InstanceLifecycle === 'spot' ? { requestId: i.SpotInstanceRequestId ?? '' } : undefined,
  };
  // Drop undefined keys so the object crosses IPC (and compares in tests) exactly as it reads.
  return Object.fromEntries(Object.entries(summary).filter(([, v]) => v !== undefined)) as unknown as InstanceSummary;
}

export function isStateName(value: string | undefined): value is InstanceStateName {
  return (INSTANCE_STATE_NAMES as readonly (string | undefined)[]).includes(value);
}

/** EC2 sends empty elements (e.g. `<dnsName/>`) for absent values; the UI wants them absent. */
export function present(value: string | undefined): string | undefined {
  return value === undefined || value === '' ? undefined : value;
}
