import { HangarError } from '../../../shared/errors/hangar-error';
import type { Events } from '../../../shared/ipc/contract';
import type { LaunchTypeOption, RegionScope } from '../../../shared/models/launch';
import type {
  AddVolumeInput,
  ChangeTypeInput,
  TypeChangeChoices,
  TypeChangeResult,
  DeleteOnTerminationInput,
  GrowFilesystemInput,
  GrowResult,
  GrowVolumeInput,
  StorageInstance,
  StorageView,
  StorageVolume,
  VolumeInput,
  VolumeModificationInfo,
} from '../../../shared/models/storage';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import type { EventHub } from '../app/event-hub';
import { sleep } from '../common/sleep';
import { createEc2Call } from '../launch/ec2-call';
import type { ConnectionManager } from '../ssh/create-connection-manager';
import type { SshConnection } from '../ssh/ssh-connection';
import { filesystemsOf, matchDisks, type OsSnapshot } from './block-devices';
import { growPlan, growpartInstall, growTarget } from './grow-plan';
import { probeOs, requireSudo, runStep } from './remote-steps';
import { createVolumeCalls } from './volume-calls';
import { createTypeChange } from './type-change';
import { createVolumeJobs } from './volume-jobs';

/** An instance's volumes (issue 14): see them with the OS's view, grow them, add, detach, delete. */
export interface StorageService {
  view(input: StorageInstance, signal?: AbortSignal): Promise<StorageView>;
  /** ModifyVolume, followed to optimizing, then the partition and filesystem grown over SSH (when it grew and runs). */
  grow(input: GrowVolumeInput, signal?: AbortSignal): Promise<GrowResult>;
  /** The partition and filesystem only (the volume grew already). */
  growFilesystem(input: GrowFilesystemInput, signal?: AbortSignal): Promise<GrowResult>;
  addVolume(input: AddVolumeInput, signal?: AbortSignal): Promise<StorageView>;
  /** An available volume of the instance's zone attached at the next free device name. */
  attachVolume(input: VolumeInput, signal?: AbortSignal): Promise<StorageView>;
  detachVolume(input: VolumeInput, signal?: AbortSignal): Promise<StorageView>;
  deleteVolume(input: VolumeInput, signal?: AbortSignal): Promise<void>;
  setDeleteOnTermination(input: DeleteOnTerminationInput, signal?: AbortSignal): Promise<StorageView>;
  /** Change type…: the types offered in the instance's zone for its architecture, each said when it cannot run it. */
  typeChoices(input: StorageInstance, signal?: AbortSignal): Promise<TypeChangeChoices>;
  /** ModifyInstanceAttribute while stopped; a running one is stopped, changed and started (when asked). */
  changeType(input: ChangeTypeInput, signal?: AbortSignal): Promise<TypeChangeResult>;
}

export interface StorageDeps {
  clientsFor(accountId: string): AwsClientFactory;
  connections: Pick<ConnectionManager, 'acquire'>;
  events: Pick<EventHub<Pick<Events, 'storage.progress'>>, 'publish'>;
  /** How often a change is followed (ModifyVolume's state, the OS seeing the new size). */
  pollMs?: number;
  /** How long to wait for the OS to see a grown disk. */
  sizeSeenTimeoutMs?: number;
  /** /etc/fstab; tests on a shared machine point it elsewhere. */
  fstabPath?: string;
  /** The Launch wizard's type list (prices, GPUs), reused by Change type…. */
  instanceTypes(scope: RegionScope, architecture: string, signal?: AbortSignal): Promise<LaunchTypeOption[]>;
}

const GIB = 1024 ** 3;

/** Fills the OS side of each volume from a probe. */
export function withOs(volumes: readonly StorageVolume[], os: OsSnapshot): StorageVolume[] {
  const matches = matchDisks(volumes, os.disks);
  return volumes.map((v) => {
    const m = matches.get(v.id);
    if (!m) return v;
    return { ...v, osDisk: { path: `/dev/${m.disk.name}`, matchedBy: m.matchedBy, sizeBytes: m.disk.size }, filesystems: filesystemsOf(m.disk, os.df) };
  });
}

