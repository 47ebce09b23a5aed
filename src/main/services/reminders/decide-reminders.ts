import type { Reminder } from '../../../shared/models/reminders';
import type { ReminderSettings } from '../../../shared/models/settings';

const HOUR = 3_600_000;

/** A running instance with what the reminders need to know about it. */
export interface RunningInstance {
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string;
  /** The Name tag, or the id. */
  readonly name: string;
  readonly type: string;
  /** Epoch ms: EC2's LaunchTime, which is also the last start of a stopped-and-started instance. */
  readonly launchedAt: number;
  readonly gpus: number;
  /** USD per hour, from the same price the instance table shows; undefined when unknown. */
  readonly pricePerHour?: number;
}

export interface ReminderInput {
  readonly now: number;
  readonly settings: ReminderSettings;
  /** The account's running instances (every region). */
  readonly instances: readonly RunningInstance[];
  /**
   * Only for the first check after Hangar starts: when it was last seen open before that. Instances running
   * since before then kept running while Hangar was closed, and are told as such whatever the hours set.
   */
  readonly lastSeenAt?: number;
}

/** A reminder and whether it must be told even if it was told before (the start-up one). */
export interface Decided {
  readonly reminder: Omit<Reminder, 'raisedAt'>;
  readonly startup: boolean;
}

export function formatHours(ms: number): string {
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function formatDollars(usd: number): string {
  return usd < 1000 ? `$${usd.toFixed(2)}` : `$${Math.round(usd).toLocaleString('en-US')}`;
}

/** "notebook-gpu has run 19 h, about $10.07" (without the cost when the price is unknown). */
function ranFor(instance: RunningInstance, now: number): string {
  const up = Math.max(0, now - instance.launchedAt);
  const cost = instance.pricePerHour === undefined ? '' : `, about ${formatDollars((up / HOUR) * instance.pricePerHour)}`;
  return `${instance.name} has run ${formatHours(up)}${cost}`;
}

function where(instance: RunningInstance): string {
  const rate = instance.pricePerHour === undefined ? '' : ` at about ${formatDollars(instance.pricePerHour)}/h`;
  return `${instance.type} in ${instance.region}${rate}`;
}

const instanceKey = (i: RunningInstance): string => `instance:${i.accountId}:${i.instanceId}:${i.launchedAt}`;

/**
 * The reminders due now, as a pure function of the running instances, their prices, the settings and the
 * clock — so the rule is tested without AWS or timers. The caller remembers which keys it has told.
 *
 * - A GPU instance (one or more GPUs) running `gpuHours.hours` or longer: one reminder per launch.
 * - The running instances' total hourly price above `burnRate.dollarsPerHour` (instances of unknown price
 *   count as nothing): one reminder per account while it stays above.
 * - At start-up, instances those rules cover (GPU ones; every priced one when the burn rate is over) that have
 *   been running since before Hangar was last seen open: told again, as left running while Hangar was closed.
 */
export function decideReminders(input: ReminderInput): Decided[] {
  const { now, settings, instances, lastSeenAt } = input;
  const out: Decided[] = [];
  const byAccount = new Map<string, RunningInstance[]>();
  for (const i of instances) byAccount.set(i.accountId, [...(byAccount.get(i.accountId) ?? []), i]);

  const overBudget = new Set<string>();
  if (settings.burnRate.enabled) {
    for (const [accountId, list] of byAccount) {
      const priced = list.filter((i) => i.pricePerHour !== undefined).sort((a, b) => (b.pricePerHour ?? 0) - (a.pricePerHour ?? 0));
      const total = priced.reduce((sum, i) => sum + (i.pricePerHour ?? 0), 0);
      if (total <= settings.burnRate.dollarsPerHour) continue;
      overBudget.add(accountId);
      const top = priced[0];
      const unknown = list.length - priced.length;
      out.push({
        startup: false,
        reminder: {
          key: `burn-rate:${accountId}`,
          kind: 'burn-rate',
          accountId,
          ...(top === undefined ? {} : { instance: { region: top.region, instanceId: top.instanceId, name: top.name } }),
          title: `Running instances cost about ${formatDollars(total)}/h`,
          body:
            `Above your ${formatDollars(settings.burnRate.dollarsPerHour)}/h reminder: ${priced.length} running` +
            (top === undefined ? '' : `; the most is ${top.name} (${where(top)})`) +
            (unknown > 0 ? `; ${unknown} more of unknown price` : '') +
            '.',
        },
      });
    }
  }

  for (const i of instances) {
    const up = now - i.launchedAt;
    const isGpu = settings.gpuHours.enabled && i.gpus > 0;
    const covered = isGpu || (overBudget.has(i.accountId) && i.pricePerHour !== undefined);
    const instance = { region: i.region, instanceId: i.instanceId, name: i.name };
    if (lastSeenAt !== undefined && i.launchedAt < lastSeenAt && covered) {
      out.push({
        startup: true,
        reminder: {
          key: instanceKey(i),
          kind: 'left-running',
          accountId: i.accountId,
          instance,
          title: ranFor(i, now),
          body: `It kept running while Hangar was closed (${where(i)}). Stop it if you are done: a stopped instance costs only its volumes.`,
        },
      });
    } else if (isGpu && up >= settings.gpuHours.hours * HOUR) {
      out.push({
        startup: false,
        reminder: {
          key: instanceKey(i),
          kind: 'gpu-hours',
          accountId: i.accountId,
          instance,
          title: ranFor(i, now),
          body: `A GPU instance running longer than your ${settings.gpuHours.hours} h reminder (${where(i)}). Stop it if you are done: a stopped instance costs only its volumes.`,
        },
      });
    }
  }
  return out;
}

/** The next moment a running GPU instance crosses the hours set (so a check can be due then), if any. */
export function nextCrossing(input: Omit<ReminderInput, 'lastSeenAt'>): number | undefined {
  if (!input.settings.gpuHours.enabled) return undefined;
  const due = input.instances
    .filter((i) => i.gpus > 0)
    .map((i) => i.launchedAt + input.settings.gpuHours.hours * HOUR)
    .filter((t) => t > input.now);
  return due.length === 0 ? undefined : Math.min(...due);
}
