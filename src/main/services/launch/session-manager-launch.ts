import { CreateSecurityGroupCommand, DescribeSecurityGroupsCommand } from '@aws-sdk/client-ec2';
import {
  AddRoleToInstanceProfileCommand,
  AttachRolePolicyCommand,
  CreateInstanceProfileCommand,
  CreateRoleCommand,
  GetInstanceProfileCommand,
  IAMClient,
  ListAttachedRolePoliciesCommand,
} from '@aws-sdk/client-iam';
import { HangarError } from '../../../shared/errors/hangar-error';
import { CREATED_BY_TAG, SSM_CORE_POLICY_ARN, SSM_GROUP_NAME, SSM_PROFILE_NAME, type RegionScope, type SsmProfileStatus } from '../../../shared/models/launch';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { awsCodeOf, mappedAwsCode } from '../aws/aws-error-fields';
import { callAws } from '../aws/call-aws';
import type { Ec2Call } from './ec2-call';
import { unlessExists } from './unless-exists';

// IAM is global; its one endpoint for the aws partition signs in us-east-1.
const IAM_REGION = 'us-east-1';
const TRUST_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }],
});

export interface SessionManagerLaunch {
  /** Whether hangar-ssm-instance exists with its role and AmazonSSMManagedInstanceCore (asked before the user consents). */
  profileStatus(scope: RegionScope, signal?: AbortSignal): Promise<SsmProfileStatus>;
  /** Makes (or completes) the profile when allowed; refuses to create anything without `createRole`. */
  ensureProfile(scope: RegionScope, createRole: boolean, signal?: AbortSignal): Promise<string>;
  /** The VPC's hangar-ssm group (no inbound rules), made on first use. */
  ensureGroup(scope: RegionScope, vpcId: string, signal?: AbortSignal): Promise<string>;
}

