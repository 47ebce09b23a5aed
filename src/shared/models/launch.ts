import { z } from 'zod';
import { accountIdSchema, regionNameSchema } from './accounts';
import { CLUSTER_TAG, clusterNameSchema, clusterNodeName, clusterResourceNames, placementStrategy } from './cluster';
import { keyIdSchema } from './ssh';
import type { PriceProvenance } from './costs';

/** The tag every resource Hangar creates carries, so a later cost view can find it all. */
export const CREATED_BY_TAG = { key: 'hangar:created-by', value: 'Hangar' } as const;

/** The security group Hangar creates per VPC for SSH from the user's IP. */
export const SSH_GROUP_NAME = 'hangar-ssh';
/** "Connect through Session Manager" launches (issue 15): the instance profile (and its role) Hangar makes once, and a group with no inbound rules. */
export const SSM_PROFILE_NAME = 'hangar-ssm-instance';
export const SSM_GROUP_NAME = 'hangar-ssm';
export const SSM_CORE_POLICY_ARN = 'arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore';

/** Whether the instance profile a Session Manager launch attaches is there: ready, to be created, or to be completed (its role lacks the policy). */
export interface SsmProfileStatus {
  readonly state: 'ready' | 'missing' | 'incomplete' | 'unknown';
  /** In plain words, e.g. what Hangar will create, or which IAM permission it could not use. */
  readonly detail: string;
}

export type Architecture = 'x86_64' | 'arm64';

/** The images offered first, resolved live per region through SSM public parameters. */
export interface ImagePreset {
  readonly id: string;
  readonly label: string;
  readonly architecture: Architecture;
  readonly parameter: string;
  /** The login user of this image family. */
  readonly user: string;
  readonly gpu: boolean;
}

const DLAMI = (arch: 'x86_64' | 'arm64'): string =>
  `/aws/service/deeplearning/ami/${arch}/oss-nvidia-driver-gpu-pytorch-2.5-ubuntu-22.04/latest/ami-id`;

