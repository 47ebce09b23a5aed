import { HangarError } from '../../../shared/errors/hangar-error';
import type { RegionScope } from '../../../shared/models/launch';
import type { AddVolumeInput, StorageInstance, StorageView, VolumeInput, VolumeModificationInfo } from '../../../shared/models/storage';
import type { SshConnection } from '../ssh/ssh-connection';
import { matchDisks } from './block-devices';
import type { PlanStep } from './grow-plan';
import { probeOs, requireSudo, runStep } from './remote-steps';
import type { VolumeCalls } from './volume-calls';

export interface VolumeJobDeps {
  volumes: VolumeCalls;
  withConnection<T>(input: StorageInstance, run: (connection: SshConnection) => Promise<T>, signal?: AbortSignal): Promise<T>;
  view(input: StorageInstance, signal?: AbortSignal): Promise<StorageView>;
  progress(instanceId: string, volumeId: string, step: string, modification?: VolumeModificationInfo): void;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  pollMs: number;
  fstabPath: string;
}

/**
 * Formats an empty disk and mounts it for good: mkfs, the mount point, an fstab line by UUID with `nofail` (so a
 * missing volume never stops the boot), mount. Refuses (exit 3) a disk that already holds a filesystem.
 */
const FORMAT_SCRIPT = [
  'set -e',
  'dev="$1"; fs="$2"; mp="$3"; fstab="$4"',
  'if blkid -p "$dev" >/dev/null 2>&1 || [ "$(lsblk -no NAME "$dev" | wc -l)" -gt 1 ]; then echo "$dev already holds data (a filesystem or partitions); it was not formatted"; exit 3; fi',
  'if [ "$fs" = xfs ]; then mkfs.xfs -q "$dev"; else mkfs.ext4 -q -F "$dev"; fi',
  'mkdir -p "$mp"',
  'uuid=$(blkid -s UUID -o value "$dev")',
  'grep -q "^UUID=$uuid " "$fstab" 2>/dev/null || printf "UUID=%s %s %s defaults,nofail 0 2\\n" "$uuid" "$mp" "$fs" >> "$fstab"',
  'mount -t "$fs" "$dev" "$mp"',
  'echo "mounted $dev at $mp"',
].join('\n');

/** Unmounts a filesystem and takes its fstab line out, so the instance boots the same without the volume. */
const UNMOUNT_SCRIPT = [
  'set -e',
  'mp="$1"; uuid="$2"; fstab="$3"',
  'umount "$mp"',
  'if [ -n "$uuid" ] && [ -f "$fstab" ]; then grep -v "^UUID=$uuid " "$fstab" > "$fstab.hangar-tmp" || true; cat "$fstab.hangar-tmp" > "$fstab"; rm -f "$fstab.hangar-tmp"; fi',
].join('\n');

const DEVICE_LETTERS = 'fghijklmnop';

/** The first of /dev/sdf … /dev/sdp the instance does not use (as sdX or xvdX). */
function freeDevice(mappings: readonly { DeviceName?: string | undefined }[]): string {
  const used = new Set(mappings.map((b) => (b.DeviceName ?? '').replace(/^\/dev\/(xv|s)d/, '')));
  const letter = [...DEVICE_LETTERS].find((l) => !used.has(l));
  if (letter === undefined) throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'Every device name from /dev/sdf to /dev/sdp is taken on this instance.' });
  return `/dev/sd${letter}`;
}

