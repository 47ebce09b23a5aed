import { createHash, randomUUID } from 'node:crypto';
import { chmod, writeFile } from 'node:fs/promises';
import {
  AuthorizeSecurityGroupIngressCommand,
  CreateKeyPairCommand,
  CreateSecurityGroupCommand,
  CreateTagsCommand,
  DeleteKeyPairCommand,
  DescribeImagesCommand,
  DescribeInstancesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  DescribeKeyPairsCommand,
  DescribeSecurityGroupsCommand,
  DescribeSpotPriceHistoryCommand,
  DescribeSubnetsCommand,
  DescribeVpcsCommand,
  type EC2Client,
  type Image,
  ImportKeyPairCommand,
  type IpPermission,
  type KeyPairInfo as SdkKeyPairInfo,
  RevokeSecurityGroupIngressCommand,
  RunInstancesCommand,
  type RunInstancesCommandInput,
  type SecurityGroup,
  type Tag,
} from '@aws-sdk/client-ec2';
import { GetServiceQuotaCommand } from '@aws-sdk/client-service-quotas';
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import ssh2 from 'ssh2';
import { cancelledError, HangarError } from '../../../shared/errors/hangar-error';
import {
  CREATED_BY_TAG,
  IMAGE_PRESETS,
  instanceNames,
  SSH_GROUP_NAME,
  type ImagePreset,
  type KeyPairInfo,
  type LaunchImage,
  type LaunchRequest,
  type LaunchTypeOption,
  type RegionScope,
  type SecurityGroupInfo,
} from '../../../shared/models/launch';
import { priceFor } from '../../../shared/models/instance-prices';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import type { Ec2Service } from '../ec2/ec2-service';
import { EC2_QUOTAS_CONSOLE, mapAwsError } from '../aws/map-aws-error';
import type { SettingsStore } from '../settings/settings-store';
import { defaultUsers } from '../ssh/default-users';
import { normalizeFingerprint } from '../ssh/keys/fingerprints';
import type { KeysService } from '../ssh/keys-service';
import type { LaunchService } from './launch-service';
import { DEFAULT_IP_ECHO_URL, learnPublicIp } from './my-ip';
import { answersSsh } from './ssh-probe';

const { utils } = ssh2;

export interface LaunchServiceDeps {
  clientsFor(accountId: string): AwsClientFactory;
  keys: Pick<KeysService, 'list' | 'material' | 'importMaterial' | 'remove'>;
  settings: SettingsStore;
  ec2: Pick<Ec2Service, 'describeInstance'>;
  /** Where "my IP" is asked; default HANGAR_IP_ECHO_URL from the environment, else checkip.amazonaws.com. */
  ipEchoUrl?: string;
  sshProbeTimeoutMs?: number;
}

/** vCPU quota bucket of a family and its Service Quotas codes (on-demand, spot), as EC2 documents them. */
const QUOTA_BUCKETS: Readonly<Record<string, readonly [string, string]>> = {
  Standard: ['L-1216C47A', 'L-34B43A08'],
  'G and VT': ['L-DB2E81BA', 'L-3819A6DF'],
  P: ['L-417A185B', 'L-7212CCBC'],
  F: ['L-74FC7D96', 'L-88CF9481'],
  Inf: ['L-1945791B', 'L-B5D1601B'],
  X: ['L-7295265B', 'L-E3A00192'],
  DL: ['L-6E869C2A', 'L-85EED4F7'],
  Trn: ['L-2C3B7624', 'L-6B0D517C'],
};

export function quotaBucketOf(instanceType: string): string {
  const family = instanceType.split('.')[0] ?? '';
  if (/^(vt|g)/.test(family)) return 'G and VT';
  if (family.startsWith('inf')) return 'Inf';
  if (family.startsWith('trn')) return 'Trn';
  if (family.startsWith('dl')) return 'DL';
  if (family.startsWith('p')) return 'P';
  if (family.startsWith('f')) return 'F';
  if (family.startsWith('x') || family.startsWith('u-')) return 'X';
  return 'Standard';
}