export function createStorageService(deps: StorageDeps): StorageService {
  const call = createEc2Call(deps.clientsFor);
  const volumes = createVolumeCalls(call);
  const pollMs = deps.pollMs ?? 2_000;
  const progress = (instanceId: string, volumeId: string, step: string, modification?: VolumeModificationInfo): void =>
    deps.events.publish('storage.progress', { instanceId, volumeId, step, modification });

  async function withConnection<T>(input: StorageInstance, run: (connection: SshConnection) => Promise<T>, signal?: AbortSignal): Promise<T> {
    const { connection } = await deps.connections.acquire({ accountId: input.accountId, region: input.region, instanceId: input.instanceId }, signal);
    try {
      return await run(connection);
    } finally {
      connection.release();
    }
  }

  async function view(input: StorageInstance, signal?: AbortSignal): Promise<StorageView> {
    const facts = await volumes.instanceStorage(input, input.instanceId, signal);
    const state = facts.instance.State?.Name ?? 'unknown';
    const base = { instanceId: input.instanceId, availabilityZone: facts.instance.Placement?.AvailabilityZone ?? '', instanceState: state };
    if (state !== 'running') {
      return { ...base, volumes: facts.volumes, os: undefined, osError: new HangarError({ code: 'INSTANCE_STOPPED', message: 'The instance is not running, so Hangar cannot see its filesystems.', hint: 'Start it to see how full each filesystem is.' }).toJSON() };
    }
    try {
      const os = await withConnection(input, (c) => probeOs(c, signal), signal);
      const { disks: _disks, df: _df, ...summary } = os;
      return { ...base, volumes: withOs(facts.volumes, os), os: summary, osError: undefined };
    } catch (error) {
      const failure = error instanceof HangarError ? error : new HangarError({ code: 'SSH_FAILED', message: (error as Error).message });
      return { ...base, volumes: facts.volumes, os: undefined, osError: failure.toJSON() };
    }
  }

  /** Follows a change until its new size is usable (optimizing) or done. */
  async function followModification(scope: RegionScope, instanceId: string, volumeId: string, signal?: AbortSignal): Promise<VolumeModificationInfo | undefined> {
    for (;;) {
      const m = await volumes.latestModification(scope, volumeId, signal);
      progress(instanceId, volumeId, m === undefined ? 'Waiting for AWS' : `AWS: ${m.state}${m.state === 'optimizing' ? ` ${m.progress}%` : ''}`, m);
      if (m === undefined || m.state === 'optimizing' || m.state === 'completed') return m;
      if (m.state === 'failed') throw new HangarError({ code: 'AWS_REQUEST_FAILED', message: `AWS could not change ${volumeId} (the modification failed).`, hint: 'Try again; if it fails twice, ask AWS Support.' });
      await sleep(pollMs, signal);
    }
  }

  async function growFilesystem(input: GrowFilesystemInput, signal?: AbortSignal): Promise<GrowResult> {
    const facts = await volumes.instanceStorage(input, input.instanceId, signal);
    const volume = facts.volumes.find((v) => v.id === input.volumeId);
    if (!volume) throw new HangarError({ code: 'AWS_NOT_FOUND', message: `${input.volumeId} is not attached to ${input.instanceId}.` });
    return withConnection(
      input,
      async (connection) => {
        progress(input.instanceId, volume.id, 'Finding the disk on the instance');
        const deadline = Date.now() + (deps.sizeSeenTimeoutMs ?? 90_000);
        let os = await probeOs(connection, signal);
        let disk = matchDisks([volume], os.disks).get(volume.id)?.disk;
        if (!disk) {
          throw new HangarError({
            code: 'STORAGE_DISK_NOT_FOUND',
            message: `Hangar could not tell which disk on the instance is ${volume.id} (${volume.awsDevice}, ${volume.sizeGiB} GiB).`,
            hint: 'Grow the partition and filesystem in a terminal: lsblk shows the disks; growpart, then resize2fs or xfs_growfs.',
          });
        }
        // The kernel sees the new size a little after AWS reports optimizing.
        while (disk.size < volume.sizeGiB * GIB) {
          if (Date.now() > deadline) {
            throw new HangarError({
              code: 'STORAGE_SIZE_NOT_SEEN',
              message: `The instance still sees ${(disk.size / GIB).toFixed(1)} GiB on /dev/${disk.name}, not ${volume.sizeGiB} GiB.`,
              hint: 'Wait a minute and choose Grow filesystem again; on old kernels a reboot makes it visible.',
              retryable: true,
            });
          }
          progress(input.instanceId, volume.id, 'Waiting for the instance to see the new size');
          await sleep(pollMs, signal);
          os = await probeOs(connection, signal);
          disk = matchDisks([volume], os.disks).get(volume.id)?.disk ?? disk;
        }
        const filesystems = filesystemsOf(disk, os.df);
        const target = growTarget(filesystems);
        if (!target) {
          throw new HangarError({ code: 'STORAGE_UNKNOWN_FILESYSTEM', message: `/dev/${disk.name} holds no filesystem Hangar can see; nothing was changed.`, hint: 'Add a filesystem with Format and mount, or use the disk as it is.' });
        }
        const steps = growPlan(`/dev/${disk.name}`, target);
        requireSudo(os, steps, 'Growing the filesystem');
        const commands: string[] = [];
        if (steps.some((s) => s.argv[0] === 'growpart') && !os.hasGrowpart) {
          const install = growpartInstall(os.distro);
          if (!input.installGrowpart || !install) {
            throw new HangarError({
              code: 'STORAGE_GROWPART_MISSING',
              message: 'growpart is not installed on the instance; it grows the partition before the filesystem.',
              hint: install ? `Install it with: ${install.text}` : 'Install the package that has growpart (cloud-guest-utils or cloud-utils-growpart).',
              details: install ? { install: install.text } : {},
            });
          }
          progress(input.instanceId, volume.id, 'Installing growpart');
          await runStep(connection, os, { label: 'Install growpart', argv: install.argv }, signal);
          commands.push(install.text);
        }
        for (const step of steps) {
          progress(input.instanceId, volume.id, step.label);
          await runStep(connection, os, step, signal);
          commands.push(step.argv.join(' '));
        }
        const after = await probeOs(connection, signal);
        const grown = withOs([volume], after)[0];
        const afterFs = grown?.filesystems.find((f) => f.device === target.device);
        progress(input.instanceId, volume.id, 'Done');
        return { volume: grown, commands, beforeBytes: target.sizeBytes, afterBytes: afterFs?.sizeBytes };
      },
      signal,
    );
  }

  const types = createTypeChange({ call, instanceTypes: deps.instanceTypes, progress: (instanceId, step) => progress(instanceId, '', step), sleep, pollMs });
  const jobs = createVolumeJobs({ volumes, withConnection, view, progress, sleep, pollMs, fstabPath: deps.fstabPath ?? '/etc/fstab' });

  return {
    view,
    async grow(input, signal) {
      const facts = await volumes.instanceStorage(input, input.instanceId, signal);
      const volume = facts.volumes.find((v) => v.id === input.volumeId);
      if (!volume) throw new HangarError({ code: 'AWS_NOT_FOUND', message: `${input.volumeId} is not attached to ${input.instanceId}.` });
      if (input.sizeGiB < volume.sizeGiB) {
        throw new HangarError({ code: 'INVALID_ARGUMENT', message: `A volume can only grow: ${volume.id} is ${volume.sizeGiB} GiB.`, hint: `Enter more than ${volume.sizeGiB} GiB.` });
      }
      const changes = input.sizeGiB !== volume.sizeGiB || (input.type !== undefined && input.type !== volume.type) || (input.iops !== undefined && input.iops !== volume.iops) || (input.throughput !== undefined && input.throughput !== volume.throughput);
      if (changes) {
        progress(input.instanceId, volume.id, 'Asking AWS to change the volume');
        const accepted = await volumes.modify(input, volume.id, { sizeGiB: input.sizeGiB, type: input.type, iops: input.iops, throughput: input.throughput }, signal);
        progress(input.instanceId, volume.id, `AWS: ${accepted.state}`, accepted);
        if (input.sizeGiB > volume.sizeGiB) await followModification(input, input.instanceId, volume.id, signal);
      }
      const running = facts.instance.State?.Name === 'running';
      if (input.sizeGiB > volume.sizeGiB && running && input.growFilesystem !== false) {
        return growFilesystem({ accountId: input.accountId, region: input.region, instanceId: input.instanceId, volumeId: volume.id, installGrowpart: input.installGrowpart }, signal);
      }
      progress(input.instanceId, volume.id, 'Done');
      return { volume: (await volumes.instanceStorage(input, input.instanceId, signal)).volumes.find((v) => v.id === volume.id), commands: [], beforeBytes: undefined, afterBytes: undefined };
    },
    growFilesystem,
    typeChoices: types.choices,
    changeType: types.change,
    addVolume: jobs.addVolume,
    attachVolume: jobs.attachVolume,
    detachVolume: jobs.detachVolume,
    deleteVolume: jobs.deleteVolume,
    async setDeleteOnTermination(input, signal) {
      const facts = await volumes.instanceStorage(input, input.instanceId, signal);
      const volume = facts.volumes.find((v) => v.id === input.volumeId);
      if (!volume) throw new HangarError({ code: 'AWS_NOT_FOUND', message: `${input.volumeId} is not attached to ${input.instanceId}.` });
      await volumes.setDeleteOnTermination(input, input.instanceId, volume.awsDevice, input.deleteOnTermination, signal);
      return view(input, signal);
    },
  };
}