export function createVolumeJobs(deps: VolumeJobDeps) {
  const { volumes } = deps;

  async function waitFor(scope: RegionScope, volumeId: string, done: (s: { state: string; attachment: string | undefined }) => boolean, what: string, signal?: AbortSignal): Promise<void> {
    for (let i = 0; i < 150; i += 1) {
      if (done(await volumes.volumeState(scope, volumeId, signal))) return;
      await deps.sleep(deps.pollMs, signal);
    }
    throw new HangarError({ code: 'AWS_INCORRECT_STATE', message: `${volumeId} did not become ${what} in time.`, hint: 'Look at it again in a minute; AWS may be slow.', retryable: true });
  }

  async function addVolume(input: AddVolumeInput, signal?: AbortSignal): Promise<StorageView> {
    if (input.format && input.snapshotId !== undefined) {
      throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'A volume made from a snapshot already holds its data; it is mounted, not formatted.', hint: 'Leave Format off.' });
    }
    const facts = await volumes.instanceStorage(input, input.instanceId, signal);
    const zone = facts.instance.Placement?.AvailabilityZone ?? '';
    const device = freeDevice(facts.instance.BlockDeviceMappings ?? []);
    deps.progress(input.instanceId, '', `Creating a ${input.sizeGiB} GiB ${input.type} volume in ${zone}`);
    const volumeId = await volumes.create(input, { availabilityZone: zone, sizeGiB: input.sizeGiB, type: input.type, snapshotId: input.snapshotId, name: input.name }, signal);
    await waitFor(input, volumeId, (s) => s.state === 'available', 'available', signal);
    deps.progress(input.instanceId, volumeId, `Attaching ${volumeId} as ${device}`);
    await volumes.attach(input, volumeId, input.instanceId, device, signal);
    await waitFor(input, volumeId, (s) => s.attachment === 'attached', 'attached', signal);
    const format = input.format;
    if (format) {
      await deps.withConnection(
        input,
        async (connection) => {
          deps.progress(input.instanceId, volumeId, 'Waiting for the instance to see the new disk');
          const volume = { id: volumeId, awsDevice: device, sizeGiB: input.sizeGiB };
          let os = await probeOs(connection, signal);
          for (let i = 0; i < 45 && !matchDisks([volume], os.disks).has(volumeId); i += 1) {
            await deps.sleep(deps.pollMs, signal);
            os = await probeOs(connection, signal);
          }
          const match = matchDisks([volume], os.disks).get(volumeId);
          if (!match) {
            throw new HangarError({ code: 'STORAGE_DISK_NOT_FOUND', message: `${volumeId} is attached, but Hangar could not tell which disk it is on the instance; it was not formatted.`, hint: 'Format it in a terminal: lsblk shows the disks.' });
          }
          const dev = `/dev/${match.disk.name}`;
          const step: PlanStep = { label: `Format ${dev} as ${format.fsType} and mount it at ${format.mountPoint}`, argv: ['sh', '-c', FORMAT_SCRIPT, 'sh', dev, format.fsType, format.mountPoint, deps.fstabPath] };
          requireSudo(os, [step], 'Formatting the volume');
          deps.progress(input.instanceId, volumeId, step.label);
          await runStep(connection, os, step, signal);
        },
        signal,
      );
    }
    deps.progress(input.instanceId, volumeId, 'Done');
    return deps.view(input, signal);
  }

  async function detachVolume(input: VolumeInput, signal?: AbortSignal): Promise<StorageView> {
    const current = await deps.view(input, signal);
    const volume = current.volumes.find((v) => v.id === input.volumeId);
    if (!volume) throw new HangarError({ code: 'AWS_NOT_FOUND', message: `${input.volumeId} is not attached to ${input.instanceId}.` });
    if (volume.isRoot) throw new HangarError({ code: 'AWS_OPERATION_NOT_PERMITTED', message: 'The root volume holds the operating system; Hangar does not detach it.', hint: 'To move its data, snapshot it and restore the snapshot as a new volume.' });
    const mounted = volume.filesystems.filter((f) => f.mountPoint !== undefined);
    if (mounted.length > 0) {
      await deps.withConnection(
        input,
        async (connection) => {
          const os = await probeOs(connection, signal);
          const uuids = new Map(os.disks.flatMap((d) => [d, ...d.children]).map((n) => [`/dev/${n.name}`, n.uuid ?? '']));
          const steps: PlanStep[] = mounted.map((f) => ({ label: `Unmount ${f.mountPoint ?? ''}`, argv: ['sh', '-c', UNMOUNT_SCRIPT, 'sh', f.mountPoint ?? '', uuids.get(f.device) ?? '', deps.fstabPath] }));
          requireSudo(os, steps, 'Unmounting before the detach');
          for (const step of steps) {
            deps.progress(input.instanceId, volume.id, step.label);
            try {
              await runStep(connection, os, step, signal);
            } catch (error) {
              if (error instanceof HangarError && /busy/i.test(error.message)) {
                throw new HangarError({ code: 'STORAGE_COMMAND_FAILED', message: `${step.label.replace('Unmount ', '')} is in use, so it was not unmounted and the volume stays attached.`, hint: 'Close what uses it (a terminal inside that folder, a running job), then detach again.' });
              }
              throw error;
            }
          }
        },
        signal,
      );
    }
    deps.progress(input.instanceId, volume.id, `Detaching ${volume.id}`);
    await volumes.detach(input, volume.id, input.instanceId, signal);
    await waitFor(input, volume.id, (s) => s.state === 'available', 'detached', signal);
    deps.progress(input.instanceId, volume.id, 'Done');
    return deps.view(input, signal);
  }

  /** An existing, available volume of the region attached at the next free device name (same zone only). */
  async function attachVolume(input: VolumeInput, signal?: AbortSignal): Promise<StorageView> {
    const facts = await volumes.instanceStorage(input, input.instanceId, signal);
    const device = freeDevice(facts.instance.BlockDeviceMappings ?? []);
    deps.progress(input.instanceId, input.volumeId, `Attaching ${input.volumeId} as ${device}`);
    await volumes.attach(input, input.volumeId, input.instanceId, device, signal);
    await waitFor(input, input.volumeId, (s) => s.attachment === 'attached', 'attached', signal);
    deps.progress(input.instanceId, input.volumeId, 'Done');
    return deps.view(input, signal);
  }

  async function deleteVolume(input: VolumeInput, signal?: AbortSignal): Promise<void> {
    const { state } = await volumes.volumeState(input, input.volumeId, signal);
    if (state === 'in-use') {
      throw new HangarError({ code: 'AWS_RESOURCE_IN_USE', message: `${input.volumeId} is attached to an instance; a volume is deleted only once detached.`, hint: 'Detach it first.' });
    }
    await volumes.remove(input, input.volumeId, signal);
  }

  return { addVolume, attachVolume, detachVolume, deleteVolume };
}
