import type { InstanceStateName } from '../../../shared/models/ec2';
import type { InstanceTypeInfo } from '../../../shared/models/instance-actions';

export const STATE_LABELS: Record<InstanceStateName, string> = {
  pending: 'Pending',
  running: 'Running',
  stopping: 'Stopping',
  stopped: 'Stopped',
  'shutting-down': 'Shutting down',
  terminated: 'Terminated',
};

/** States AWS moves out of by itself: the dashboard polls fast while any row is in one. */
export function isTransitional(state: InstanceStateName): boolean {
  return state === 'pending' || state === 'stopping' || state === 'shutting-down';
}

export function formatMemory(mib: number): string {
  const gib = mib / 1024;
  if (gib < 1) return `${mib} MiB`;
  return `${Number.isInteger(gib) ? gib : gib.toFixed(gib < 10 ? 1 : 0)} GiB`;
}

export function formatShape(info: InstanceTypeInfo | undefined): string | undefined {
  if (!info || (info.vcpus === undefined && info.memoryMiB === undefined)) return undefined;
  const parts: string[] = [];
  if (info.vcpus !== undefined) parts.push(`${info.vcpus} vCPU`);
  if (info.memoryMiB !== undefined) parts.push(formatMemory(info.memoryMiB));
  return parts.join(' · ');
}

/** "$0.0104/h": four decimals under a dollar (the cheap types differ in the third), two above. */
export function formatGpus(info: InstanceTypeInfo | undefined): string | undefined {
  return info?.gpus ? `${info.gpus} GPU${info.gpus === 1 ? '' : 's'}` : undefined;
}

export function formatPrice(perHour: number): string {
  return `$${perHour.toFixed(perHour < 1 ? 4 : 2)}/h`;
}

const dateFormat = new Intl.DateTimeFormat(undefined, { year: 'numeric', month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

export function formatLaunch(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : dateFormat.format(date);
}

/** "3 d 4 h", "2 h 5 min", "12 min", "<1 min". */
export function formatDuration(ms: number): string {
  if (ms < 60_000) return '<1 min';
  const minutes = Math.floor(ms / 60_000);
  const days = Math.floor(minutes / 1440);
  const hours = Math.floor((minutes % 1440) / 60);
  const mins = minutes % 60;
  if (days > 0) return `${days} d ${hours} h`;
  if (hours > 0) return `${hours} h ${mins} min`;
  return `${mins} min`;
}

export function formatTime(epochMs: number): string {
  return new Date(epochMs).toLocaleTimeString(undefined, { hour: '2-digit', minute: '2-digit', second: '2-digit' });
}
