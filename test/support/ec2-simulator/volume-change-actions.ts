import type { Ec2ActionContext } from './ec2-actions';
import { isWellFormedId } from './ids';
import { checkDryRun } from './network-actions';
import { ec2Paging, pageOf } from './page-token';
import { compileFilters } from './resource-filters';
import { SimError } from './sim-error';
import { MODIFICATIONS_PER_DAY, type SimVolumeModification } from './volume-modifications';
import { defaultIops, positiveInt, resolveVolumes, SIZE_RANGE, VOLUME_TYPES, type SimVolume } from './volumes';
import { items, optText, text } from './xml';

/** Elastic Volumes and attachments (issue 14): ModifyVolume, DescribeVolumesModifications, AttachVolume, DetachVolume. */
export const VOLUME_CHANGE_ACTIONS = {
  ModifyVolume: modifyVolume,
  DescribeVolumesModifications: describeVolumesModifications,
  AttachVolume: attachVolume,
  DetachVolume: detachVolume,
} as const;

function modificationXml(ctx: Ec2ActionContext, m: SimVolumeModification): string {
  const mods = ctx.world.volumeModifications;
  const end = mods.endTimeOf(m);
  return [
    text('volumeId', m.volumeId),
    text('modificationState', mods.stateOf(m)),
    text('targetSize', m.target.size),
    optText('targetIops', m.target.iops),
    text('targetVolumeType', m.target.type),
    optText('targetThroughput', m.target.throughput),
    text('targetMultiAttachEnabled', false),
    text('originalSize', m.original.size),
    optText('originalIops', m.original.iops),
    text('originalVolumeType', m.original.type),
    optText('originalThroughput', m.original.throughput),
    text('originalMultiAttachEnabled', false),
    text('progress', mods.progressOf(m)),
    text('startTime', m.startTime.toISOString()),
    end === undefined ? '' : text('endTime', end.toISOString()),
  ].join('');
}

