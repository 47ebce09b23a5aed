import { STATE_CODES, type SimInstance } from './instance-store';
import { items, node, optText, text } from './xml';
import type { InstanceStateName } from './types';

// us-east-1 predates the regional naming scheme and keeps its own DNS suffixes.
export function privateDnsName(i: SimInstance): string {
  if (i.privateIp === undefined) return '';
  const host = `ip-${i.privateIp.replace(/\./g, '-')}`;
  return i.region === 'us-east-1' ? `${host}.ec2.internal` : `${host}.${i.region}.compute.internal`;
}

export function publicDnsName(i: SimInstance): string {
  if (i.publicIp === undefined) return '';
  const host = `ec2-${i.publicIp.replace(/\./g, '-')}`;
  return i.region === 'us-east-1' ? `${host}.compute-1.amazonaws.com` : `${host}.${i.region}.compute.amazonaws.com`;
}

/** An EBS volume attached besides the root one, as the instance's block device mappings list it. */
export interface InstanceVolume {
  volumeId: string;
  device: string;
  attachTime: Date;
  deleteOnTermination: boolean;
}

export function stateXml(name: string, state: InstanceStateName): string {
  return node(name, text('code', STATE_CODES[state]), text('name', state));
}

export function iso(date: Date): string {
  return date.toISOString();
}

/**
 * One `<item>` body of DescribeInstances' instancesSet, in the element order EC2 uses. An Elastic IP shows as
 * owned by the account (`accountId`), an auto-assigned address as owned by `amazon`, as on EC2.
 */
export function instanceXml(i: SimInstance, accountId = 'amazon', dataVolumes: readonly InstanceVolume[] = []): string {
  const ownerless = i.state === 'terminated';
  const eni = ownerless
    ? node('networkInterfaceSet')
    : items('networkInterfaceSet', [i], (x) =>
        [
          text('networkInterfaceId', x.networkInterfaceId),
          text('subnetId', x.subnetId),
          text('vpcId', x.vpcId),
          text('description', ''),
          text('status', 'in-use'),
          text('macAddress', x.macAddress),
          optText('privateIpAddress', x.privateIp),
          text('privateDnsName', privateDnsName(x)),
          text('sourceDestCheck', true),
          items('groupSet', x.securityGroups, (g) => text('groupId', g.id) + text('groupName', g.name)),
          node(
            'attachment',
            text('attachmentId', `eni-attach-${x.networkInterfaceId.slice(4)}`),
            text('deviceIndex', 0),
            text('status', 'attached'),
            text('attachTime', iso(x.launchTime)),
            text('deleteOnTermination', true),
          ),
          x.publicIp === undefined
            ? ''
            : node('association', text('publicIp', x.publicIp), text('publicDnsName', publicDnsName(x)), text('ipOwnerId', x.elasticIp === undefined ? 'amazon' : accountId)),
          text('interfaceType', 'interface'),
        ].join(''),
      );
  return [
    text('instanceId', i.id),
    text('imageId', i.imageId),
    stateXml('instanceState', i.state),
    text('privateDnsName', privateDnsName(i)),
    text('dnsName', publicDnsName(i)),
    text('reason', i.stateTransitionReason),
    optText('keyName', i.keyName),
    text('amiLaunchIndex', i.amiLaunchIndex),
    node('productCodes'),
    text('instanceType', i.instanceType),
    text('launchTime', iso(i.launchTime)),
    node('placement', text('availabilityZone', i.availabilityZone), text('groupName', i.placementGroup ?? ''), text('tenancy', 'default')),
    i.platformDetails.startsWith('Windows') ? text('platform', 'windows') : '',
    node('monitoring', text('state', 'disabled')),
    ownerless ? '' : text('subnetId', i.subnetId),
    ownerless ? '' : text('vpcId', i.vpcId),
    optText('privateIpAddress', i.privateIp),
    optText('ipAddress', i.publicIp),
    optText('ipv6Address', i.ipv6Address),
    text('sourceDestCheck', true),
    items('groupSet', ownerless ? [] : i.securityGroups, (g) => text('groupId', g.id) + text('groupName', g.name)),
    i.stateReason ? node('stateReason', text('code', i.stateReason.code), text('message', i.stateReason.message)) : '',
    i.iamInstanceProfile === undefined ? '' : node('iamInstanceProfile', text('arn', i.iamInstanceProfile.arn), text('id', i.iamInstanceProfile.id)),
    text('architecture', i.architecture),
    text('rootDeviceType', i.rootDeviceType),
    text('rootDeviceName', i.rootDeviceName),
    items(
      'blockDeviceMapping',
      ownerless ? [] : [{ volumeId: i.volumeId, device: i.rootDeviceName, attachTime: i.launchTime, deleteOnTermination: i.rootVolume.deleteOnTermination }, ...dataVolumes],
      (b) =>
        text('deviceName', b.device) +
        node('ebs', text('volumeId', b.volumeId), text('status', 'attached'), text('attachTime', iso(b.attachTime)), text('deleteOnTermination', b.deleteOnTermination)),
    ),
    optText('instanceLifecycle', i.instanceLifecycle),
    optText('spotInstanceRequestId', i.spotInstanceRequestId),
    text('virtualizationType', 'hvm'),
    text('clientToken', i.clientToken),
    items('tagSet', [...i.tags], ([key, value]) => text('key', key) + text('value', value)),
    text('hypervisor', 'xen'),
    eni,
    text('ebsOptimized', false),
    text('enaSupport', i.enaSupport),
    node('cpuOptions', text('coreCount', 1), text('threadsPerCore', 2)),
    node('capacityReservationSpecification', text('capacityReservationPreference', 'open')),
    node('hibernationOptions', text('configured', i.hibernationConfigured)),
    node('metadataOptions', text('state', 'applied'), text('httpTokens', 'required'), text('httpPutResponseHopLimit', 2), text('httpEndpoint', 'enabled')),
    node('enclaveOptions', text('enabled', false)),
    text('platformDetails', i.platformDetails),
    text('usageOperation', i.platformDetails.startsWith('Windows') ? 'RunInstances:0002' : 'RunInstances'),
    text('usageOperationUpdateTime', iso(i.launchTime)),
    node('privateDnsNameOptions', text('hostnameType', 'ip-name'), text('enableResourceNameDnsARecord', false), text('enableResourceNameDnsAAAARecord', false)),
    node('maintenanceOptions', text('autoRecovery', 'default')),
    text('currentInstanceBootMode', 'legacy-bios'),
  ].join('');
}
