import { HangarError } from '../../../shared/errors/hangar-error';
import { idleWatcherSettingsSchema, type IdleWatcherSettings } from '../../../shared/models/idle-watcher';

/** The rule as given, or INVALID_ARGUMENT naming the first field that is out of range. */
export function checkIdleSettings(settings: IdleWatcherSettings): IdleWatcherSettings {
  const parsed = idleWatcherSettingsSchema.safeParse(settings);
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  const field = String(issue?.path[0] ?? 'settings');
  throw new HangarError({
    code: 'INVALID_ARGUMENT',
    message: `The idle rule's ${field} is not valid: ${issue?.message ?? 'out of range'}`,
    details: { field },
  });
}

/** A number as the script writes it: plain decimal, never exponent notation (awk and sh read it). */
export function scriptNumber(value: number): string {
  if (Number.isInteger(value)) return String(value);
  return String(Math.round(value * 100) / 100);
}

const SETTING_LINE = /^(idle_minutes|cpu_load|gpu_percent|jupyter_minutes)=([0-9]+(?:\.[0-9]+)?)$/gm;

/** The rule an installed script carries (its assignment lines); undefined when any of the four is missing. */
export function settingsFromScript(script: string): IdleWatcherSettings | undefined {
  const found = new Map<string, number>();
  for (const match of script.matchAll(SETTING_LINE)) {
    if (!found.has(match[1] ?? '')) found.set(match[1] ?? '', Number(match[2]));
  }
  const idleMinutes = found.get('idle_minutes');
  const cpuLoad = found.get('cpu_load');
  const gpuPercent = found.get('gpu_percent');
  const jupyterMinutes = found.get('jupyter_minutes');
  if (idleMinutes === undefined || cpuLoad === undefined || gpuPercent === undefined || jupyterMinutes === undefined) return undefined;
  return { idleMinutes, cpuLoad, gpuPercent, jupyterMinutes };
}
