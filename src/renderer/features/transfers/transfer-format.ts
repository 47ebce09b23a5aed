import type { TransferJob, TransferState } from '../../../shared/models/transfers';
import { remoteDirLabel } from '../../components/format';

const UNITS = ['B', 'KB', 'MB', 'GB', 'TB'];

/** "20.5 MB": decimal units, like file managers and `ls -lh --si`; whole numbers for bytes. */
export function formatBytes(bytes: number): string {
  if (!Number.isFinite(bytes) || bytes < 1000) return `${Math.max(0, Math.round(bytes || 0))} B`;
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < UNITS.length - 1) {
    value /= 1000;
    unit += 1;
  }
  return `${value.toFixed(value < 100 ? 1 : 0)} ${UNITS[unit]}`;
}

/** "12.3 MB/s". */
export function formatRate(bytesPerSecond: number): string {
  return bytesPerSecond > 0 ? `${(bytesPerSecond / 1e6).toFixed(bytesPerSecond < 10e6 ? 1 : 0)} MB/s` : '—';
}

/** "4 s", "2 min 5 s", "1 h 3 min". */
export function formatEta(seconds: number | undefined): string {
  if (seconds === undefined || !Number.isFinite(seconds)) return '—';
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min ${s % 60} s`;
  return `${Math.floor(s / 3600)} h ${Math.floor((s % 3600) / 60)} min`;
}

export function baseName(path: string): string {
  const trimmed = path.replace(/[\\/]+$/, '');
  return trimmed.split(/[\\/]/).pop() || path;
}

/** "3 items → ~/data", or "model.bin → /home/ec2-user". */
export function describeJob(job: TransferJob): string {
  const what = job.sources.length === 1 ? baseName(job.sources[0] ?? '') : `${job.sources.length} items`;
  const where = job.direction === 'upload' ? remoteDirLabel(job.destination) : job.destination;
  return `${what} → ${where}`;
}

export const STATE_LABELS: Record<TransferState, string> = {
  queued: 'Queued',
  running: 'Running',
  waiting: 'Waiting',
  paused: 'Paused',
  completed: 'Completed',
  failed: 'Failed',
  cancelled: 'Cancelled',
};

export function isFinished(state: TransferState): boolean {
  return state === 'completed' || state === 'failed' || state === 'cancelled';
}

/** What counts for the sidebar badge: work that is still going on or about to. */
export function isActive(state: TransferState): boolean {
  return state === 'running' || state === 'queued' || state === 'waiting';
}

export function percentOf(job: TransferJob): number {
  if (job.state === 'completed') return 100;
  if (job.totalBytes <= 0) return job.totalFiles > 0 ? Math.floor((100 * job.doneFiles) / job.totalFiles) : 0;
  return Math.min(100, Math.floor((100 * job.doneBytes) / job.totalBytes));
}
