import type { AccountSummary } from '../../../shared/models/accounts';
import type { ActualSpend, BudgetInfo, BudgetInput, CleanupItem, CleanupResult, LedgerRegionResult } from '../../../shared/models/costs';
import type { InstanceActionInput, InstanceStateChange } from '../../../shared/models/instance-actions';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import type { Logger } from '../logging/logger';
import { createActualSpend } from './actual-spend';
import { createCleanup, type CleanupOptions } from './cleanup-actions';
import { createLedgerScan, type LedgerScanOptions } from './ledger-scan';
import { createMonthlyBudget } from './monthly-budget';
import type { PriceSource } from './price-source';

/** The Costs screen's service: the ledger of everything that bills, its cleanup, actual spend and a budget. */
export interface CostsService {
  /** Every region of each account at once, each region's rows delivered through `onRegion` as it is ready. */
  ledger(accountIds: readonly string[], options: LedgerScanOptions): Promise<LedgerRegionResult[]>;
  /** Dry run first (naming missing permissions), then each item on its own, going on past failures. */
  cleanup(items: readonly CleanupItem[], options?: CleanupOptions): Promise<CleanupResult[]>;
  /** The last Cost Explorer answer, without asking AWS. */
  cachedSpend(accountId: string): ActualSpend | undefined;
  /** Month-to-date cost by service from Cost Explorer: one call, which AWS bills. */
  actualSpend(accountId: string, signal?: AbortSignal): Promise<ActualSpend>;
  budget(accountId: string, signal?: AbortSignal): Promise<BudgetInfo | undefined>;
  saveBudget(input: BudgetInput, signal?: AbortSignal): Promise<BudgetInfo>;
  /** Resolves once caches (prices, actual spend) are on disk. */
  flush(): Promise<void>;
}

export interface CostsServiceDeps {
  clientsFor(accountId: string): AwsClientFactory;
  /** The one price source, shared with the instance table and the launch wizard. */
  prices: PriceSource;
  accounts: { list(): Promise<AccountSummary[]> };
  /** Stop / terminate go through the EC2 service. */
  act(input: InstanceActionInput, signal?: AbortSignal): Promise<InstanceStateChange[]>;
  /** Where the actual-spend cache is kept. */
  stateDir: string;
  logger: Logger;
  now?: () => number;
}

/** Composed of one part per job, each in a file named for it. */
export function createCostsService(deps: CostsServiceDeps): CostsService {
  const clients = { clientsFor: (accountId: string) => deps.clientsFor(accountId) };
  const accountFor = async (accountId: string): Promise<AccountSummary | undefined> => {
    try {
      return (await deps.accounts.list()).find((a) => a.id === accountId);
    } catch {
      // Only used to word an error; never a reason to fail.
      return undefined;
    }
  };
  const scan = createLedgerScan({ ...clients, prices: deps.prices, accountFor, ...(deps.now === undefined ? {} : { now: deps.now }) });
  const cleanup = createCleanup({ ...clients, act: deps.act, accountFor });
  const spend = createActualSpend({ ...clients, accountFor, dir: deps.stateDir, logger: deps.logger, ...(deps.now === undefined ? {} : { now: deps.now }) });
  const budget = createMonthlyBudget({ ...clients, accountFor });
  return {
    ledger: scan,
    cleanup,
    cachedSpend: spend.cached,
    actualSpend: spend.fetch,
    budget: budget.get,
    saveBudget: budget.save,
    async flush() {
      await Promise.all([deps.prices.flush(), spend.flush()]);
    },
  };
}