export const IMAGE_PRESETS: readonly ImagePreset[] = [
  { id: 'al2023-x86_64', label: 'Amazon Linux 2023', architecture: 'x86_64', parameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-x86_64', user: 'ec2-user', gpu: false },
  { id: 'al2023-arm64', label: 'Amazon Linux 2023', architecture: 'arm64', parameter: '/aws/service/ami-amazon-linux-latest/al2023-ami-kernel-default-arm64', user: 'ec2-user', gpu: false },
  { id: 'ubuntu-24.04-x86_64', label: 'Ubuntu 24.04 LTS', architecture: 'x86_64', parameter: '/aws/service/canonical/ubuntu/server/24.04/stable/current/amd64/hvm/ebs-gp3/ami-id', user: 'ubuntu', gpu: false },
  { id: 'ubuntu-24.04-arm64', label: 'Ubuntu 24.04 LTS', architecture: 'arm64', parameter: '/aws/service/canonical/ubuntu/server/24.04/stable/current/arm64/hvm/ebs-gp3/ami-id', user: 'ubuntu', gpu: false },
  { id: 'ubuntu-22.04-x86_64', label: 'Ubuntu 22.04 LTS', architecture: 'x86_64', parameter: '/aws/service/canonical/ubuntu/server/22.04/stable/current/amd64/hvm/ebs-gp2/ami-id', user: 'ubuntu', gpu: false },
  { id: 'ubuntu-22.04-arm64', label: 'Ubuntu 22.04 LTS', architecture: 'arm64', parameter: '/aws/service/canonical/ubuntu/server/22.04/stable/current/arm64/hvm/ebs-gp2/ami-id', user: 'ubuntu', gpu: false },
  { id: 'dlami-pytorch-x86_64', label: 'Deep Learning AMI (GPU, PyTorch)', architecture: 'x86_64', parameter: DLAMI('x86_64'), user: 'ubuntu', gpu: true },
  { id: 'dlami-pytorch-arm64', label: 'Deep Learning AMI (GPU, PyTorch)', architecture: 'arm64', parameter: DLAMI('arm64'), user: 'ubuntu', gpu: true },
];

/** One AMI as the wizard shows it. */
export interface LaunchImage {
  readonly imageId: string;
  readonly name: string;
  readonly description?: string;
  readonly architecture: string;
  readonly creationDate?: string;
  readonly rootDeviceName: string;
  readonly rootSizeGiB: number;
  readonly rootVolumeType?: string;
  readonly platform: string;
  readonly ownerId?: string;
  /** The preset it was resolved from, if any. */
  readonly presetId?: string;
  readonly presetLabel?: string;
  /** Default login user known from the image family. */
  readonly user: string;
  /** Windows images need an RSA key pair. */
  readonly needsRsa: boolean;
  readonly gpu: boolean;
}

export interface ImageCatalog {
  readonly presets: readonly LaunchImage[];
  /** Presets SSM did not resolve here (not published in this region). */
  readonly missingPresets: readonly string[];
  readonly mine: readonly LaunchImage[];
}

export interface LaunchTypeOption {
  readonly instanceType: string;
  readonly vcpus: number;
  readonly memoryMiB: number;
  readonly gpus: number;
  readonly gpuModel?: string;
  readonly gpuMemoryMiB?: number;
  readonly architectures: readonly string[];
  readonly freeTier: boolean;
  /** On-demand Linux USD per hour, undefined when unknown. */
  readonly pricePerHour?: number;
  /** Where the price came from (the Price List, or the bundled table); absent: the bundled table. */
  readonly priceSource?: PriceProvenance;
  readonly family: string;
}

export interface VcpuQuotaInfo {
  readonly bucket: string;
  readonly quotaCode: string;
  /** undefined: Service Quotas could not be read (hint says why). */
  readonly limit?: number;
  readonly hint: string;
}

export interface KeyPairInfo {
  readonly keyPairId?: string;
  readonly keyName: string;
  readonly keyType: string;
  readonly fingerprint: string;
  readonly createdByHangar: boolean;
  /** The Hangar key holding its private half, when Hangar has it. */
  readonly localKeyId?: string;
}

export interface SecurityGroupInfo {
  readonly groupId: string;
  readonly groupName: string;
  readonly vpcId: string;
  readonly description: string;
  /** Sources allowed to TCP 22 (CIDRs). */
  readonly sshSources: readonly string[];
  readonly createdByHangar: boolean;
}

export interface VpcInfo {
  readonly vpcId: string;
  readonly cidr: string;
  readonly isDefault: boolean;
  readonly name?: string;
}

export interface SubnetInfo {
  readonly subnetId: string;
  readonly vpcId: string;
  readonly availabilityZone: string;
  readonly cidr: string;
  readonly defaultForAz: boolean;
  readonly publicIpOnLaunch: boolean;
}

export interface NetworkInfo {
  readonly vpcs: readonly VpcInfo[];
  readonly subnets: readonly SubnetInfo[];
  readonly securityGroups: readonly SecurityGroupInfo[];
  readonly defaultVpcId?: string;
}

export interface DryRunResult {
  readonly ok: boolean;
  /** IAM actions the credentials lack, e.g. "ec2:RunInstances". */
  readonly missing: readonly string[];
  readonly message: string;
}

export interface LaunchedInstance {
  readonly instanceId: string;
  readonly name: string;
  readonly state: string;
  readonly availabilityZone?: string;
}

export interface SshProbe {
  readonly ready: boolean;
  readonly host?: string;
  readonly state: string;
}

const awsName = z.string().trim().min(1).max(255).regex(/^[\x20-\x7E]+$/, 'printable ASCII only');
const imageIdSchema = z.string().regex(/^ami-[0-9a-f]{8,17}$/);
const instanceTypeSchema = z.string().regex(/^[a-z0-9-]+\.[a-z0-9-]+$/);
const groupIdSchema = z.string().regex(/^sg-[0-9a-f]{8,17}$/);
const vpcIdSchema = z.string().regex(/^vpc-[0-9a-f]{8,17}$/);
const subnetIdSchema = z.string().regex(/^subnet-[0-9a-f]{8,17}$/);
export const ipv4Schema = z.string().regex(/^(25[0-5]|2[0-4]\d|1?\d?\d)(\.(25[0-5]|2[0-4]\d|1?\d?\d)){3}$/, 'an IPv4 address such as 203.0.113.7');

export const regionScopeSchema = z.object({ accountId: accountIdSchema, region: regionNameSchema }).strict();
export type RegionScope = z.infer<typeof regionScopeSchema>;

export const createKeyPairInputSchema = z
  .object({ accountId: accountIdSchema, region: regionNameSchema, keyName: awsName, keyType: z.enum(['ed25519', 'rsa']) })
  .strict();
export type CreateKeyPairInput = z.infer<typeof createKeyPairInputSchema>;

export const importKeyPairInputSchema = z
  .object({ accountId: accountIdSchema, region: regionNameSchema, keyId: keyIdSchema, keyName: awsName.optional() })
  .strict();
export type ImportKeyPairInput = z.infer<typeof importKeyPairInputSchema>;

export const createSshGroupInputSchema = z
  .object({
    accountId: accountIdSchema,
    region: regionNameSchema,
    vpcId: vpcIdSchema,
    /** The user's IPv4 (learned or typed), or 'anywhere' for 0.0.0.0/0 after an explicit, warned choice. */
    source: z.union([ipv4Schema, z.literal('anywhere')]),
  })
  .strict();
export type CreateSshGroupInput = z.infer<typeof createSshGroupInputSchema>;

export const updateMyIpInputSchema = z
  .object({ accountId: accountIdSchema, region: regionNameSchema, groupId: groupIdSchema, ip: ipv4Schema.optional() })
  .strict();
export type UpdateMyIpInput = z.infer<typeof updateMyIpInputSchema>;

/**
 * What a spot instance's request does when AWS needs the capacity back. One-time: the instance is terminated
 * (and cannot be stopped by its owner either). Persistent with `stop`: it is stopped, keeps its volumes, and AWS
 * starts it again when capacity returns; its owner can stop and start it too. Hibernate is not offered: it
 * needs an encrypted root volume larger than the memory and an AMI prepared for it.
 */
export const spotRequestSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('one-time'), maxPrice: z.number().gt(0.001).max(1000).optional() }).strict(),
  z.object({ type: z.literal('persistent'), interruption: z.literal('stop'), maxPrice: z.number().gt(0.001).max(1000).optional() }).strict(),
]);
export type SpotRequest = z.infer<typeof spotRequestSchema>;