/** ModifyVolume: grow, change type, IOPS or throughput; one change at a time, four per rolling 24 hours. */
function modifyVolume(ctx: Ec2ActionContext): string {
  const { params, region, world, store } = ctx;
  const id = params.get('VolumeId');
  if (id === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter VolumeId');
  store.list(region);
  const [volume] = resolveVolumes(ctx, [id]) as [SimVolume];
  const size = positiveInt(ctx, 'Size');
  const type = params.get('VolumeType');
  const iops = positiveInt(ctx, 'Iops');
  const throughput = positiveInt(ctx, 'Throughput');
  if (size === undefined && type === undefined && iops === undefined && throughput === undefined) {
    throw new SimError('MissingParameter', 'The request must contain at least one of the parameters size, volumeType, iops or throughput.');
  }
  if (type !== undefined && !VOLUME_TYPES.includes(type)) {
    throw new SimError('InvalidParameterValue', `Value (${type}) for parameter volumeType is invalid. Valid values: ${VOLUME_TYPES.join(', ')}`);
  }
  const targetType = type ?? volume.type;
  const targetSize = size ?? volume.size;
  if (targetSize < volume.size) throw new SimError('InvalidParameterValue', `New size cannot be smaller than existing size. Existing size: ${volume.size}GiB, requested size: ${targetSize}GiB.`);
  const [min, max] = SIZE_RANGE[targetType] ?? [1, 16384];
  if (targetSize < min || targetSize > max) throw new SimError('InvalidParameterValue', `Volume size ${targetSize} is invalid for ${targetType} volumes. Valid range: ${min}-${max} GiB.`);
  if (throughput !== undefined && targetType !== 'gp3') throw new SimError('InvalidParameterCombination', `The parameter throughput is not supported for ${targetType} volumes.`);
  if (throughput !== undefined && (throughput < 125 || throughput > 1000)) throw new SimError('InvalidParameterValue', `Throughput ${throughput} MiB/s is invalid for gp3 volumes. Valid range: 125-1000 MiB/s.`);
  if (iops !== undefined && targetType === 'gp3' && (iops < 3000 || iops > 16000)) throw new SimError('InvalidParameterValue', `IOPS ${iops} is invalid for gp3 volumes. Valid range: 3000-16000.`);
  if (iops !== undefined && (targetType === 'gp2' || targetType === 'st1' || targetType === 'sc1' || targetType === 'standard')) {
    throw new SimError('InvalidParameterCombination', `The parameter iops is not supported for ${targetType} volumes.`);
  }
  const running = world.volumeModifications.running(volume.id);
  if (running) {
    throw new SimError('IncorrectModificationState', `Volume ${volume.id} cannot be modified in modification state ${world.volumeModifications.stateOf(running).toUpperCase()}`);
  }
  if (world.volumeModifications.recent(volume.id).length >= MODIFICATIONS_PER_DAY) {
    throw new SimError('VolumeModificationRateExceeded', `You've reached the maximum modification rate per volume limit. You can modify a volume up to ${MODIFICATIONS_PER_DAY} times in a rolling 24-hour period.`);
  }
  const typeChanged = targetType !== volume.type;
  const target = {
    size: targetSize,
    type: targetType,
    iops: iops ?? (typeChanged ? defaultIops(targetType, targetSize) : targetType === 'gp2' ? defaultIops('gp2', targetSize) : volume.iops),
    throughput: throughput ?? (targetType === 'gp3' ? (typeChanged ? 125 : volume.throughput) : undefined),
  };
  if (target.size === volume.size && target.type === volume.type && target.iops === volume.iops && target.throughput === volume.throughput) {
    throw new SimError('InvalidParameterCombination', `New configuration is the same as the existing one for volume ${volume.id}.`);
  }
  checkDryRun(params);
  const m = world.volumeModifications.start(volume, target);
  return `<volumeModification>${modificationXml(ctx, m)}</volumeModification>`;
}

/** DescribeVolumesModifications: VolumeId.N, Filter.N, MaxResults and NextToken. */
function describeVolumesModifications(ctx: Ec2ActionContext): string {
  const { params, region, world } = ctx;
  const ids = [...new Set(params.list('VolumeId'))];
  const malformed = ids.find((id) => !isWellFormedId('vol', id));
  if (malformed !== undefined) throw new SimError('InvalidVolumeID.Malformed', `Invalid id: "${malformed}" (expecting "vol-...")`);
  for (const id of ids) {
    if (!world.volumes.get(region, id)) throw new SimError('InvalidVolume.NotFound', `The volume '${id}' does not exist.`);
    if (world.volumeModifications.of(id).length === 0) throw new SimError('InvalidVolumeModification.NotFound', `Modification for volume '${id}' does not exist.`);
  }
  const mods = world.volumeModifications;
  const filters = params.filters();
  const predicate = compileFilters<SimVolumeModification>(filters, {
    'volume-id': (m) => [m.volumeId],
    'modification-state': (m) => [mods.stateOf(m)],
    'target-size': (m) => [String(m.target.size)],
    'target-volume-type': (m) => [m.target.type],
    'original-size': (m) => [String(m.original.size)],
    'original-volume-type': (m) => [m.original.type],
    'start-time': (m) => [m.startTime.toISOString()],
  });
  const paging = ec2Paging(params, { min: 5, max: 500, query: [region, ids, filters], ids: { given: ids.length > 0, name: 'volumeModificationSet' } });
  checkDryRun(params);
  const all = ids.length > 0 ? ids.flatMap((id) => mods.of(id)) : mods.all(region);
  const { page, next } = pageOf(all.filter(predicate), paging.offset, paging.size, paging.fingerprint);
  return items('volumeModificationSet', page, (m) => modificationXml(ctx, m)) + optText('nextToken', next);
}

const DEVICE_NAME = /^\/dev\/(sd[a-z][1-9]?|xvd[a-z]{1,2})$/;

/** AttachVolume: an available volume to a running or stopped instance in the same AZ, at a free device name. */
function attachVolume(ctx: Ec2ActionContext): string {
  const { params, region, world, store } = ctx;
  const volumeId = params.get('VolumeId');
  const instanceId = params.get('InstanceId');
  const device = params.get('Device');
  if (volumeId === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter VolumeId');
  if (instanceId === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter InstanceId');
  if (device === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter Device');
  store.list(region);
  const [volume] = resolveVolumes(ctx, [volumeId]) as [SimVolume];
  const instance = store.get(instanceId);
  if (!instance || instance.region !== region || instance.state === 'terminated') throw new SimError('InvalidInstanceID.NotFound', `The instance ID '${instanceId}' does not exist`);
  if (!DEVICE_NAME.test(device)) throw new SimError('InvalidParameterValue', `Value (${device}) for parameter device is invalid. ${device} is not a valid EBS device name.`);
  if (volume.attachment) throw new SimError('VolumeInUse', `vol ${volume.id} is already attached to an instance`);
  if (world.volumes.stateOf(volume) !== 'available') throw new SimError('IncorrectState', `The volume '${volume.id}' is not 'available'.`);
  if (instance.state !== 'running' && instance.state !== 'stopped') throw new SimError('IncorrectInstanceState', `The instance '${instance.id}' is not in a valid state for this operation.`);
  if (volume.availabilityZone !== instance.availabilityZone) {
    throw new SimError('InvalidVolume.ZoneMismatch', `The volume '${volume.id}' is not in the same availability zone as instance '${instance.id}'`);
  }
  if (world.volumes.devicesOf(instance).has(device)) throw new SimError('InvalidParameterValue', `Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`);
  checkDryRun(params);
  const attachTime = new Date();
  world.volumes.attach(volume, { instanceId: instance.id, device, deleteOnTermination: false, attachTime });
  void Promise.resolve(world.volumes.attachHook?.({ region, volumeId: volume.id, sizeGiB: volume.size, device })).catch((error: unknown) =>
    console.error('[ec2-simulator] volume attach hook failed:', error),
  );
  return [text('volumeId', volume.id), text('instanceId', instance.id), text('device', device), text('status', 'attaching'), text('attachTime', attachTime.toISOString())].join('');
}

/** DetachVolume: not the root volume of a running instance; Force is accepted. */
function detachVolume(ctx: Ec2ActionContext): string {
  const { params, region, world, store } = ctx;
  const volumeId = params.get('VolumeId');
  if (volumeId === undefined) throw new SimError('MissingParameter', 'The request must contain the parameter VolumeId');
  store.list(region);
  const [volume] = resolveVolumes(ctx, [volumeId]) as [SimVolume];
  const attachment = volume.attachment;
  if (!attachment) throw new SimError('IncorrectState', `Volume '${volume.id}' is in the 'available' state.`);
  const wantedInstance = params.get('InstanceId');
  if (wantedInstance !== undefined && wantedInstance !== attachment.instanceId) {
    throw new SimError('InvalidAttachment.NotFound', `The volume '${volume.id}' is not attached to instance '${wantedInstance}'.`);
  }
  const instance = store.get(attachment.instanceId);
  if (instance && instance.rootVolume.id === volume.id && instance.state !== 'stopped') {
    throw new SimError('OperationNotPermitted', `Cannot detach the root volume of instance '${instance.id}' unless it is stopped.`);
  }
  checkDryRun(params);
  world.volumes.detach(volume);
  return [
    text('volumeId', volume.id),
    text('instanceId', attachment.instanceId),
    text('device', attachment.device),
    text('status', 'detaching'),
    text('attachTime', attachment.attachTime.toISOString()),
  ].join('');
}
