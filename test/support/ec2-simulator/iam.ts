import { createHash, randomBytes } from 'node:crypto';
import type { Permissions } from './permissions';
import type { QueryParams } from './query-params';
import { SimError } from './sim-error';
import { escapeXml, text } from './xml';

export const IAM_XMLNS = 'https://iam.amazonaws.com/doc/2010-05-08/';
export const IAM_VERSION = '2010-05-08';
const SSM_CORE_POLICY = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';
const NAME = /^[\w+=,.@-]{1,64}$/;

interface SimRole {
  readonly name: string;
  readonly roleId: string;
  readonly arn: string;
  readonly path: string;
  readonly created: string;
  readonly assumeRolePolicyDocument: string;
  readonly policies: Set<string>;
}

interface SimInstanceProfile {
  readonly name: string;
  readonly id: string;
  readonly arn: string;
  readonly path: string;
  readonly created: string;
  readonly createdAt: number;
  readonly roles: string[];
}

/**
 * IAM as EC2 launches need it (issue 15): roles with attached managed policies and instance profiles, over
 * the Query protocol (IAM is global: one store per account). `propagationMs` is IAM's eventual consistency:
 * RunInstances refuses a profile younger than that, as EC2 does for a few seconds after CreateInstanceProfile.
 */
export class IamStore {
  propagationMs = 0;
  readonly roles = new Map<string, SimRole>();
  readonly profiles = new Map<string, SimInstanceProfile>();
  /** Told of each instance launched with a profile whose role has AmazonSSMManagedInstanceCore: its agent registers. */
  onManagedLaunch: ((instanceId: string) => void) | undefined;

  constructor(private readonly accountId: string) {}

  /** The profile RunInstances was given (IamInstanceProfile.Name or .Arn), or EC2's own refusal. */
  profileForLaunch(name: string | undefined, arn: string | undefined): { arn: string; id: string; managed: boolean; roleArn: string } | undefined {
    if (name === undefined && arn === undefined) return undefined;
    const key = name ?? arn?.split('/').at(-1) ?? '';
    const profile = this.profiles.get(key);
    const fresh = profile !== undefined && Date.now() - profile.createdAt < this.propagationMs;
    if (profile === undefined || fresh) {
      throw new SimError(
        'InvalidParameterValue',
        name !== undefined
          ? `Value (${name}) for parameter iamInstanceProfile.name is invalid. Invalid IAM Instance Profile name`
          : `Value (${arn ?? ''}) for parameter iamInstanceProfile.arn is invalid. Invalid IAM Instance Profile ARN`,
      );
    }
    const managed = profile.roles.some((r) => this.roles.get(r)?.policies.has(SSM_CORE_POLICY) === true);
    return { arn: profile.arn, id: profile.id, managed, roleArn: this.roles.get(profile.roles[0] ?? '')?.arn ?? profile.arn };
  }