export function createSessionManagerLaunch(deps: { clientsFor(accountId: string): AwsClientFactory; call: Ec2Call }): SessionManagerLaunch {
  const iam = (scope: RegionScope): IAMClient => deps.clientsFor(scope.accountId).client(IAMClient, IAM_REGION);
  const iamCall = <T>(scope: RegionScope, action: string, signal: AbortSignal | undefined, run: (client: IAMClient) => Promise<T>): Promise<T> =>
    callAws(() => run(iam(scope)), { action, region: IAM_REGION, signal }).catch((error: unknown) => {
      throw iamError(error, action);
    });

  async function inspect(scope: RegionScope, signal?: AbortSignal): Promise<{ exists: boolean; role?: string; policy: boolean }> {
    let role: string | undefined;
    try {
      const out = await iamCall(scope, 'iam:GetInstanceProfile', signal, (c) => c.send(new GetInstanceProfileCommand({ InstanceProfileName: SSM_PROFILE_NAME }), { abortSignal: signal }));
      role = out.InstanceProfile?.Roles?.[0]?.RoleName;
    } catch (error) {
      if (mappedAwsCode(error) === 'NoSuchEntity' || awsCodeOf(error) === 'NoSuchEntity') return { exists: false, policy: false };
      throw error;
    }
    if (role === undefined) return { exists: true, policy: false };
    const attached = await iamCall(scope, 'iam:ListAttachedRolePolicies', signal, (c) => c.send(new ListAttachedRolePoliciesCommand({ RoleName: role }), { abortSignal: signal }));
    return { exists: true, role, policy: (attached.AttachedPolicies ?? []).some((p) => p.PolicyArn === SSM_CORE_POLICY_ARN) };
  }

  return {
    async profileStatus(scope, signal) {
      try {
        const found = await inspect(scope, signal);
        if (!found.exists) {
          return { state: 'missing', detail: `Hangar will create the IAM role and instance profile ${SSM_PROFILE_NAME} with AWS's policy AmazonSSMManagedInstanceCore, once for this account.` };
        }
        if (found.role === undefined) return { state: 'incomplete', detail: `The instance profile ${SSM_PROFILE_NAME} has no role: Hangar will add its role to it.` };
        if (!found.policy) return { state: 'incomplete', detail: `The role ${found.role} lacks AmazonSSMManagedInstanceCore: Hangar will attach it.` };
        return { state: 'ready', detail: `The instance profile ${SSM_PROFILE_NAME} is ready (role ${found.role} with AmazonSSMManagedInstanceCore).` };
      } catch (error) {
        const hangar = error instanceof HangarError ? error : undefined;
        return { state: 'unknown', detail: hangar === undefined ? String(error) : `${hangar.message} ${hangar.hint ?? ''}`.trim() };
      }
    },

    async ensureProfile(scope, createRole, signal) {
      const found = await inspect(scope, signal);
      if (found.exists && found.role !== undefined && found.policy) return SSM_PROFILE_NAME;
      if (!createRole) {
        throw new HangarError({
          code: 'INVALID_ARGUMENT',
          message: `The instance profile ${SSM_PROFILE_NAME} ${found.exists ? 'is incomplete' : 'does not exist yet'}, and Hangar was not asked to create it.`,
          hint: 'Tick "Create the role for Session Manager" in the Network step, or ask your AWS administrator for an instance profile with AmazonSSMManagedInstanceCore.',
        });
      }
      const roleName = found.role ?? SSM_PROFILE_NAME;
      if (found.role === undefined) {
        await unlessExists(
          () =>
            iamCall(scope, 'iam:CreateRole', signal, (c) =>
              c.send(
                new CreateRoleCommand({
                  RoleName: roleName,
                  AssumeRolePolicyDocument: TRUST_POLICY,
                  Description: 'Hangar: lets EC2 instances reach AWS Systems Manager (Session Manager)',
                  Tags: [{ Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value }],
                }),
                { abortSignal: signal },
              ),
            ),
          ['EntityAlreadyExists'],
        );
      }
      await iamCall(scope, 'iam:AttachRolePolicy', signal, (c) => c.send(new AttachRolePolicyCommand({ RoleName: roleName, PolicyArn: SSM_CORE_POLICY_ARN }), { abortSignal: signal }));
      if (!found.exists) {
        await unlessExists(
          () => iamCall(scope, 'iam:CreateInstanceProfile', signal, (c) => c.send(new CreateInstanceProfileCommand({ InstanceProfileName: SSM_PROFILE_NAME }), { abortSignal: signal })),
          ['EntityAlreadyExists'],
        );
      }
      if (found.role === undefined) {
        await unlessExists(
          () =>
            iamCall(scope, 'iam:AddRoleToInstanceProfile', signal, (c) =>
              c.send(new AddRoleToInstanceProfileCommand({ InstanceProfileName: SSM_PROFILE_NAME, RoleName: roleName }), { abortSignal: signal }),
            ),
          ['LimitExceeded'],
        );
      }
      return SSM_PROFILE_NAME;
    },

    async ensureGroup(scope, vpcId, signal) {
      const existing = await deps.call(scope, 'ec2:DescribeSecurityGroups', signal, (c) =>
        c.send(new DescribeSecurityGroupsCommand({ Filters: [{ Name: 'group-name', Values: [SSM_GROUP_NAME] }, { Name: 'vpc-id', Values: [vpcId] }] }), { abortSignal: signal }),
      );
      const id = existing.SecurityGroups?.[0]?.GroupId;
      if (id !== undefined) return id;
      const created = await deps.call(scope, 'ec2:CreateSecurityGroup', signal, (c) =>
        c.send(
          new CreateSecurityGroupCommand({
            GroupName: SSM_GROUP_NAME,
            Description: 'Hangar: Session Manager only, no inbound rules',
            VpcId: vpcId,
            TagSpecifications: [{ ResourceType: 'security-group', Tags: [{ Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value }] }],
          }),
          { abortSignal: signal },
        ),
      );
      return created.GroupId ?? '';
    },
  };
}

/** IAM's refusals name the permission to ask for; the launch also needs iam:PassRole for the profile's role. */
function iamError(error: unknown, action: string): unknown {
  if (!(error instanceof HangarError) || error.code !== 'AWS_UNAUTHORIZED') return error;
  return new HangarError({
    code: 'AWS_UNAUTHORIZED',
    message: `Your AWS credentials are not allowed to ${action.replace('iam:', '')} in IAM (${action}), which a Session Manager launch needs once.`,
    hint: `Ask your AWS administrator to allow ${action} (and iam:PassRole on the role ${SSM_PROFILE_NAME}), or to create an instance profile ${SSM_PROFILE_NAME} with AmazonSSMManagedInstanceCore for you.`,
    details: { ...error.details, action },
    cause: error.cause,
  });
}
