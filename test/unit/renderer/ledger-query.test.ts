import { describe, expect, it } from 'vitest';
import { confirmPhrase, phraseMatches, planCleanup } from '../../../src/renderer/features/costs/cleanup-plans';
import { formatAge, formatHourly, formatMoney } from '../../../src/renderer/features/costs/costs-format';
import { DEFAULT_SORT, filterLedger, nextSort, NO_FILTERS, sortLedger } from '../../../src/renderer/features/costs/ledger-query';
import { ledgerTotals, parseBudgetAmount, totalsByRegion, type LedgerRow } from '../../../src/shared/models/costs';

const NOW = Date.parse('2025-06-30T12:00:00Z');
const daysAgo = (n: number): string => new Date(NOW - n * 86_400_000).toISOString();

function row(id: string, patch: Partial<LedgerRow> = {}): LedgerRow {
  return {
    key: `a/${patch.region ?? 'us-east-1'}/${id}`,
    accountId: 'a',
    region: 'us-east-1',
    kind: 'volume',
    id,
    createdByHangar: false,
    size: '10 GiB gp3',
    billing: 'per-gb-month',
    rate: '',
    note: '',
    actions: ['delete-volume'],
    ...patch,
  };
}

const ids = (rows: readonly LedgerRow[]): string[] => rows.map((r) => r.id);

describe('ledger query', () => {
  const rows = [
    row('vol-cheap', { hourly: 0.001, monthly: 0.73, createdAt: daysAgo(40) }),
    row('i-gpu', { kind: 'instance', region: 'eu-west-1', hourly: 0.5, monthly: 365, createdAt: daysAgo(1), createdByHangar: true, name: 'train', actions: ['stop-instance', 'terminate-instance'] }),
    row('snap-old', { kind: 'snapshot', hourly: 0.01, monthly: 7.3, createdAt: daysAgo(200), actions: ['delete-snapshot'] }),
    row('vol-unknown', { createdAt: daysAgo(3) }),
    row('sir-1', { kind: 'spot-request', billing: 'not-billed', hourly: 0, monthly: 0, actions: [] }),
  ];

  it('sorts by cost, most expensive first, unknown prices last either way; other keys flip on a second click', () => {
    expect(ids(sortLedger(rows, DEFAULT_SORT))).toEqual(['i-gpu', 'snap-old', 'vol-cheap', 'sir-1', 'vol-unknown']);
    expect(ids(sortLedger(rows, { key: 'cost', direction: 'ascending' }))[0]).toBe('vol-unknown');
    expect(ids(sortLedger(rows, { key: 'age', direction: 'descending' })).slice(0, 2)).toEqual(['snap-old', 'vol-cheap']);
    expect(nextSort(DEFAULT_SORT, 'cost')).toEqual({ key: 'cost', direction: 'ascending' });
    expect(nextSort(DEFAULT_SORT, 'name')).toEqual({ key: 'name', direction: 'ascending' });
  });

  it('filters by kind, region, created by Hangar and age', () => {
    expect(ids(filterLedger(rows, { ...NO_FILTERS, kinds: ['snapshot', 'instance'] }, NOW))).toEqual(['i-gpu', 'snap-old']);
    expect(ids(filterLedger(rows, { ...NO_FILTERS, region: 'eu-west-1' }, NOW))).toEqual(['i-gpu']);
    expect(ids(filterLedger(rows, { ...NO_FILTERS, hangarOnly: true }, NOW))).toEqual(['i-gpu']);
    // A row whose age is unknown is not "older than" anything.
    expect(ids(filterLedger(rows, { ...NO_FILTERS, olderThanDays: 30 }, NOW))).toEqual(['vol-cheap', 'snap-old']);
  });

  it('totals $/h, per day and per month (730 h), per region, and counts rows without a price', () => {
    const totals = ledgerTotals(rows);
    expect(totals.hourly).toBeCloseTo(0.511, 10);
    expect(totals.daily).toBeCloseTo(0.511 * 24, 10);
    expect(totals.monthly).toBeCloseTo(0.511 * 730, 10);
    expect(totals.unpriced).toBe(1);
    expect(totalsByRegion(rows).map((r) => [r.region, Number(r.totals.hourly.toFixed(4))])).toEqual([
      ['eu-west-1', 0.5],
      ['us-east-1', 0.011],
    ]);
  });
});

describe('cleanup confirmation', () => {
  it('asks for the one row’s name (or id), or a phrase with the count for several', () => {
    const [gpu, old] = [row('i-gpu', { name: 'train', actions: ['terminate-instance'] }), row('i-2', { actions: ['terminate-instance'] })];
    const one = planCleanup('terminate-instance', [gpu, row('vol-x')]);
    expect(one.rows).toEqual([gpu]);
    expect(confirmPhrase(one)).toBe('train');
    expect(phraseMatches(one, ' train ')).toBe(true);
    expect(phraseMatches(one, 'i-gpu')).toBe(true);
    expect(phraseMatches(one, 'Train')).toBe(false);
    const two = planCleanup('terminate-instance', [gpu, old]);
    expect(confirmPhrase(two)).toBe('terminate 2 instances');
    expect(phraseMatches(two, 'Terminate 2 Instances')).toBe(true);
    expect(phraseMatches(two, 'terminate instances')).toBe(false);
  });
});

describe('budget amount and money formats', () => {
  it('accepts positive dollar amounts only, with a message for the field otherwise', () => {
    expect(parseBudgetAmount('50')).toEqual({ amount: 50 });
    expect(parseBudgetAmount(' $1,250.5 ')).toEqual({ amount: 1250.5 });
    expect(parseBudgetAmount('0')).toEqual({ error: 'The amount must be more than $0.' });
    expect(parseBudgetAmount('-5')).toEqual({ error: 'The amount must be more than $0.' });
    expect(parseBudgetAmount('fifty')).toEqual({ error: 'Enter the monthly amount in dollars, e.g. 50.' });
    expect(parseBudgetAmount('')).toEqual({ error: 'Enter the monthly amount in dollars, e.g. 50.' });
  });

  it('formats rates and amounts as the ledger shows them', () => {
    expect(formatHourly(0.0104)).toBe('$0.0104/h');
    expect(formatHourly(16.288)).toBe('$16.29/h');
    expect(formatMoney(1234.5)).toBe('$1,234.50');
    expect(formatMoney(0.001)).toBe('<$0.01');
    expect(formatAge(daysAgo(3), NOW)).toBe('3 d');
    expect(formatAge(new Date(NOW - 5 * 3_600_000).toISOString(), NOW)).toBe('5 h');
  });
});
