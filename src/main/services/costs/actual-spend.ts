import { CostExplorerClient, GetCostAndUsageCommand } from '@aws-sdk/client-cost-explorer';
import { join } from 'node:path';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { AccountSummary } from '../../../shared/models/accounts';
import type { ActualSpend } from '../../../shared/models/costs';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws } from '../aws/call-aws';
import type { Logger } from '../logging/logger';
import { createJsonFileStore } from '../state/json-file-store';
import { withAccountHint } from './account-hint';
import { withBackoff } from './with-backoff';

export const SPEND_CACHE_FILE_NAME = 'actual-spend.json';
// Cost Explorer is served from us-east-1 for every account.
const CE_REGION = 'us-east-1';
const CE_ACTION = 'ce:GetCostAndUsage';

export interface ActualSpendDeps {
  clientsFor(accountId: string): AwsClientFactory;
  accountFor(accountId: string): Promise<AccountSummary | undefined>;
  dir: string;
  logger: Logger;
  now?: () => number;
}

/**
 * Month-to-date cost by service from Cost Explorer. AWS bills every GetCostAndUsage call ($0.01), so it is
 * asked only when the user asks, and the answer is kept on disk with its time and shown until asked again.
 */
export interface ActualSpendService {
  /** The last answer for the account, without asking AWS; undefined if never asked. */
  cached(accountId: string): ActualSpend | undefined;
  /** Asks Cost Explorer now (one billed call). */
  fetch(accountId: string, signal?: AbortSignal): Promise<ActualSpend>;
  flush(): Promise<void>;
}

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);

function isSpend(value: unknown): value is ActualSpend {
  const v = value as Partial<ActualSpend> | null;
  return (
    typeof v === 'object' && v !== null && typeof v.accountId === 'string' && typeof v.total === 'number' && typeof v.fetchedAt === 'string' && Array.isArray(v.byService)
  );
}

export function createActualSpend(deps: ActualSpendDeps): ActualSpendService {
  const now = deps.now ?? Date.now;
  const file = createJsonFileStore<Map<string, ActualSpend>>({
    path: join(deps.dir, SPEND_CACHE_FILE_NAME),
    what: 'actual spend cache',
    parse(raw) {
      const accounts = (raw as { accounts?: unknown } | null)?.accounts;
      if (typeof accounts !== 'object' || accounts === null) throw new Error('expected { accounts }');
      return new Map(Object.entries(accounts).filter((entry): entry is [string, ActualSpend] => isSpend(entry[1])));
    },
    serialize: (value) => ({ version: 1, accounts: Object.fromEntries(value) }),
    empty: () => new Map(),
    logger: deps.logger,
  });
  const current = file.initial;

  return {
    cached: (accountId) => current.get(accountId),

    async fetch(accountId, signal) {
      const clients = deps.clientsFor(accountId);
      const today = new Date(now());
      const start = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), 1);
      // End is exclusive: tomorrow, so today's costs so far are in.
      const end = Date.UTC(today.getUTCFullYear(), today.getUTCMonth(), today.getUTCDate() + 1);
      let out;
      try {
        out = await withBackoff(
          () =>
            callAws(
              () =>
                clients.client(CostExplorerClient, CE_REGION).send(
                  new GetCostAndUsageCommand({
                    TimePeriod: { Start: day(start), End: day(end) },
                    Granularity: 'MONTHLY',
                    Metrics: ['UnblendedCost'],
                    GroupBy: [{ Type: 'DIMENSION', Key: 'SERVICE' }],
                  }),
                  { abortSignal: signal },
                ),
              { action: CE_ACTION, region: CE_REGION, signal },
            ),
          { signal },
        );
      } catch (error) {
        throw explain(error instanceof HangarError ? error : new HangarError({ code: 'INTERNAL', message: String(error) }), await deps.accountFor(accountId));
      }
      const byService = new Map<string, number>();
      let currency = 'USD';
      for (const period of out.ResultsByTime ?? []) {
        for (const group of period.Groups ?? []) {
          const metric = group.Metrics?.UnblendedCost;
          const amount = Number(metric?.Amount);
          if (!Number.isFinite(amount)) continue;
          if (metric?.Unit) currency = metric.Unit;
          const service = group.Keys?.[0] ?? 'Other';
          byService.set(service, (byService.get(service) ?? 0) + amount);
        }
      }
      const services = [...byService].map(([service, amount]) => ({ service, amount })).sort((a, b) => b.amount - a.amount || a.service.localeCompare(b.service));
      const spend: ActualSpend = {
        accountId,
        start: day(start),
        end: day(end),
        total: services.reduce((sum, s) => sum + s.amount, 0),
        currency,
        byService: services,
        fetchedAt: new Date(now()).toISOString(),
      };
      current.set(accountId, spend);
      file.save(current);
      return spend;
    },

    flush: () => file.flush(),
  };
}

/** A refusal of Cost Explorer, with the permission it needs and where to grant it. */
function explain(error: HangarError, account: AccountSummary | undefined): HangarError {
  if (error.code === 'AWS_UNAUTHORIZED') {
    return new HangarError({
      code: 'AWS_UNAUTHORIZED',
      message: `Your AWS credentials are not allowed to read Cost Explorer (${CE_ACTION}).`,
      hint:
        `Ask your AWS administrator to add ${CE_ACTION} to the IAM policy of this user or role (IAM console → Users or Roles → Add permissions → ` +
        'Create inline policy → Cost Explorer Service → GetCostAndUsage). In an AWS Organization, the management account must also allow ' +
        'IAM access to billing data (Billing → Account → IAM user and role access to billing information).',
      details: { ...error.details, missingAction: CE_ACTION },
      cause: error,
    });
  }
  if (error.details?.awsCode === 'DataUnavailableException') {
    return new HangarError({
      code: 'AWS_REQUEST_FAILED',
      message: 'Cost Explorer has no data for this account yet.',
      hint: 'Cost Explorer must be opened once in the AWS console (Billing → Cost Explorer) to be enabled; its data appears within 24 hours.',
      details: { ...error.details },
      cause: error,
    });
  }
  return withAccountHint(error, account);
}
