import { z } from 'zod';
import type { SerializedError } from '../errors/hangar-error';
import { accountIdSchema, regionNameSchema } from './accounts';

/** AWS bills a month as 730 hours (365 × 24 / 12); every "per month at this rate" uses it. */
export const HOURS_PER_MONTH = 730;

/** Where a price came from, shown next to it. */
export type PriceProvenance =
  /** The AWS Price List Query API, fetched (and cached on disk) at `fetchedAt` (ISO 8601). */
  | { readonly source: 'price-list'; readonly fetchedAt: string }
  /** Hangar's bundled table, for when the Price List cannot be reached: approximate, as of `asOf` (a date). */
  | { readonly source: 'bundled'; readonly asOf: string }
  /** The current spot price (DescribeSpotPriceHistory) at `at`. */
  | { readonly source: 'spot'; readonly at: string };

/** "AWS Price List, fetched 3 Jun" / "bundled, as of 2025-06-15" / "spot price at 14:02": for labels. */
export function provenanceLabel(p: PriceProvenance): string {
  switch (p.source) {
    case 'price-list':
      return `AWS Price List, fetched ${p.fetchedAt.slice(0, 10)}`;
    case 'bundled':
      return `bundled, as of ${p.asOf}`;
    case 'spot':
      return `spot price at ${p.at.slice(0, 16).replace('T', ' ')} UTC`;
  }
}

export const LEDGER_KINDS = ['instance', 'volume', 'snapshot', 'image', 'elastic-ip', 'public-ipv4', 'spot-request'] as const;
export type LedgerKind = (typeof LEDGER_KINDS)[number];

export const LEDGER_KIND_LABELS: Readonly<Record<LedgerKind, string>> = {
  instance: 'Instance',
  volume: 'EBS volume',
  snapshot: 'Snapshot',
  image: 'AMI',
  'elastic-ip': 'Elastic IP',
  'public-ipv4': 'Public IPv4',
  'spot-request': 'Spot request',
};

export const CLEANUP_ACTIONS = ['delete-volume', 'delete-snapshot', 'deregister-image', 'release-address', 'stop-instance', 'terminate-instance'] as const;
export type CleanupAction = (typeof CLEANUP_ACTIONS)[number];

/** One thing that bills (or will). Optional fields may be present as undefined (rows are built as plain literals). */
export interface LedgerRow {
  /** Unique across accounts and regions: `${accountId}/${region}/${id}`. */
  readonly key: string;
  readonly accountId: string;
  readonly region: string;
  readonly kind: LedgerKind;
  /** The AWS id: i-…, vol-…, snap-…, ami-…, eipalloc-…, the public IP, sir-…. */
  readonly id: string;
  /** The `Name` tag. */
  readonly name?: string | undefined;
  /** Tagged `hangar:created-by`. */
  readonly createdByHangar: boolean;
  /** e.g. "running", "available", "in-use", "open". */
  readonly state?: string | undefined;
  /** What it is, short: "t3.micro", "100 GiB gp3", "2 snapshots · 16 GiB", "3.208.0.1". */
  readonly size: string;
  readonly sizeGiB?: number | undefined;
  /** How AWS bills it. */
  readonly billing: 'per-hour' | 'per-gb-month' | 'not-billed';
  /** The rate in words: "$0.0104 per hour", "100 GiB × $0.08 per GB-month". */
  readonly rate: string;
  /** USD per hour at this rate; undefined when no price is known. */
  readonly hourly?: number | undefined;
  /** USD per month at this rate (hourly × 730). */
  readonly monthly?: number | undefined;
  /** When it was created or launched (ISO 8601), for its age. */
  readonly createdAt?: string | undefined;
  /** Running instances: since when (LaunchTime, which a start resets). */
  readonly runningSince?: string | undefined;
  /** Running instances: compute cost since `runningSince` at the current rate. */
  readonly costSinceStart?: number | undefined;
  /** Plain words: why it bills and how to stop it. */
  readonly note: string;
  readonly priceSource?: PriceProvenance | undefined;
  /** What cleanup offers for it. */
  readonly actions: readonly CleanupAction[];
  /** The instance a volume / address belongs to, the snapshots behind an AMI. */
  readonly related?: { readonly instanceId?: string | undefined; readonly instanceName?: string | undefined; readonly snapshotIds?: readonly string[] } | undefined;
}

/** One region's part of a ledger scan, pushed as the `costs.ledgerRegion` event. */
export interface LedgerRegionResult {
  readonly scanId: string;
  readonly accountId: string;
  readonly region: string;
  readonly rows?: readonly LedgerRow[];
  readonly error?: SerializedError;
  /** The region was not looked at, and why (e.g. not enabled for the account). */
  readonly skipped?: string;
  /** Kinds that could not be listed (e.g. no permission for ec2:DescribeSnapshots); the rest are in `rows`. */
  readonly warnings?: readonly SerializedError[];
  readonly elapsedMs: number;
}