export const launchRequestSchema = z
  .object({
    accountId: accountIdSchema,
    region: regionNameSchema,
    imageId: imageIdSchema,
    instanceType: instanceTypeSchema,
    keyName: awsName.optional(),
    securityGroupIds: z.array(groupIdSchema).max(5),
    subnetId: subnetIdSchema.optional(),
    rootDeviceName: z.string().min(1).max(64).regex(/^\/dev\/[a-z0-9/]+$/),
    rootSizeGiB: z.number().int().min(1).max(16_384),
    rootVolumeType: z.enum(['gp3', 'gp2', 'io1', 'io2', 'st1', 'sc1', 'standard']),
    deleteOnTermination: z.boolean(),
    count: z.number().int().min(1).max(20),
    name: z.string().trim().min(1).max(200),
    tags: z.array(z.object({ key: z.string().min(1).max(127), value: z.string().max(255) }).strict()).max(40),
    /** Plain text; sent base64-encoded, which AWS caps at 16 KiB. */
    userData: z.string().max(12 * 1024).optional(),
    spot: z.boolean(),
    /** With `spot`: the request's kind and maximum price; absent means one-time at the current spot price. */
    spotRequest: spotRequestSchema.optional(),
    /** "Make these a cluster" (issue 16): a placement group, a members-only security group, master/node00N names. */
    cluster: z.object({ name: clusterNameSchema }).strict().optional(),
    /**
     * "Connect through Session Manager (no SSH port open)" (issue 15): the instance profile hangar-ssm-instance
     * (its role made first when `createRole`, the user's consent) and a security group with no inbound rules in `vpcId`.
     */
    sessionManager: z.object({ createRole: z.boolean(), vpcId: vpcIdSchema }).strict().optional(),
  })
  .strict();
export type LaunchRequest = z.infer<typeof launchRequestSchema>;

/** Names of a launch's instances: one gets the name, N get name-1…name-N; a cluster's are master, node001, … */
export function instanceNames(name: string, count: number, cluster = false): string[] {
  if (cluster) return Array.from({ length: count }, (_, i) => clusterNodeName(i));
  return count === 1 ? [name] : Array.from({ length: count }, (_, i) => `${name}-${i + 1}`);
}