  run(action: string, params: QueryParams, permissions: Permissions): string {
    if (permissions.isDenied('iam', action)) {
      throw new SimError('AccessDenied', `User: arn:aws:iam::${this.accountId}:user/hangar-test is not authorized to perform: iam:${action} because no identity-based policy allows the iam:${action} action`, 403);
    }
    const name = (param: string): string => {
      const value = params.get(param);
      if (value === undefined || value === '') throw new SimError('ValidationError', `1 validation error detected: Value null at '${param.charAt(0).toLowerCase()}${param.slice(1)}' failed to satisfy constraint: Member must not be null`, 400);
      if (!NAME.test(value)) throw new SimError('ValidationError', `1 validation error detected: Value '${value}' at '${param.charAt(0).toLowerCase()}${param.slice(1)}' failed to satisfy constraint: Member must satisfy regular expression pattern: [\\w+=,.@-]+`, 400);
      return value;
    };
    const role = (roleName: string): SimRole => {
      const found = this.roles.get(roleName);
      if (!found) throw new SimError('NoSuchEntity', `The role with name ${roleName} cannot be found.`, 404);
      return found;
    };
    const profile = (profileName: string): SimInstanceProfile => {
      const found = this.profiles.get(profileName);
      if (!found) throw new SimError('NoSuchEntity', `Instance Profile ${profileName} cannot be found.`, 404);
      return found;
    };
    switch (action) {
      case 'CreateRole': {
        const roleName = name('RoleName');
        if (this.roles.has(roleName)) throw new SimError('EntityAlreadyExists', `Role with name ${roleName} already exists.`, 409);
        const document = params.get('AssumeRolePolicyDocument');
        if (document === undefined) throw new SimError('ValidationError', "1 validation error detected: Value null at 'assumeRolePolicyDocument' failed to satisfy constraint: Member must not be null", 400);
        try {
          JSON.parse(document);
        } catch {
          throw new SimError('MalformedPolicyDocument', 'This policy contains invalid Json', 400);
        }
        const path = params.get('Path') ?? '/';
        const created: SimRole = { name: roleName, roleId: `AROA${id(17)}`, arn: `arn:aws:iam::${this.accountId}:role${path}${roleName}`, path, created: new Date().toISOString(), assumeRolePolicyDocument: document, policies: new Set() };
        this.roles.set(roleName, created);
        return `<CreateRoleResult>${roleXml(created)}</CreateRoleResult>`;
      }
      case 'GetRole':
        return `<GetRoleResult>${roleXml(role(name('RoleName')))}</GetRoleResult>`;
      case 'AttachRolePolicy': {
        const target = role(name('RoleName'));
        const policyArn = params.get('PolicyArn') ?? '';
        if (!/^arn:aws[a-z-]*:iam::(aws|\d{12}):policy\//.test(policyArn)) throw new SimError('InvalidInput', `ARN ${policyArn} is not valid.`, 400);
        if (policyArn !== SSM_CORE_POLICY && policyArn.includes(':iam::aws:')) {
          // The simulator knows one AWS managed policy; any other AWS one is as unknown as a typo.
          if (!policyArn.endsWith('/AmazonS3ReadOnlyAccess')) throw new SimError('NoSuchEntity', `Policy ${policyArn} does not exist or is not attachable.`, 404);
        }
        target.policies.add(policyArn);
        return '';
      }
      case 'ListAttachedRolePolicies': {
        const target = role(name('RoleName'));
        const members = [...target.policies].map((arn) => `<member>${text('PolicyName', arn.split('/').at(-1) ?? arn)}${text('PolicyArn', arn)}</member>`).join('');
        return `<ListAttachedRolePoliciesResult><AttachedPolicies>${members}</AttachedPolicies>${text('IsTruncated', false)}</ListAttachedRolePoliciesResult>`;
      }
      case 'CreateInstanceProfile': {
        const profileName = name('InstanceProfileName');
        if (this.profiles.has(profileName)) throw new SimError('EntityAlreadyExists', `Instance Profile ${profileName} already exists.`, 409);
        const path = params.get('Path') ?? '/';
        const created: SimInstanceProfile = { name: profileName, id: `AIPA${id(17)}`, arn: `arn:aws:iam::${this.accountId}:instance-profile${path}${profileName}`, path, created: new Date().toISOString(), createdAt: Date.now(), roles: [] };
        this.profiles.set(profileName, created);
        return `<CreateInstanceProfileResult>${this.profileXml(created)}</CreateInstanceProfileResult>`;
      }
      case 'AddRoleToInstanceProfile': {
        const target = profile(name('InstanceProfileName'));
        const roleName = name('RoleName');
        role(roleName);
        if (target.roles.length > 0) throw new SimError('LimitExceeded', 'Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1', 409);
        target.roles.push(roleName);
        return '';
      }
      case 'GetInstanceProfile':
        return `<GetInstanceProfileResult>${this.profileXml(profile(name('InstanceProfileName')))}</GetInstanceProfileResult>`;
      default:
        throw new SimError('InvalidAction', `Could not find operation ${action} for version ${params.get('Version') ?? ''}`, 400);
    }
  }

  private profileXml(p: SimInstanceProfile): string {
    const roles = p.roles.map((r) => this.roles.get(r)).filter((r): r is SimRole => r !== undefined);
    return `<InstanceProfile>${text('Path', p.path)}${text('InstanceProfileName', p.name)}${text('InstanceProfileId', p.id)}${text('Arn', p.arn)}${text('CreateDate', p.created)}<Roles>${roles.map((r) => `<member>${roleFields(r)}</member>`).join('')}</Roles></InstanceProfile>`;
  }
}

function roleFields(r: SimRole): string {
  return `${text('Path', r.path)}${text('RoleName', r.name)}${text('RoleId', r.roleId)}${text('Arn', r.arn)}${text('CreateDate', r.created)}${text('AssumeRolePolicyDocument', encodeURIComponent(r.assumeRolePolicyDocument))}`;
}

function roleXml(r: SimRole): string {
  return `<Role>${roleFields(r)}</Role>`;
}

function id(length: number): string {
  return createHash('sha256').update(randomBytes(16)).digest('hex').toUpperCase().replace(/[^A-Z0-9]/g, '').slice(0, length);
}

export function iamErrorXml(code: string, message: string, status: number, requestId: string): string {
  const type = status >= 500 ? 'Receiver' : 'Sender';
  return (
    '<?xml version="1.0" encoding="UTF-8"?>\n' +
    `<ErrorResponse xmlns="${IAM_XMLNS}">` +
    `<Error><Type>${type}</Type><Code>${escapeXml(code)}</Code><Message>${escapeXml(message)}</Message></Error>` +
    `<RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}
