import { DescribeImagesCommand, type Image } from '@aws-sdk/client-ec2';
import { GetParametersCommand } from '@aws-sdk/client-ssm';
import { IMAGE_PRESETS, type ImageCatalog, type ImagePreset, type LaunchImage, type RegionScope } from '../../../shared/models/launch';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws } from '../aws/call-aws';
import { defaultUsers } from '../ssh/default-users';
import { createEc2Call } from './ec2-call';

const SEARCH_LIMIT = 50;

export interface LaunchImages {
  images(scope: RegionScope, signal?: AbortSignal): Promise<ImageCatalog>;
  searchImages(scope: RegionScope, query: string, signal?: AbortSignal): Promise<LaunchImage[]>;
}

/** The images a launch can start from: presets resolved through SSM public parameters, own AMIs, a name search. */
export function createLaunchImages(deps: { clientsFor(accountId: string): AwsClientFactory }): LaunchImages {
  const call = createEc2Call(deps.clientsFor);

  async function describeImages(scope: RegionScope, ids: string[], signal?: AbortSignal): Promise<Image[]> {
    if (ids.length === 0) return [];
    const out = await call(scope, 'ec2:DescribeImages', signal, (c) => c.send(new DescribeImagesCommand({ ImageIds: ids }), { abortSignal: signal }));
    return out.Images ?? [];
  }

  return {
    async images(scope, signal) {
      const client = deps.clientsFor(scope.accountId).ssm(scope.region);
      const out = await callAws(() => client.send(new GetParametersCommand({ Names: IMAGE_PRESETS.map((p) => p.parameter) }), { abortSignal: signal }), {
        action: 'ssm:GetParameters',
        region: scope.region,
        signal,
      });
      const values = new Map((out.Parameters ?? []).flatMap((p) => (p.Name !== undefined && p.Value !== undefined ? [[p.Name, p.Value] as const] : [])));
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
        // An AMI still being made (pending) cannot be launched yet: it is offered once available (issue 14).
        .filter((i) => i.State === undefined || i.State === 'available')
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
  };
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
