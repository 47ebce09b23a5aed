import {
  AuthorizeSecurityGroupIngressCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type IpPermission,
  RevokeSecurityGroupIngressCommand,
  type SecurityGroup,
} from '@aws-sdk/client-ec2';
import { cancelledError, HangarError } from '../../../shared/errors/hangar-error';
import {
  CREATED_BY_TAG,
  SSH_GROUP_NAME,
  type CreateSshGroupInput,
  type NetworkInfo,
  type RegionScope,
  type SecurityGroupInfo,
  type UpdateMyIpInput,
} from '../../../shared/models/launch';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { mapAwsError } from '../aws/map-aws-error';
import type { Ec2Service } from '../ec2/ec2-service';
import { createEc2Call } from './ec2-call';
import { isHangarTagged } from './hangar-tag';
import { learnPublicIp } from './my-ip';

export interface LaunchNetworkDeps {
  clientsFor(accountId: string): AwsClientFactory;
  ec2: Pick<Ec2Service, 'describeInstance'>;
  /** Where "my IP" is asked, read at each use. */
  ipEchoUrl(): string;
}

export interface LaunchNetwork {
  network(scope: RegionScope, signal?: AbortSignal): Promise<NetworkInfo>;
  myIp(signal?: AbortSignal): Promise<string>;
  createSshGroup(input: CreateSshGroupInput, signal?: AbortSignal): Promise<SecurityGroupInfo>;
  updateMyIp(input: UpdateMyIpInput, signal?: AbortSignal): Promise<SecurityGroupInfo>;
  updateMyIpForInstance(ref: InstanceRef, signal?: AbortSignal): Promise<SecurityGroupInfo[]>;
}

