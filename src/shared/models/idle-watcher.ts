import { z } from 'zod';

/**
 * The on-instance idle watcher's rule (issue 13): the machine shuts itself down (stop, not terminate) after
 * `idleMinutes` with no GPU use, no recently active Jupyter kernel, no login session, no attached tmux /
 * screen client and a 1-minute load average at or below `cpuLoad`.
 */
export interface IdleWatcherSettings {
  /** Minutes of idleness before `shutdown -h now`; at least 5 so a reboot or a slow login is not cut short. */
  readonly idleMinutes: number;
  /** 1-minute load average above this counts as busy (an absolute load, not a percentage). */
  readonly cpuLoad: number;
  /** Any GPU's utilisation above this percentage counts as busy. */
  readonly gpuPercent: number;
  /** A Jupyter kernel active within this many minutes (or executing now) counts as busy. */
  readonly jupyterMinutes: number;
}

export const DEFAULT_IDLE_WATCHER_SETTINGS: IdleWatcherSettings = {
  idleMinutes: 60,
  cpuLoad: 0.5,
  gpuPercent: 10,
  jupyterMinutes: 10,
};

export const idleWatcherSettingsSchema = z.object({
  idleMinutes: z.number().int('Whole minutes.').min(5, 'At least 5 minutes.').max(7 * 24 * 60, 'At most a week.'),
  cpuLoad: z.number().min(0, 'A load average is 0 or more.').max(1024, 'At most 1024.'),
  gpuPercent: z.number().min(0, 'Between 0 and 100 %.').max(100, 'Between 0 and 100 %.'),
  jupyterMinutes: z.number().int('Whole minutes.').min(1, 'At least 1 minute.').max(24 * 60, 'At most a day.'),
});

/** What the last run on the instance decided: busy (and why), idle (since when), or that it is stopping it. */
export type IdleDecision = 'busy' | 'idle' | 'stopping' | 'stop-failed';

export interface IdleWatcherStatus {
  /** Script and both units are in place. */
  readonly installed: boolean;
  /** Some but not all of its files are there (an interrupted install or a hand-made change). */
  readonly partial: boolean;
  /** The rule the installed script carries. */
  readonly settings?: IdleWatcherSettings;
  /** `systemctl is-active` of the timer ('active', 'inactive', …), when systemd answered. */
  readonly timer?: string;
  readonly lastDecision?: IdleDecision;
  /** Busy: what kept it busy ("GPU at 85 %, 1 login session"). Idle or stopping: the idle summary. */
  readonly lastReason?: string;
  /** ISO time of the last run. */
  readonly lastCheckedAt?: string;
  /** ISO time it was last found busy (the idle clock starts here). */
  readonly lastBusyAt?: string;
}
