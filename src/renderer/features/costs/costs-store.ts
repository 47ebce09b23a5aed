import type { HangarError} from '../../../shared/errors/hangar-error';
import { isCancelled } from '../../../shared/errors/hangar-error';
import { ledgerTotals, type CleanupResult, type LedgerRegionResult, type LedgerRow, type LedgerTotals } from '../../../shared/models/costs';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';
import { connection } from '../../api/connection';
import { toHangarError } from '../../api/to-hangar-error';
import { createStore, useStore } from '../../state/create-store';

export interface LedgerState {
  /** The accounts the ledger on screen covers (empty before the first load). */
  readonly accountIds: readonly string[];
  /** Each region's latest answer, by `${accountId}/${region}`. */
  readonly regions: ReadonlyMap<string, LedgerRegionResult>;
  /** Every row of `regions`, in region order. */
  readonly rows: readonly LedgerRow[];
  readonly loading: boolean;
  /** While loading: regions answered of how many. */
  readonly progress: { readonly done: number; readonly total: number | undefined } | undefined;
  /** The scan as a whole failed (e.g. the regions could not be listed). */
  readonly error: HangarError | undefined;
  /** When the last scan finished. */
  readonly updatedAt: number | undefined;
}

const EMPTY: LedgerState = { accountIds: [], regions: new Map(), rows: [], loading: false, progress: undefined, error: undefined, updatedAt: undefined };

const sameAccounts = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((id) => b.includes(id));

function rowsOf(regions: ReadonlyMap<string, LedgerRegionResult>): LedgerRow[] {
  return [...regions.values()].sort((a, b) => a.region.localeCompare(b.region) || a.accountId.localeCompare(b.accountId)).flatMap((r) => r.rows ?? []);
}

let scanCounter = 0;

/**
 * The Costs ledger of this window, shared by the Costs screen and the sidebar's $/h badge. Regions are
 * replaced as their answers stream in (`costs.ledgerRegion`), never cleared first, so a refresh does not
 * flicker; switching to other accounts starts empty.
 */
function createLedgerStore() {
  const store = createStore<LedgerState>(EMPTY);
  let current: { scanId: string; controller: AbortController } | undefined;
  let listening = false;

  const set = (patch: Partial<LedgerState>): void => store.set({ ...store.get(), ...patch });

  function merge(result: LedgerRegionResult): void {
    const regions = new Map(store.get().regions);
    regions.set(`${result.accountId}/${result.region}`, result);
    set({ regions, rows: rowsOf(regions) });
  }

  function listen(): void {
    if (listening) return;
    listening = true;
    subscribe.costsLedgerRegion((result) => {
      if (current?.scanId === result.scanId) merge(result);
    });
    connection.onReconnect(() => {
      const { accountIds } = store.get();
      if (accountIds.length > 0) void load(accountIds);
    });
  }

  async function load(accountIds: readonly string[], options: { refreshPrices?: boolean } = {}): Promise<void> {
    listen();
    current?.controller.abort();
    const controller = new AbortController();
    const scanId = `ledger-${Date.now().toString(36)}-${++scanCounter}`;
    current = { scanId, controller };
    const fresh = !sameAccounts(store.get().accountIds, accountIds);
    set({
      accountIds: [...accountIds],
      loading: true,
      progress: { done: 0, total: undefined },
      error: undefined,
      ...(fresh ? { regions: new Map(), rows: [], updatedAt: undefined } : {}),
    });
    try {
      const results = await api.costs.ledger.with({
        signal: controller.signal,
        onProgress: (p) => {
          if (current?.scanId === scanId) set({ progress: { done: p.done, total: p.total } });
        },
      })([...accountIds], { scanId, ...(options.refreshPrices ? { refreshPrices: true } : {}) });
      if (current?.scanId !== scanId) return;
      // Events normally delivered these already; this catches any that were missed. Regions that no longer
      // answered (gone from the account) are dropped.
      const regions = new Map(results.map((r) => [`${r.accountId}/${r.region}`, r]));
      set({ regions, rows: rowsOf(regions), loading: false, progress: undefined, updatedAt: Date.now() });
    } catch (error) {
      if (current?.scanId !== scanId || controller.signal.aborted || isCancelled(error)) return;
      set({ loading: false, progress: undefined, error: toHangarError(error) });
    }
  }

  return {
    get: store.get,
    subscribe: store.subscribe,
    load,
    /** Loads the account's ledger unless one that covers it is on screen or on its way. */
    ensureCovers(accountId: string): void {
      const state = store.get();
      if (state.accountIds.includes(accountId) && (state.loading || state.updatedAt !== undefined || state.error !== undefined)) return;
      void load([accountId]);
    },
    /** Cleanup went through: done rows leave the table at once (the reload that follows confirms it). */
    applyCleanup(results: readonly CleanupResult[]): void {
      const gone = new Set(results.filter((r) => r.status === 'done' && r.item.action !== 'stop-instance').map((r) => `${r.item.accountId}/${r.item.region}/${r.item.id}`));
      if (gone.size === 0) return;
      const regions = new Map(
        [...store.get().regions].map(([key, result]) => [key, result.rows ? { ...result, rows: result.rows.filter((row) => !gone.has(row.key)) } : result]),
      );
      set({ regions, rows: rowsOf(regions) });
    },
  };
}

export const ledgerStore = createLedgerStore();

export function useLedger(): LedgerState {
  return useStore(ledgerStore);
}

/** Totals of the rows of these accounts (the badge: the active account's $/h). */
export function useLedgerTotals(accountId: string | undefined): { totals: LedgerTotals; running: boolean } | undefined {
  const rows = useStore(ledgerStore, (s) => s.rows);
  if (accountId === undefined) return undefined;
  const mine = rows.filter((r) => r.accountId === accountId);
  if (mine.length === 0) return undefined;
  return { totals: ledgerTotals(mine), running: mine.some((r) => r.kind === 'instance' && r.billing === 'per-hour') };
}
