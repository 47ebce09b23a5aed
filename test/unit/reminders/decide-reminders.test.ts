import { describe, expect, it } from 'vitest';
import { decideReminders, formatHours, nextCrossing, type RunningInstance } from '../../../src/main/services/reminders/decide-reminders';
import type { ReminderSettings } from '../../../src/shared/models/settings';

const HOUR = 3_600_000;
const NOW = Date.parse('2025-06-20T12:00:00Z');

const ON: ReminderSettings = { gpuHours: { enabled: true, hours: 12 }, burnRate: { enabled: true, dollarsPerHour: 2 } };
const OFF: ReminderSettings = { gpuHours: { enabled: false, hours: 12 }, burnRate: { enabled: false, dollarsPerHour: 2 } };

function instance(name: string, hoursUp: number, extra: Partial<RunningInstance> = {}): RunningInstance {
  return {
    accountId: 'acct',
    region: 'eu-west-1',
    instanceId: `i-0${name.replace(/[^a-f0-9]/g, '').padEnd(16, '0').slice(0, 16)}`,
    name,
    type: 'g4dn.xlarge',
    launchedAt: NOW - hoursUp * HOUR,
    gpus: 1,
    pricePerHour: 0.53,
    ...extra,
  };
}

describe('decideReminders', () => {
  it('reminds of a GPU instance once it has run the hours set, with what it has cost at its hourly price', () => {
    const notebook = instance('notebook-gpu', 19);
    const [decided, ...rest] = decideReminders({ now: NOW, settings: ON, instances: [notebook, instance('fresh-gpu', 11.9)] });
    expect(rest).toEqual([]);
    expect(decided?.startup).toBe(false);
    expect(decided?.reminder).toEqual({
      key: `instance:acct:${notebook.instanceId}:${notebook.launchedAt}`,
      kind: 'gpu-hours',
      accountId: 'acct',
      instance: { region: 'eu-west-1', instanceId: notebook.instanceId, name: 'notebook-gpu' },
      title: 'notebook-gpu has run 19 h, about $10.07',
      body: 'A GPU instance running longer than your 12 h reminder (g4dn.xlarge in eu-west-1 at about $0.53/h). Stop it if you are done: a stopped instance costs only its volumes.',
    });
  });

  it('leaves CPU-only instances, reminders that are off, and unknown prices out of the GPU rule’s cost', () => {
    const cpu = instance('web', 100, { gpus: 0, type: 't3.micro', pricePerHour: 0.0104 });
    expect(decideReminders({ now: NOW, settings: { ...ON, burnRate: { enabled: false, dollarsPerHour: 2 } }, instances: [cpu] })).toEqual([]);
    expect(decideReminders({ now: NOW, settings: OFF, instances: [instance('gpu', 100)] })).toEqual([]);
    const unpriced = instance('odd-gpu', 13, { pricePerHour: undefined });
    expect(decideReminders({ now: NOW, settings: ON, instances: [unpriced] })[0]?.reminder.title).toBe('odd-gpu has run 13 h');
  });

  it('reminds when the running instances together cost more per hour than set, naming the most expensive', () => {
    const big = instance('train', 1, { type: 'p3.2xlarge', pricePerHour: 3.06 });
    const small = instance('web', 1, { gpus: 0, type: 't3.micro', pricePerHour: 0.0104 });
    const unknown = instance('mystery', 1, { gpus: 0, type: 'x9.huge', pricePerHour: undefined });
    const decided = decideReminders({ now: NOW, settings: ON, instances: [small, big, unknown] });
    expect(decided.map((d) => d.reminder.kind)).toEqual(['burn-rate']);
    expect(decided[0]?.reminder).toMatchObject({
      key: 'burn-rate:acct',
      title: 'Running instances cost about $3.07/h',
      body: 'Above your $2.00/h reminder: 2 running; the most is train (p3.2xlarge in eu-west-1 at about $3.06/h); 1 more of unknown price.',
      instance: { name: 'train' },
    });
    // Exactly at the limit is not above it.
    const even = [instance('x', 1, { gpus: 0, pricePerHour: 1.5 }), instance('y', 1, { gpus: 0, pricePerHour: 0.5 })];
    expect(decideReminders({ now: NOW, settings: ON, instances: even })).toEqual([]);
  });

  it('keeps accounts apart for the burn rate', () => {
    const a = instance('a', 1, { accountId: 'one', pricePerHour: 1.5 });
    const b = instance('b', 1, { accountId: 'two', pricePerHour: 1.5 });
    expect(decideReminders({ now: NOW, settings: ON, instances: [a, b] }).filter((d) => d.reminder.kind === 'burn-rate')).toEqual([]);
  });

  it('at start-up, tells of covered instances left running while Hangar was closed, whatever the hours set', () => {
    const lastSeenAt = NOW - 10 * HOUR;
    const left = instance('notebook-gpu', 19);
    const started = instance('later-gpu', 2);
    const decided = decideReminders({ now: NOW, settings: { ...ON, gpuHours: { enabled: true, hours: 48 } }, instances: [left, started], lastSeenAt });
    expect(decided).toHaveLength(1);
    expect(decided[0]).toMatchObject({
      startup: true,
      reminder: { kind: 'left-running', title: 'notebook-gpu has run 19 h, about $10.07', key: `instance:acct:${left.instanceId}:${left.launchedAt}` },
    });
    expect(decided[0]?.reminder.body).toMatch(/^It kept running while Hangar was closed \(g4dn\.xlarge in eu-west-1/);
    // Nothing is covered when the reminders are off.
    expect(decideReminders({ now: NOW, settings: OFF, instances: [left], lastSeenAt })).toEqual([]);
    // A CPU instance is covered only while the burn rate is over the limit.
    const cpu = instance('web', 30, { gpus: 0, pricePerHour: 0.5 });
    expect(decideReminders({ now: NOW, settings: ON, instances: [cpu], lastSeenAt })).toEqual([]);
    const over = decideReminders({ now: NOW, settings: ON, instances: [cpu, instance('cpu-big', 30, { gpus: 0, pricePerHour: 2 })], lastSeenAt });
    expect(over.map((d) => [d.reminder.kind, d.reminder.instance?.name])).toEqual([
      ['burn-rate', 'cpu-big'],
      ['left-running', 'web'],
      ['left-running', 'cpu-big'],
    ]);
  });

  it('gives a new key to a new launch of the same instance (stopped and started again)', () => {
    const first = decideReminders({ now: NOW, settings: ON, instances: [instance('gpu', 13)] })[0]?.reminder.key;
    const again = decideReminders({ now: NOW, settings: ON, instances: [instance('gpu', 14)] })[0]?.reminder.key;
    expect(first).not.toBe(again);
  });
});

describe('nextCrossing', () => {
  it('is when the next running GPU instance reaches the hours set', () => {
    const soon = instance('soon', 11.5);
    expect(nextCrossing({ now: NOW, settings: ON, instances: [instance('past', 13), soon, instance('cpu', 1, { gpus: 0 })] })).toBe(soon.launchedAt + 12 * HOUR);
    expect(nextCrossing({ now: NOW, settings: OFF, instances: [soon] })).toBeUndefined();
    expect(nextCrossing({ now: NOW, settings: ON, instances: [] })).toBeUndefined();
  });
});

describe('formatHours', () => {
  it('says minutes, hours, then days and hours', () => {
    expect(formatHours(45 * 60_000)).toBe('45 min');
    expect(formatHours(19 * HOUR + 59 * 60_000)).toBe('19 h');
    expect(formatHours(50 * HOUR)).toBe('2 d 2 h');
  });
});