/** VPCs, subnets and security groups, and the "SSH from my IP only" group Hangar makes and keeps current. */
export function createLaunchNetwork(deps: LaunchNetworkDeps): LaunchNetwork {
  const call = createEc2Call(deps.clientsFor);
  const ipEchoUrl = deps.ipEchoUrl;

  async function describeGroup(scope: RegionScope, groupId: string, signal?: AbortSignal): Promise<SecurityGroup> {
    const out = await call(scope, 'ec2:DescribeSecurityGroups', signal, (c) =>
      c.send(new DescribeSecurityGroupsCommand({ GroupIds: [groupId] }), { abortSignal: signal }),
    );
    const group = out.SecurityGroups?.[0];
    if (!group) throw new HangarError({ code: 'AWS_NOT_FOUND', message: `Security group ${groupId} was not found in ${scope.region}.`, hint: 'Refresh and pick another group.' });
    return group;
  }

  async function authorizeSsh(scope: RegionScope, groupId: string, cidr: string, signal?: AbortSignal): Promise<void> {
    const permission: IpPermission = {
      IpProtocol: 'tcp',
      FromPort: 22,
      ToPort: 22,
      IpRanges: [{ CidrIp: cidr, Description: cidr === '0.0.0.0/0' ? 'SSH from anywhere (chosen in Hangar)' : 'SSH from my IP (Hangar)' }],
    };
    try {
      await deps.clientsFor(scope.accountId).ec2(scope.region).send(new AuthorizeSecurityGroupIngressCommand({ GroupId: groupId, IpPermissions: [permission] }), { abortSignal: signal });
    } catch (error) {
      // Already allowed is what we wanted.
      if ((error as { name?: unknown }).name === 'InvalidPermission.Duplicate') return;
      throw signal?.aborted ? cancelledError() : mapAwsError(error, { action: 'ec2:AuthorizeSecurityGroupIngress', region: scope.region });
    }
  }

  async function updateMyIp(input: { accountId: string; region: string; groupId: string; ip?: string | undefined }, signal?: AbortSignal): Promise<SecurityGroupInfo> {
    const ip = input.ip ?? (await learnPublicIp(ipEchoUrl(), signal));
    const cidr = `${ip}/32`;
    const group = await describeGroup(input, input.groupId, signal);
    // Only single-address rules are someone's old IP; wider ranges were chosen on purpose and stay.
    const stale = (group.IpPermissions ?? [])
      .filter(allowsSsh)
      .flatMap((p) => (p.IpRanges ?? []).map((r) => r.CidrIp ?? ''))
      .filter((c) => c.endsWith('/32') && c !== cidr);
    if (stale.length > 0) {
      await call(input, 'ec2:RevokeSecurityGroupIngress', signal, (c) =>
        c.send(
          new RevokeSecurityGroupIngressCommand({
            GroupId: input.groupId,
            IpPermissions: [{ IpProtocol: 'tcp', FromPort: 22, ToPort: 22, IpRanges: stale.map((CidrIp) => ({ CidrIp })) }],
          }),
          { abortSignal: signal },
        ),
      );
    }
    await authorizeSsh(input, input.groupId, cidr, signal);
    return groupInfo(await describeGroup(input, input.groupId, signal));
  }

  return {
    async network(scope, signal) {
      const [vpcs, subnets, groups] = await Promise.all([
        call(scope, 'ec2:DescribeVpcs', signal, (c) => c.send(new DescribeVpcsCommand({}), { abortSignal: signal })),
        call(scope, 'ec2:DescribeSubnets', signal, (c) => c.send(new DescribeSubnetsCommand({}), { abortSignal: signal })),
        call(scope, 'ec2:DescribeSecurityGroups', signal, (c) => c.send(new DescribeSecurityGroupsCommand({}), { abortSignal: signal })),
      ]);
      const defaultVpcId = vpcs.Vpcs?.find((v) => v.IsDefault === true)?.VpcId;
      return {
        vpcs: (vpcs.Vpcs ?? []).map((v) => {
          const name = v.Tags?.find((t) => t.Key === 'Name')?.Value;
          return { vpcId: v.VpcId ?? '', cidr: v.CidrBlock ?? '', isDefault: v.IsDefault === true, ...(name === undefined ? {} : { name }) };
        }),
        subnets: (subnets.Subnets ?? [])
          .map((s) => ({
            subnetId: s.SubnetId ?? '',
            vpcId: s.VpcId ?? '',
            availabilityZone: s.AvailabilityZone ?? '',
            cidr: s.CidrBlock ?? '',
            defaultForAz: s.DefaultForAz === true,
            publicIpOnLaunch: s.MapPublicIpOnLaunch === true,
          }))
          .sort((a, b) => a.availabilityZone.localeCompare(b.availabilityZone)),
        securityGroups: (groups.SecurityGroups ?? []).map(groupInfo).sort((a, b) => a.groupName.localeCompare(b.groupName)),
        ...(defaultVpcId === undefined ? {} : { defaultVpcId }),
      };
    },

    myIp: (signal) => learnPublicIp(ipEchoUrl(), signal),

    async createSshGroup(input, signal) {
      const cidr = input.source === 'anywhere' ? '0.0.0.0/0' : `${input.source}/32`;
      const existing = await call(input, 'ec2:DescribeSecurityGroups', signal, (c) =>
        c.send(
          new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'vpc-id', Values: [input.vpcId] }, { Name: 'group-name', Values: [SSH_GROUP_NAME] }] }),
          { abortSignal: signal },
        ),
      );
      let groupId = existing.SecurityGroups?.[0]?.GroupId;
      if (groupId === undefined) {
        const created = await call(input, 'ec2:CreateSecurityGroup', signal, (c) =>
          c.send(
            new CreateSecurityGroupCommand({
              GroupName: SSH_GROUP_NAME,
              Description: 'SSH (TCP 22) only from the addresses Hangar was told. Jupyter and TensorBoard go through SSH tunnels.',
              VpcId: input.vpcId,
              TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: 'Name', Value: SSH_GROUP_NAME }, { Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value }] }],
            }),
            { abortSignal: signal },
          ),
        );
        groupId = created.GroupId ?? '';
      }
      if (input.source === 'anywhere') await authorizeSsh(input, groupId, cidr, signal);
      else return updateMyIp({ accountId: input.accountId, region: input.region, groupId, ip: input.source }, signal);
      return groupInfo(await describeGroup(input, groupId, signal));
    },

    updateMyIp: (input, signal) => updateMyIp(input, signal),

    async updateMyIpForInstance(ref, signal) {
      const details = await deps.ec2.describeInstance(ref.accountId, ref.region, ref.instanceId, signal);
      const groups = await Promise.all(details.securityGroups.map((g) => describeGroup(ref, g.id, signal)));
      const ours = groups.filter((g) => g.GroupName === SSH_GROUP_NAME || isHangarTagged(g.Tags));
      if (ours.length === 0) {
        throw new HangarError({
          code: 'NOT_FOUND',
          message: 'This instance has no security group made by Hangar, so Hangar will not change its rules.',
          hint: `Allow TCP 22 from your current IP in the instance's security group (${details.securityGroups.map((g) => g.name ?? g.id).join(', ')}) in the EC2 console.`,
        });
      }
      const ip = await learnPublicIp(ipEchoUrl(), signal);
      const updated: SecurityGroupInfo[] = [];
      for (const g of ours) updated.push(await updateMyIp({ accountId: ref.accountId, region: ref.region, groupId: g.GroupId ?? '', ip }, signal));
      return updated;
    },
  };
}

function allowsSsh(p: IpPermission): boolean {
  if (p.IpProtocol === '-1') return true;
  return p.IpProtocol === 'tcp' && (p.FromPort ?? 0) <= 22 && (p.ToPort ?? 65535) >= 22;
}

function groupInfo(group: SecurityGroup): SecurityGroupInfo {
  const sshSources = (group.IpPermissions ?? []).filter(allowsSsh).flatMap((p) => (p.IpRanges ?? []).map((r) => r.CidrIp ?? '').filter((c) => c !== ''));
  return {
    groupId: group.GroupId ?? '',
    groupName: group.GroupName ?? '',
    vpcId: group.VpcId ?? '',
    description: group.Description ?? '',
    sshSources,
    createdByHangar: isHangarTagged(group.Tags),
  };
}