const SEARCH_LIMIT = 50;

export function createLaunchService(deps: LaunchServiceDeps): LaunchService {
  // Read at each use, so a test harness can point it at a local server after the services exist.
  const ipEchoUrl = (): string => deps.ipEchoUrl ?? process.env.HANGAR_IP_ECHO_URL ?? DEFAULT_IP_ECHO_URL;

  async function call<T>(scope: RegionScope, action: string, signal: AbortSignal | undefined, run: (client: EC2Client) => Promise<T>): Promise<T> {
    if (signal?.aborted) throw cancelledError();
    try {
      return await run(deps.clientsFor(scope.accountId).ec2(scope.region));
    } catch (error) {
      throw signal?.aborted ? cancelledError() : mapAwsError(error, { action, region: scope.region });
    }
  }

  function toImage(image: Image, preset?: ImagePreset): LaunchImage | undefined {
    if (image.ImageId === undefined) return undefined;
    const root = image.BlockDeviceMappings?.find((m) => m.DeviceName === image.RootDeviceName) ?? image.BlockDeviceMappings?.[0];
    const platform = image.PlatformDetails ?? (image.Platform === 'Windows' ? 'Windows' : 'Linux/UNIX');
    const windows = /windows/i.test(platform);
    const name = image.Name ?? image.ImageId;
    return {
      imageId: image.ImageId,
      name,
      ...(image.Description === undefined ? {} : { description: image.Description }),
      architecture: image.Architecture ?? 'x86_64',
      ...(image.CreationDate === undefined ? {} : { creationDate: image.CreationDate }),
      rootDeviceName: image.RootDeviceName ?? root?.DeviceName ?? '/dev/xvda',
      rootSizeGiB: root?.Ebs?.VolumeSize ?? 8,
      ...(root?.Ebs?.VolumeType === undefined ? {} : { rootVolumeType: root.Ebs.VolumeType }),
      platform,
      ...(image.OwnerId === undefined ? {} : { ownerId: image.OwnerId }),
      ...(preset === undefined ? {} : { presetId: preset.id, presetLabel: preset.label }),
      user: windows ? 'Administrator' : (preset?.user ?? defaultUsers(name)[0] ?? 'ec2-user'),
      needsRsa: windows,
      gpu: preset?.gpu ?? /gpu|deep ?learning|nvidia|cuda/i.test(`${name} ${image.Description ?? ''}`),
    };
  }

  async function describeImages(scope: RegionScope, ids: string[], signal?: AbortSignal): Promise<Image[]> {
    if (ids.length === 0) return [];
    const out = await call(scope, 'ec2:DescribeImages', signal, (c) => c.send(new DescribeImagesCommand({ ImageIds: ids }), { abortSignal: signal }));
    return out.Images ?? [];
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

  function runInput(request: LaunchRequest, dryRun: boolean): RunInstancesCommandInput {
    const createdBy: Tag = { Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value };
    const extra = request.tags.filter((t) => t.key !== 'Name' && t.key !== CREATED_BY_TAG.key).map((t): Tag => ({ Key: t.key, Value: t.value }));
    const first = instanceNames(request.name, request.count)[0] ?? request.name;
    return {
      DryRun: dryRun,
      ImageId: request.imageId,
      InstanceType: request.instanceType as RunInstancesCommandInput['InstanceType'],
      MinCount: request.count,
      MaxCount: request.count,
      ...(request.keyName === undefined ? {} : { KeyName: request.keyName }),
      ...(request.securityGroupIds.length === 0 ? {} : { SecurityGroupIds: request.securityGroupIds }),
      ...(request.subnetId === undefined ? {} : { SubnetId: request.subnetId }),
      BlockDeviceMappings: [
        {
          DeviceName: request.rootDeviceName,
          Ebs: { VolumeSize: request.rootSizeGiB, VolumeType: request.rootVolumeType, DeleteOnTermination: request.deleteOnTermination },
        },
      ],
      ...(request.userData === undefined || request.userData === '' ? {} : { UserData: Buffer.from(request.userData, 'utf8').toString('base64') }),
      ...(request.spot ? { InstanceMarketOptions: { MarketType: 'spot', SpotOptions: { SpotInstanceType: 'one-time' } } } : {}),
      TagSpecifications: [
        { ResourceType: 'instance', Tags: [{ Key: 'Name', Value: first }, createdBy, ...extra] },
        // Volumes keep the launch's name: they are renamed per instance only through their instance.
        { ResourceType: 'volume', Tags: [{ Key: 'Name', Value: request.name }, createdBy, ...extra] },
      ],
      // RunInstances is not idempotent without one; a retried request must not launch twice.
      ClientToken: randomUUID(),
    };
  }

  async function localKeyFor(pair: SdkKeyPairInfo): Promise<string | undefined> {
    const keys = await deps.keys.list();
    const wanted = pair.KeyFingerprint === undefined ? undefined : normalizeFingerprint(pair.KeyFingerprint);
    const publicFp = publicKeyFingerprint(pair.PublicKey);
    const found = keys.find(
      (k) =>
        (wanted !== undefined && ((k.awsFingerprint !== undefined && normalizeFingerprint(k.awsFingerprint) === wanted) || normalizeFingerprint(k.fingerprintSha256) === wanted)) ||
        (publicFp !== undefined && k.fingerprintSha256 === publicFp),
    );
    return found?.id;
  }

  async function keyPairInfo(pair: SdkKeyPairInfo): Promise<KeyPairInfo> {
    const localKeyId = await localKeyFor(pair);
    return {
      ...(pair.KeyPairId === undefined ? {} : { keyPairId: pair.KeyPairId }),
      keyName: pair.KeyName ?? '',
      keyType: pair.KeyType ?? 'rsa',
      fingerprint: pair.KeyFingerprint ?? '',
      createdByHangar: isHangarTagged(pair.Tags),
      ...(localKeyId === undefined ? {} : { localKeyId }),
    };
  }

  return {
    async images(scope, signal) {
      const client = deps.clientsFor(scope.accountId).ssm(scope.region);
      let values = new Map<string, string>();
      try {
        const out = await client.send(new GetParametersCommand({ Names: IMAGE_PRESETS.map((p) => p.parameter) }), { abortSignal: signal });
        values = new Map((out.Parameters ?? []).flatMap((p) => (p.Name !== undefined && p.Value !== undefined ? [[p.Name, p.Value] as const] : [])));
      } catch (error) {
        throw signal?.aborted ? cancelledError() : mapAwsError(error, { action: 'ssm:GetParameters', region: scope.region });
      }
      const ids = [...new Set(values.values())];
      const [found, mine] = await Promise.all([
        describeImages(scope, ids, signal),
        call(scope, 'ec2:DescribeImages', signal, (c) => c.send(new DescribeImagesCommand({ Owners: ['self'] }), { abortSignal: signal })),
      ]);
      const byId = new Map(found.map((i) => [i.ImageId, i]));
      const presets: LaunchImage[] = [];
      const missingPresets: string[] = [];
      for (const preset of IMAGE_PRESETS) {
        const id = values.get(preset.parameter);
        const image = id === undefined ? undefined : byId.get(id);
        const mapped = image === undefined ? undefined : toImage(image, preset);
        if (mapped) presets.push(mapped);
        else missingPresets.push(`${preset.label} (${preset.architecture})`);
      }
      const own = (mine.Images ?? [])
        .flatMap((i) => toImage(i) ?? [])
        .sort((a, b) => (b.creationDate ?? '').localeCompare(a.creationDate ?? ''));
      return { presets, missingPresets, mine: own };
    },

    async searchImages(scope, query, signal) {
      const q = query.trim();
      if (q === '') return [];
      if (/^ami-[0-9a-f]{8,17}$/.test(q)) return (await describeImages(scope, [q], signal)).flatMap((i) => toImage(i) ?? []);
      const pattern = q.includes('*') ? q : `*${q}*`;
      const out = await call(scope, 'ec2:DescribeImages', signal, (c) =>
        c.send(new DescribeImagesCommand({ Filters: [{ Name: 'name', Values: [pattern] }, { Name: 'state', Values: ['available'] }] }), { abortSignal: signal }),
      );
      return (out.Images ?? [])
        .sort((a, b) => (b.CreationDate ?? '').localeCompare(a.CreationDate ?? ''))
        .slice(0, SEARCH_LIMIT)
        .flatMap((i) => toImage(i) ?? []);
    },

    async instanceTypes(scope, architecture, signal) {
      const offered = new Set<string>();
      await call(scope, 'ec2:DescribeInstanceTypeOfferings', signal, async (c) => {
        let token: string | undefined;
        do {
          const out = await c.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'region', NextToken: token }), { abortSignal: signal });
          for (const o of out.InstanceTypeOfferings ?? []) if (o.InstanceType !== undefined) offered.add(o.InstanceType);
          token = out.NextToken === '' ? undefined : out.NextToken;
        } while (token !== undefined);
      });
      const options: LaunchTypeOption[] = [];
      await call(scope, 'ec2:DescribeInstanceTypes', signal, async (c) => {
        let token: string | undefined;
        do {
          const out = await c.send(
            new DescribeInstanceTypesCommand({ Filters: [{ Name: 'processor-info.supported-architecture', Values: [architecture] }], NextToken: token }),
            { abortSignal: signal },
          );
          for (const t of out.InstanceTypes ?? []) {
            const type = t.InstanceType;
            if (type === undefined || !offered.has(type)) continue;
            const gpu = t.GpuInfo?.Gpus?.[0];
            const price = priceFor(scope.region, type);
            options.push({
              instanceType: type,
              vcpus: t.VCpuInfo?.DefaultVCpus ?? 0,
              memoryMiB: t.MemoryInfo?.SizeInMiB ?? 0,
              gpus: (t.GpuInfo?.Gpus ?? []).reduce((n, g) => n + (g.Count ?? 0), 0),
              ...(gpu?.Name === undefined ? {} : { gpuModel: `${gpu.Manufacturer ?? ''} ${gpu.Name}`.trim() }),
              ...(t.GpuInfo?.TotalGpuMemoryInMiB === undefined ? {} : { gpuMemoryMiB: t.GpuInfo.TotalGpuMemoryInMiB }),
              architectures: t.ProcessorInfo?.SupportedArchitectures ?? [],
              freeTier: t.FreeTierEligible === true,
              ...(price === undefined ? {} : { pricePerHour: price }),
              family: type.split('.')[0] ?? type,
            });
          }
          token = out.NextToken === '' ? undefined : out.NextToken;
        } while (token !== undefined);
      });
      return options.sort((a, b) => (a.pricePerHour ?? Infinity) - (b.pricePerHour ?? Infinity) || a.instanceType.localeCompare(b.instanceType));
    },

    async vcpuQuota(scope, instanceType, spot, signal) {
      const bucket = quotaBucketOf(instanceType);
      const codes = QUOTA_BUCKETS[bucket] ?? QUOTA_BUCKETS.Standard ?? ['L-1216C47A', 'L-34B43A08'];
      const quotaCode = spot ? codes[1] : codes[0];
      const label = `${spot ? 'All' : 'Running On-Demand'} ${bucket} ${spot ? 'Spot Instance Requests' : 'instances'}`;
      try {
        const out = await deps
          .clientsFor(scope.accountId)
          .quotas(scope.region)
          .send(new GetServiceQuotaCommand({ ServiceCode: 'ec2', QuotaCode: quotaCode }), { abortSignal: signal });
        const limit = out.Quota?.Value;
        if (limit === undefined) throw new Error('no value');
        return {
          bucket,
          quotaCode,
          limit,
          hint:
            limit === 0
              ? `Your account may run 0 vCPUs of ${bucket} instances here (“${label}”), so this launch will fail. Request an increase in the Service Quotas console (${EC2_QUOTAS_CONSOLE}); approval can take a day.`
              : `Your account may run up to ${limit} vCPUs of ${bucket} instances at once here (“${label}”). More needs a quota increase (${EC2_QUOTAS_CONSOLE}).`,
        };
      } catch (error) {
        if (signal?.aborted) throw cancelledError();
        const denied = /AccessDenied/.test(String((error as { name?: unknown }).name));
        return {
          bucket,
          quotaCode,
          hint: `${denied ? 'Hangar may not read Service Quotas (servicequotas:GetServiceQuota).' : 'Hangar could not read the vCPU quota.'} ${bucket} instances count against “${label}” (${quotaCode}); new accounts often have 0 for GPU families. Check it in the Service Quotas console (${EC2_QUOTAS_CONSOLE}).`,
        };
      }
    },

    async spotPrice(scope, instanceType, signal) {
      const out = await call(scope, 'ec2:DescribeSpotPriceHistory', signal, (c) =>
        c.send(
          new DescribeSpotPriceHistoryCommand({ InstanceTypes: [instanceType as never], ProductDescriptions: ['Linux/UNIX'], StartTime: new Date() }),
          { abortSignal: signal },
        ),
      );
      let best: { price: number; availabilityZone: string } | undefined;
      for (const row of out.SpotPriceHistory ?? []) {
        const price = Number(row.SpotPrice);
        if (!Number.isFinite(price)) continue;
        if (best === undefined || price < best.price) best = { price, availabilityZone: row.AvailabilityZone ?? '' };
      }
      return best;
    },

    async keyPairs(scope, signal) {
      const out = await call(scope, 'ec2:DescribeKeyPairs', signal, (c) => c.send(new DescribeKeyPairsCommand({ IncludePublicKey: true }), { abortSignal: signal }));
      const pairs = await Promise.all((out.KeyPairs ?? []).map(keyPairInfo));
      return pairs.sort((a, b) => a.keyName.localeCompare(b.keyName));
    },

    async createKeyPair(input, signal) {
      const out = await call(input, 'ec2:CreateKeyPair', signal, (c) =>
        c.send(
          new CreateKeyPairCommand({
            KeyName: input.keyName,
            KeyType: input.keyType,
            KeyFormat: 'pem',
            TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'Name', Value: input.keyName }, { Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value }] }],
          }),
          { abortSignal: signal },
        ),
      );
      const material = out.KeyMaterial ?? '';
      let localKeyId: string;
      try {
        // Named as the key pair, so connecting to an instance launched with it finds the key by name too.
        localKeyId = (await deps.keys.importMaterial({ name: input.keyName, privateKey: material })).id;
      } catch (error) {
        // AWS never hands the private key out again: a pair whose key could not be kept is useless.
        await deps
          .clientsFor(input.accountId)
          .ec2(input.region)
          .send(new DeleteKeyPairCommand({ KeyName: input.keyName }))
          .catch(() => undefined);
        throw error;
      }
      return {
        ...(out.KeyPairId === undefined ? {} : { keyPairId: out.KeyPairId }),
        keyName: out.KeyName ?? input.keyName,
        keyType: input.keyType,
        fingerprint: out.KeyFingerprint ?? '',
        createdByHangar: true,
        localKeyId,
      };
    },

    async importKeyPair(input, signal) {
      const summary = (await deps.keys.list()).find((k) => k.id === input.keyId);
      if (!summary) throw new HangarError({ code: 'NOT_FOUND', message: 'That key is not in Hangar (any more).' });
      if (summary.type !== 'ssh-ed25519' && summary.type !== 'ssh-rsa') {
        throw new HangarError({ code: 'INVALID_ARGUMENT', message: `EC2 key pairs are ED25519 or RSA; “${summary.name}” is ${summary.type}.`, hint: 'Create a new key pair instead.' });
      }
      const { privateKey, passphrase } = await deps.keys.material(summary.id);
      const parsed = utils.parseKey(privateKey, passphrase);
      const key = Array.isArray(parsed) ? parsed[0] : parsed;
      if (key === undefined || key instanceof Error) throw new HangarError({ code: 'SSH_KEY_INVALID', message: `Hangar could not read the key “${summary.name}”.` });
      const keyName = input.keyName ?? summary.name;
      const line = `${key.type} ${key.getPublicSSH().toString('base64')} ${keyName}\n`;
      const out = await call(input, 'ec2:ImportKeyPair', signal, (c) =>
        c.send(
          new ImportKeyPairCommand({
            KeyName: keyName,
            PublicKeyMaterial: Buffer.from(line),
            TagSpecifications: [{ ResourceType: 'key-pair', Tags: [{ Key: 'Name', Value: keyName }, { Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value }] }],
          }),
          { abortSignal: signal },
        ),
      );
      return {
        ...(out.KeyPairId === undefined ? {} : { keyPairId: out.KeyPairId }),
        keyName: out.KeyName ?? keyName,
        keyType: key.type === 'ssh-ed25519' ? 'ed25519' : 'rsa',
        fingerprint: out.KeyFingerprint ?? '',
        createdByHangar: true,
        localKeyId: summary.id,
      };
    },

    async exportKey(keyId, path) {
      const { privateKey } = await deps.keys.material(keyId);
      try {
        await writeFile(path, privateKey.endsWith('\n') ? privateKey : `${privateKey}\n`, { mode: 0o600 });
        // The mode only applies to a new file; an existing one is narrowed too.
        await chmod(path, 0o600);
      } catch (error) {
        throw new HangarError({
          code: 'LOCAL_WRITE_FAILED',
          message: 'Hangar could not save the key file there.',
          hint: 'Choose a folder you can write to (for example your home folder or ~/.ssh).',
          details: { path },
          cause: error,
        });
      }
    },

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

    async dryRun(request, signal) {
      try {
        await deps.clientsFor(request.accountId).ec2Once(request.region).send(new RunInstancesCommand(runInput(request, true)), { abortSignal: signal });
      } catch (error) {
        const name = (error as { name?: unknown }).name;
        if (name === 'DryRunOperation') return { ok: true, missing: [], message: 'AWS says this launch would succeed: your credentials have every permission it needs.' };
        if (signal?.aborted) throw cancelledError();
        if (name === 'UnauthorizedOperation') {
          const text = String((error as { message?: unknown }).message ?? '');
          const missing = [...text.matchAll(/not authorized to perform: (\S+?)(?: on resource|\s|$)/g)].map((m) => m[1] ?? '').filter((a) => a !== '');
          const list = missing.length > 0 ? [...new Set(missing)] : ['ec2:RunInstances'];
          return {
            ok: false,
            missing: list,
            message: `Your AWS credentials are missing ${list.length === 1 ? 'the permission' : 'the permissions'} ${list.join(', ')}. Ask your AWS administrator to allow ${list.length === 1 ? 'it' : 'them'} in your IAM policy.`,
          };
        }
        throw mapAwsError(error, { action: 'ec2:RunInstances', region: request.region });
      }
      return { ok: true, missing: [], message: 'AWS accepted the check.' };
    },

    async launch(request, signal) {
      const out = await call(request, 'ec2:RunInstances', signal, () =>
        deps.clientsFor(request.accountId).ec2Once(request.region).send(new RunInstancesCommand(runInput(request, false)), { abortSignal: signal }),
      );
      const instances = [...(out.Instances ?? [])].sort((a, b) => (a.AmiLaunchIndex ?? 0) - (b.AmiLaunchIndex ?? 0));
      const names = instanceNames(request.name, request.count);
      const launched = instances.map((i, k) => ({
        instanceId: i.InstanceId ?? '',
        name: names[k] ?? request.name,
        state: i.State?.Name ?? 'pending',
        ...(i.Placement?.AvailabilityZone === undefined ? {} : { availabilityZone: i.Placement.AvailabilityZone }),
      }));
      if (request.count > 1) {
        // One RunInstances call tags every instance alike; each gets its own name-k afterwards (best effort).
        await Promise.all(
          launched.map((l) =>
            deps
              .clientsFor(request.accountId)
              .ec2(request.region)
              .send(new CreateTagsCommand({ Resources: [l.instanceId], Tags: [{ Key: 'Name', Value: l.name }] }))
              .catch(() => undefined),
          ),
        );
      }
      // The key Hangar holds for this pair is remembered per instance, whatever it is called locally.
      if (request.keyName !== undefined) {
        const pair = await call(request, 'ec2:DescribeKeyPairs', signal, (c) =>
          c.send(new DescribeKeyPairsCommand({ KeyNames: [request.keyName ?? ''], IncludePublicKey: true })),
        ).catch(() => undefined);
        const keyId = pair?.KeyPairs?.[0] === undefined ? undefined : await localKeyFor(pair.KeyPairs[0]);
        if (keyId !== undefined) {
          deps.settings.mutate((s) => ({
            ...s,
            connections: { ...s.connections, ...Object.fromEntries(launched.map((l) => [l.instanceId, { ...s.connections[l.instanceId], keyId }])) },
          }));
        }
      }
      return launched;
    },

    async probeSsh(ref, signal) {
      const out = await call(ref, 'ec2:DescribeInstances', signal, (c) => c.send(new DescribeInstancesCommand({ InstanceIds: [ref.instanceId] }), { abortSignal: signal }));
      const instance = out.Reservations?.[0]?.Instances?.[0];
      const state = instance?.State?.Name ?? 'unknown';
      const override = deps.settings.get().connections[ref.instanceId]?.host;
      let host = instance?.PublicIpAddress ?? instance?.PublicDnsName;
      let port = 22;
      if (override !== undefined && override !== '') {
        const m = /^\[([^\]]+)\](?::(\d+))?$/.exec(override) ?? /^([^:]+)(?::(\d+))?$/.exec(override);
        host = m?.[1] ?? override;
        if (m?.[2] !== undefined) port = Number(m[2]);
      }
      if (state !== 'running' || host === undefined || host === '') return { ready: false, state, ...(host === undefined || host === '' ? {} : { host }) };
      return { ready: await answersSsh(host, port, deps.sshProbeTimeoutMs ?? 3_000, signal), host, state };
    },
  };
}

function allowsSsh(p: IpPermission): boolean {
  if (p.IpProtocol === '-1') return true;
  return p.IpProtocol === 'tcp' && (p.FromPort ?? 0) <= 22 && (p.ToPort ?? 65535) >= 22;
}

function isHangarTagged(tags: Tag[] | undefined): boolean {
  return (tags ?? []).some((t) => t.Key === CREATED_BY_TAG.key);
}

/** "SHA256:…" of an OpenSSH public key line (DescribeKeyPairs IncludePublicKey). */
function publicKeyFingerprint(line: string | undefined): string | undefined {
  const blob = line?.trim().split(/\s+/)[1];
  if (blob === undefined) return undefined;
  return `SHA256:${createHash('sha256').update(Buffer.from(blob, 'base64')).digest('base64').replace(/=+$/, '')}`;
}