function quoteArg(value: string): string {
  return /^[A-Za-z0-9_@%+=:,./-]+$/.test(value) ? value : `'${value.replace(/'/g, `'\\''`)}'`;
}

export interface LaunchTag {
  readonly key: string;
  readonly value: string;
}

/**
 * The tags RunInstances is given (and the CLI line shows). One call tags every instance alike, so all start
 * with the first name (name-1 of several) and the others are renamed right after (`instanceNames`); the
 * volumes carry the launch's name.
 */
export function launchTags(request: LaunchRequest): { instance: LaunchTag[]; volume: LaunchTag[] } {
  const createdBy = { key: CREATED_BY_TAG.key, value: CREATED_BY_TAG.value };
  const extra = request.tags.filter((t) => t.key !== 'Name' && t.key !== CREATED_BY_TAG.key && t.key !== CLUSTER_TAG);
  if (request.cluster) extra.push({ key: CLUSTER_TAG, value: request.cluster.name });
  const first = instanceNames(request.name, request.count, request.cluster !== undefined)[0] ?? request.name;
  return { instance: [{ key: 'Name', value: first }, createdBy, ...extra], volume: [{ key: 'Name', value: request.name }, createdBy, ...extra] };
}

/** What the CLI's shorthand takes as it is; anything else (commas, spaces, braces…) goes as JSON. */
const SHORTHAND_SAFE = /^[A-Za-z0-9_.:/+@-]*$/;

function shorthandSafe(tags: readonly LaunchTag[]): boolean {
  return tags.every((t) => SHORTHAND_SAFE.test(t.key) && SHORTHAND_SAFE.test(t.value));
}

function tagList(tags: readonly LaunchTag[]): string {
  return `[${tags.map((t) => `{Key=${t.key},Value=${t.value}}`).join(',')}]`;
}

function jsonTags(tags: readonly LaunchTag[]): { Key: string; Value: string }[] {
  return tags.map((t) => ({ Key: t.key, Value: t.value }));
}

/**
 * The AWS CLI commands that do what the wizard is about to do: the run-instances line with the very tags
 * RunInstances gets, then — for several instances — the create-tags that give each of the others its name.
 */
export function runInstancesCommandLine(request: LaunchRequest): string {
  const tags = launchTags(request);
  const args: string[] = [
    'aws ec2 run-instances',
    `--region ${request.region}`,
    `--image-id ${request.imageId}`,
    `--instance-type ${request.instanceType}`,
    `--count ${request.count}`,
  ];
  if (request.keyName !== undefined) args.push(`--key-name ${quoteArg(request.keyName)}`);
  if (request.securityGroupIds.length > 0) args.push(`--security-group-ids ${request.securityGroupIds.join(' ')}`);
  if (request.subnetId !== undefined) args.push(`--subnet-id ${request.subnetId}`);
  args.push(
    `--block-device-mappings ${quoteArg(
      `DeviceName=${request.rootDeviceName},Ebs={VolumeSize=${request.rootSizeGiB},VolumeType=${request.rootVolumeType},DeleteOnTermination=${request.deleteOnTermination}}`,
    )}`,
  );
  args.push(
    shorthandSafe([...tags.instance, ...tags.volume])
      ? `--tag-specifications ${quoteArg(`ResourceType=instance,Tags=${tagList(tags.instance)}`)} ${quoteArg(`ResourceType=volume,Tags=${tagList(tags.volume)}`)}`
      : `--tag-specifications ${quoteArg(
          JSON.stringify([
            { ResourceType: 'instance', Tags: jsonTags(tags.instance) },
            { ResourceType: 'volume', Tags: jsonTags(tags.volume) },
          ]),
        )}`,
  );
  if (request.spot) args.push(`--instance-market-options ${quoteArg(marketOptionsArg(request.spotRequest))}`);
  if (request.userData !== undefined && request.userData !== '') args.push('--user-data file://user-data.txt');
  const prelude: string[] = [];
  if (request.sessionManager) {
    if (request.sessionManager.createRole) {
      const trust = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { Service: 'ec2.amazonaws.com' }, Action: 'sts:AssumeRole' }] });
      prelude.push(
        '# Once per account: a role the instance uses to reach Session Manager, and its instance profile.',
        `aws iam create-role --role-name ${SSM_PROFILE_NAME} --assume-role-policy-document ${quoteArg(trust)}`,
        `aws iam attach-role-policy --role-name ${SSM_PROFILE_NAME} --policy-arn ${SSM_CORE_POLICY_ARN}`,
        `aws iam create-instance-profile --instance-profile-name ${SSM_PROFILE_NAME}`,
        `aws iam add-role-to-instance-profile --instance-profile-name ${SSM_PROFILE_NAME} --role-name ${SSM_PROFILE_NAME}`,
      );
    }
    prelude.push(
      '# A security group with no inbound rules: nothing, SSH included, can reach the instance from outside.',
      `aws ec2 create-security-group --region ${request.region} --vpc-id ${request.sessionManager.vpcId} --group-name ${SSM_GROUP_NAME} --description ${quoteArg('Hangar: Session Manager only, no inbound rules')}`,
      '',
    );
    args.push(`--iam-instance-profile Name=${SSM_PROFILE_NAME}`);
    const at = args.findIndex((a) => a.startsWith('--security-group-ids'));
    if (at >= 0) args[at] = `${args[at] ?? ''} SSM_SG_ID`;
    else args.push('--security-group-ids SSM_SG_ID');
  }
  if (request.cluster) {
    const { placementGroup, securityGroup } = clusterResourceNames(request.cluster.name);
    const clusterTag = `Key=${CLUSTER_TAG},Value=${request.cluster.name}`;
    prelude.push(
      `# The cluster first: its placement group, and a security group that lets its members reach each other.`,
      `aws ec2 create-placement-group --region ${request.region} --group-name ${placementGroup} --strategy ${placementStrategy(request.instanceType, request.count)} --tag-specifications ${quoteArg(`ResourceType=placement-group,Tags=[{${clusterTag}}]`)}`,
      `aws ec2 create-security-group --region ${request.region} --group-name ${securityGroup} --description ${quoteArg(`Hangar cluster ${request.cluster.name}: members reach each other`)} --tag-specifications ${quoteArg(`ResourceType=security-group,Tags=[{${clusterTag}}]`)}`,
      `aws ec2 authorize-security-group-ingress --region ${request.region} --group-id CLUSTER_SG_ID --ip-permissions ${quoteArg('IpProtocol=-1,UserIdGroupPairs=[{GroupId=CLUSTER_SG_ID}]')}`,
      '',
    );
    args.push(`--placement GroupName=${placementGroup}`);
    const at = args.findIndex((a) => a.startsWith('--security-group-ids'));
    if (at >= 0) args[at] = `${args[at] ?? ''} CLUSTER_SG_ID`;
    else args.push('--security-group-ids CLUSTER_SG_ID');
  }
  const lines = [...prelude, args.join(' \\\n  ')];
  const names = instanceNames(request.name, request.count, request.cluster !== undefined);
  if (names.length > 1) {
    lines.push('', `# run-instances names all ${names.length} instances ${names[0] ?? ''}; then each of the others gets its own name:`);
    names.slice(1).forEach((name, k) => {
      const tag = [{ key: 'Name', value: name }];
      const value = shorthandSafe(tag) ? `Key=Name,Value=${name}` : JSON.stringify(jsonTags(tag));
      lines.push(`aws ec2 create-tags --region ${request.region} --resources INSTANCE_${k + 2}_ID --tags ${quoteArg(value)}`);
    });
  }
  return lines.join('\n');
}

