import {
  AuthorizeSecurityGroupIngressCommand,
  CreatePlacementGroupCommand,
  CreateSecurityGroupCommand,
  DescribeSecurityGroupsCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type EC2Client,
} from '@aws-sdk/client-ec2';
import { CLUSTER_TAG, clusterResourceNames, placementStrategy } from '../../../shared/models/cluster';
import { CREATED_BY_TAG } from '../../../shared/models/launch';
import type { LaunchRequest } from '../../../shared/models/launch';
import type { Ec2Call } from './ec2-call';
import { unlessExists } from './unless-exists';

export interface ClusterResources {
  readonly placementGroup: string;
  readonly securityGroupId: string;
}


/**
 * What a cluster launch makes before RunInstances (issue 16): its placement group (strategy by instance
 * type) and a security group whose one rule lets members reach each other on every port (a self-reference),
 * both tagged with the cluster. SSH from the user's IP stays with the group chosen in the wizard.
 */
export async function prepareClusterResources(call: Ec2Call, request: LaunchRequest & { cluster: { name: string } }, signal?: AbortSignal): Promise<ClusterResources> {
  const { placementGroup, securityGroup } = clusterResourceNames(request.cluster.name);
  const tags = [
    { Key: CLUSTER_TAG, Value: request.cluster.name },
    { Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value },
  ];
  await unlessExists(
    () =>
      call(request, 'ec2:CreatePlacementGroup', signal, (c: EC2Client) =>
        c.send(
          new CreatePlacementGroupCommand({
            GroupName: placementGroup,
            Strategy: placementStrategy(request.instanceType, request.count),
            TagSpecifications: [{ ResourceType: 'placement-group', Tags: tags }],
          }),
          { abortSignal: signal },
        ),
      ),
    ['InvalidPlacementGroup.Duplicate'],
  );

  const vpcId = request.subnetId
    ? (await call(request, 'ec2:DescribeSubnets', signal, (c) => c.send(new DescribeSubnetsCommand({ SubnetIds: [request.subnetId ?? ''] }), { abortSignal: signal }))).Subnets?.[0]?.VpcId
    : (await call(request, 'ec2:DescribeVpcs', signal, (c) => c.send(new DescribeVpcsCommand({ Filters: [{ Name: 'isDefault', Values: ['true'] }] }), { abortSignal: signal }))).Vpcs?.[0]?.VpcId;

  const created = await unlessExists(
    () =>
      call(request, 'ec2:CreateSecurityGroup', signal, (c) =>
        c.send(
          new CreateSecurityGroupCommand({
            GroupName: securityGroup,
            Description: `Hangar cluster ${request.cluster.name}: members reach each other`,
            ...(vpcId === undefined ? {} : { VpcId: vpcId }),
            TagSpecifications: [{ ResourceType: 'security-group', Tags: tags }],
          }),
          { abortSignal: signal },
        ),
      ),
    ['InvalidGroup.Duplicate'],
  );
  let groupId = created?.GroupId;
  if (groupId === undefined) {
    const found = await call(request, 'ec2:DescribeSecurityGroups', signal, (c) =>
      c.send(
        new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [securityGroup] }, ...(vpcId === undefined ? [] : [{ Name: 'vpc-id', Values: [vpcId] }])] }),
        { abortSignal: signal },
      ),
    );
    groupId = found.SecurityGroups?.[0]?.GroupId ?? '';
  }
  await unlessExists(
    () =>
      call(request, 'ec2:AuthorizeSecurityGroupIngress', signal, (c) =>
        c.send(
          new AuthorizeSecurityGroupIngressCommand({
            GroupId: groupId,
            IpPermissions: [{ IpProtocol: '-1', UserIdGroupPairs: [{ GroupId: groupId, Description: 'Members of the cluster reach each other' }] }],
          }),
          { abortSignal: signal },
        ),
      ),
    ['InvalidPermission.Duplicate'],
  );
  return { placementGroup, securityGroupId: groupId };
}