export interface LedgerTotals {
  readonly hourly: number;
  readonly daily: number;
  readonly monthly: number;
  /** Rows whose price is unknown (not in any total). */
  readonly unpriced: number;
  readonly rows: number;
}

/** $/h, per day and per month at this rate over `rows`: the one way totals are computed, main and renderer alike. */
export function ledgerTotals(rows: readonly LedgerRow[]): LedgerTotals {
  let hourly = 0;
  let unpriced = 0;
  for (const row of rows) {
    if (row.hourly === undefined) unpriced += row.billing === 'not-billed' ? 0 : 1;
    else hourly += row.hourly;
  }
  return { hourly, daily: hourly * 24, monthly: hourly * HOURS_PER_MONTH, unpriced, rows: rows.length };
}

/** Totals per region, in region-name order. */
export function totalsByRegion(rows: readonly LedgerRow[]): { region: string; totals: LedgerTotals }[] {
  const groups = new Map<string, LedgerRow[]>();
  for (const row of rows) groups.set(row.region, [...(groups.get(row.region) ?? []), row]);
  return [...groups].sort(([a], [b]) => a.localeCompare(b)).map(([region, list]) => ({ region, totals: ledgerTotals(list) }));
}

export const ledgerOptionsSchema = z
  .object({
    /** Ask the Price List again even when the cached prices are younger than 7 days. */
    refreshPrices: z.boolean().optional(),
    /** Copied into every `costs.ledgerRegion` event of this scan (default: the call's request id). */
    scanId: z.string().min(1).max(64).regex(/^[A-Za-z0-9_-]+$/).optional(),
  })
  .strict();
export type LedgerOptions = z.infer<typeof ledgerOptionsSchema>;

export const cleanupItemSchema = z
  .object({
    accountId: accountIdSchema,
    region: regionNameSchema,
    action: z.enum(CLEANUP_ACTIONS),
    id: z.string().min(1).max(128).regex(/^[A-Za-z0-9.:_-]+$/),
    /** For messages: the Name tag or id the user saw. */
    name: z.string().max(256).optional(),
  })
  .strict();
export type CleanupItem = z.infer<typeof cleanupItemSchema>;

export interface CleanupResult {
  readonly item: CleanupItem;
  /**
   * `allowed`: the dry run said it would work (nothing was changed); `partial`: done, but part of it was not
   * (an AMI deregistered whose snapshots stayed), said in `error`.
   */
  readonly status: 'done' | 'partial' | 'failed' | 'allowed';
  readonly error?: SerializedError;
  /** What else happened, e.g. "Deleted its snapshots snap-…, snap-…". */
  readonly note?: string;
}

/** Month-to-date cost by service (Cost Explorer), as last fetched. */
export interface ActualSpend {
  readonly accountId: string;
  /** First day of the month and today (exclusive end), YYYY-MM-DD. */
  readonly start: string;
  readonly end: string;
  readonly total: number;
  readonly currency: string;
  readonly byService: readonly { readonly service: string; readonly amount: number }[];
  /** ISO 8601: when Cost Explorer was asked. */
  readonly fetchedAt: string;
}

export const BUDGET_THRESHOLDS = [50, 80, 100] as const;

/** Hangar's monthly cost budget of an account, with its state. */
export interface BudgetInfo {
  readonly name: string;
  readonly amount: number;
  readonly currency: string;
  readonly actualSpend?: number;
  readonly forecastedSpend?: number;
  readonly emails: readonly string[];
  readonly alerts: readonly { readonly threshold: number; readonly state: 'OK' | 'ALARM' | 'unknown' }[];
}

/** A budget amount the user typed: a positive number of dollars (refused at the field and again in main). */
export const budgetAmountSchema = z
  .number({ error: 'enter the monthly amount in dollars, e.g. 50' })
  .positive('the amount must be more than $0')
  .max(1_000_000_000, 'the amount must be at most $1,000,000,000');

export const budgetInputSchema = z
  .object({
    accountId: accountIdSchema,
    amount: budgetAmountSchema,
    email: z.string().trim().max(254).regex(/^[^@\s]+@[^@\s]+\.[^@\s]+$/, 'an e-mail address such as me@example.com'),
  })
  .strict();
export type BudgetInput = z.infer<typeof budgetInputSchema>;

/** Parses what was typed in the amount field; a message for the field when it is not a positive amount. */
export function parseBudgetAmount(text: string): { amount: number } | { error: string } {
  const cleaned = text.trim().replace(/^\$/, '').replace(/,/g, '');
  if (cleaned === '' || !/^-?\d*\.?\d+$/.test(cleaned)) return { error: 'Enter the monthly amount in dollars, e.g. 50.' };
  const parsed = budgetAmountSchema.safeParse(Number(cleaned));
  if (!parsed.success) {
    const message = parsed.error.issues[0]?.message ?? 'enter a positive amount';
    return { error: `${message.charAt(0).toUpperCase()}${message.slice(1)}.` };
  }
  return { amount: parsed.data };
}