/** RunInstances' SpotOptions for a spot launch (one-time when the request says nothing more). */
export function spotOptionsOf(spot: SpotRequest | undefined): { SpotInstanceType: 'one-time' | 'persistent'; InstanceInterruptionBehavior?: 'stop'; MaxPrice?: string } {
  const maxPrice = spot?.maxPrice === undefined ? {} : { MaxPrice: String(spot.maxPrice) };
  if (spot?.type === 'persistent') return { SpotInstanceType: 'persistent', InstanceInterruptionBehavior: spot.interruption, ...maxPrice };
  return { SpotInstanceType: 'one-time', ...maxPrice };
}

/** The CLI's shorthand for the same SpotOptions that spotOptionsOf gives the SDK. */
function marketOptionsArg(spot: SpotRequest | undefined): string {
  const options = spotOptionsOf(spot);
  const parts = Object.entries(options).map(([key, value]) => `${key}=${value}`);
  return `MarketType=spot,SpotOptions={${parts.join(',')}}`;
}

/** Cost of N instances for an hour and a day, when the hourly price is known. */
export function launchCost(pricePerHour: number | undefined, count: number): { hour: number; day: number } | undefined {
  if (pricePerHour === undefined) return undefined;
  return { hour: pricePerHour * count, day: pricePerHour * count * 24 };
}
