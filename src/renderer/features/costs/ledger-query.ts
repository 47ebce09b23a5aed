import type { LedgerKind, LedgerRow } from '../../../shared/models/costs';
import { ageInDays, kindLabel, rowLabel } from './costs-format';

export interface LedgerFilters {
  /** Empty: every kind. */
  readonly kinds: readonly LedgerKind[];
  /** 'all' or one region. */
  readonly region: string;
  readonly hangarOnly: boolean;
  /** Only rows created more than this many days ago; undefined: any age. */
  readonly olderThanDays: number | undefined;
}

export const NO_FILTERS: LedgerFilters = { kinds: [], region: 'all', hangarOnly: false, olderThanDays: undefined };

export type LedgerSortKey = 'name' | 'kind' | 'region' | 'size' | 'billing' | 'cost' | 'age' | 'hangar';

export interface LedgerSort {
  readonly key: LedgerSortKey;
  readonly direction: 'ascending' | 'descending';
}

/** Most expensive first: what a user looking for the surprise on the bill wants at the top. */
export const DEFAULT_SORT: LedgerSort = { key: 'cost', direction: 'descending' };

export function filterLedger(rows: readonly LedgerRow[], filters: LedgerFilters, now: number): LedgerRow[] {
  return rows.filter((row) => {
    if (filters.kinds.length > 0 && !filters.kinds.includes(row.kind)) return false;
    if (filters.region !== 'all' && row.region !== filters.region) return false;
    if (filters.hangarOnly && !row.createdByHangar) return false;
    if (filters.olderThanDays !== undefined) {
      const age = ageInDays(row.createdAt, now);
      if (age === undefined || age < filters.olderThanDays) return false;
    }
    return true;
  });
}

function compare(a: LedgerRow, b: LedgerRow, key: LedgerSortKey): number {
  switch (key) {
    case 'name':
      return rowLabel(a).localeCompare(rowLabel(b));
    case 'kind':
      return kindLabel(a).localeCompare(kindLabel(b));
    case 'region':
      return a.region.localeCompare(b.region);
    case 'size':
      return (a.sizeGiB ?? -1) - (b.sizeGiB ?? -1) || a.size.localeCompare(b.size);
    case 'billing':
      return a.billing.localeCompare(b.billing);
    case 'cost':
      // Unknown prices sort below every known one, whichever the direction.
      return (a.monthly ?? -1) - (b.monthly ?? -1);
    case 'age':
      return Date.parse(b.createdAt ?? '9999') - Date.parse(a.createdAt ?? '9999');
    case 'hangar':
      return Number(a.createdByHangar) - Number(b.createdByHangar);
  }
}

/** Sorted copy; ties keep a stable order by region and id so rows do not jump between refreshes. */
export function sortLedger(rows: readonly LedgerRow[], sort: LedgerSort): LedgerRow[] {
  const sign = sort.direction === 'ascending' ? 1 : -1;
  return [...rows].sort((a, b) => sign * compare(a, b, sort.key) || a.region.localeCompare(b.region) || a.id.localeCompare(b.id));
}

/** Clicking a column: the same key flips the direction; a new key starts descending for cost and age, else ascending. */
export function nextSort(current: LedgerSort, key: LedgerSortKey): LedgerSort {
  if (current.key === key) return { key, direction: current.direction === 'ascending' ? 'descending' : 'ascending' };
  return { key, direction: key === 'cost' || key === 'age' || key === 'hangar' ? 'descending' : 'ascending' };
}
