import type { SimVolume } from './volumes';

export type SimModificationState = 'modifying' | 'optimizing' | 'completed' | 'failed';

/** One ModifyVolume: what the volume was, what it becomes, and where the change stands. */
export interface SimVolumeModification {
  readonly volumeId: string;
  readonly region: string;
  readonly startTime: Date;
  readonly original: { size: number; type: string; iops: number | undefined; throughput: number | undefined };
  readonly target: { size: number; type: string; iops: number | undefined; throughput: number | undefined };
  /** Set once the new size is usable (the test rig's disk, when one is hooked, has grown by then). */
  optimizingSince: number | undefined;
}

/** What a test plugs in to make a volume's growth real (e.g. a loop device on the rig): runs before `optimizing`. */
export type VolumeResizeHook = (change: { region: string; volumeId: string; size: number }) => Promise<void> | void;

/** How many changes EBS accepts per volume in a rolling 24 hours (since January 2026; it was one per 6 hours). */
export const MODIFICATIONS_PER_DAY = 4;
const DAY_MS = 24 * 60 * 60_000;

/**
 * Every volume's modifications. A change is `modifying` for `modifyingMs` (then the resize hook runs), then
 * `optimizing` for `optimizingMs` with its progress, then `completed` — the states DescribeVolumesModifications reports.
 */
export class VolumeModifications {
  private readonly byVolume = new Map<string, SimVolumeModification[]>();
  resizeHook: VolumeResizeHook | undefined;

  constructor(
    private readonly timings: () => { modifyingMs: number; optimizingMs: number },
    private readonly now: () => number = Date.now,
  ) {}

  of(volumeId: string): SimVolumeModification[] {
    return this.byVolume.get(volumeId) ?? [];
  }

  all(region: string): SimVolumeModification[] {
    return [...this.byVolume.values()].flat().filter((m) => m.region === region);
  }

  stateOf(m: SimVolumeModification): SimModificationState {
    if (m.optimizingSince === undefined) return 'modifying';
    return this.now() - m.optimizingSince >= this.timings().optimizingMs ? 'completed' : 'optimizing';
  }

  progressOf(m: SimVolumeModification): number {
    const state = this.stateOf(m);
    if (state === 'completed') return 100;
    if (state === 'modifying' || m.optimizingSince === undefined) return 0;
    return Math.min(99, Math.floor(((this.now() - m.optimizingSince) / Math.max(1, this.timings().optimizingMs)) * 100));
  }

  endTimeOf(m: SimVolumeModification): Date | undefined {
    return this.stateOf(m) === 'completed' && m.optimizingSince !== undefined ? new Date(m.optimizingSince + this.timings().optimizingMs) : undefined;
  }

  /** The change still running on the volume, if any (EC2 refuses another until it completes). */
  running(volumeId: string): SimVolumeModification | undefined {
    return this.of(volumeId).find((m) => this.stateOf(m) !== 'completed' && this.stateOf(m) !== 'failed');
  }

  /** Changes started within the last 24 hours. */
  recent(volumeId: string): SimVolumeModification[] {
    return this.of(volumeId).filter((m) => this.now() - m.startTime.getTime() < DAY_MS);
  }

  /** Applies the target to the volume at once (DescribeVolumes shows it) and follows the change. */
  start(volume: SimVolume, target: SimVolumeModification['target']): SimVolumeModification {
    const m: SimVolumeModification = {
      volumeId: volume.id,
      region: volume.region,
      startTime: new Date(this.now()),
      original: { size: volume.size, type: volume.type, iops: volume.iops, throughput: volume.throughput },
      target,
      optimizingSince: undefined,
    };
    const list = this.byVolume.get(volume.id) ?? [];
    list.push(m);
    this.byVolume.set(volume.id, list);
    volume.size = target.size;
    volume.type = target.type;
    volume.iops = target.iops;
    volume.throughput = target.throughput;
    const grew = target.size > m.original.size;
    const timer = setTimeout(() => {
      const hook = grew ? this.resizeHook : undefined;
      void Promise.resolve(hook?.({ region: volume.region, volumeId: volume.id, size: target.size }))
        .catch((error: unknown) => console.error('[ec2-simulator] volume resize hook failed:', error))
        .finally(() => {
          m.optimizingSince = this.now();
        });
    }, this.timings().modifyingMs);
    timer.unref();
    return m;
  }
}
