import { LEDGER_KIND_LABELS, type LedgerRow } from '../../../shared/models/costs';

/** "$0.0104/h" under a dollar (cheap things differ in the third decimal), "$1.23/h" above. */
export function formatHourly(usd: number): string {
  return `$${usd.toFixed(usd < 1 ? 4 : 2)}/h`;
}

/** "$7.59", "<$0.01" for a cost that rounds away, "$1,234.50". */
export function formatMoney(usd: number): string {
  if (usd > 0 && usd < 0.005) return '<$0.01';
  return `$${usd.toLocaleString('en-US', { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/** "3 d", "5 h", "12 min", "<1 min". */
export function formatAge(iso: string | undefined, now: number): string {
  if (iso === undefined) return '—';
  const ms = now - Date.parse(iso);
  if (Number.isNaN(ms)) return '—';
  const minutes = Math.floor(Math.max(0, ms) / 60_000);
  if (minutes < 1) return '<1 min';
  if (minutes < 60) return `${minutes} min`;
  const hours = Math.floor(minutes / 60);
  if (hours < 48) return `${hours} h`;
  return `${Math.floor(hours / 24)} d`;
}

/** Whole days since `iso` (for "older than N days"); undefined when unknown. */
export function ageInDays(iso: string | undefined, now: number): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  return Number.isNaN(t) ? undefined : (now - t) / 86_400_000;
}

/** What a row is called in lists and confirmations: its Name tag, else its id. */
export function rowLabel(row: Pick<LedgerRow, 'name' | 'id'>): string {
  return row.name ?? row.id;
}

export function kindLabel(row: Pick<LedgerRow, 'kind'>): string {
  return LEDGER_KIND_LABELS[row.kind];
}

export const BILLING_LABELS: Readonly<Record<LedgerRow['billing'], string>> = {
  'per-hour': 'per hour',
  'per-gb-month': 'per GB-month',
  'not-billed': 'not billed yet',
};
