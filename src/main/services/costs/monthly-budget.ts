import {
  BudgetsClient,
  CreateBudgetCommand,
  CreateNotificationCommand,
  DeleteNotificationCommand,
  DescribeBudgetCommand,
  DescribeNotificationsForBudgetCommand,
  DescribeSubscribersForNotificationCommand,
  UpdateBudgetCommand,
  type Budget,
  type Notification,
} from '@aws-sdk/client-budgets';
import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { AccountSummary } from '../../../shared/models/accounts';
import { BUDGET_THRESHOLDS, budgetInputSchema, type BudgetInfo, type BudgetInput } from '../../../shared/models/costs';
import { CREATED_BY_TAG } from '../../../shared/models/launch';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { awsCodeOf } from '../aws/aws-error-fields';
import { callAws } from '../aws/call-aws';
import { withAccountHint } from './account-hint';
import { withBackoff } from './with-backoff';

/** Hangar's budget is found (and recognised) by this name; it is also tagged hangar:created-by. */
export const BUDGET_NAME = 'Hangar monthly budget';
// AWS Budgets is a global service, served from us-east-1.
const BUDGETS_REGION = 'us-east-1';

export interface MonthlyBudgetDeps {
  clientsFor(accountId: string): AwsClientFactory;
  accountFor(accountId: string): Promise<AccountSummary | undefined>;
}

export interface MonthlyBudget {
  /** Hangar's monthly cost budget with its spend and alert states; undefined when there is none yet. */
  get(accountId: string, signal?: AbortSignal): Promise<BudgetInfo | undefined>;
  /** Creates it, or changes its amount and alert e-mail: alerts at 50, 80 and 100 % of actual spend. */
  save(input: BudgetInput, signal?: AbortSignal): Promise<BudgetInfo>;
}

const alertAt = (threshold: number): Notification => ({ NotificationType: 'ACTUAL', ComparisonOperator: 'GREATER_THAN', Threshold: threshold, ThresholdType: 'PERCENTAGE' });
const isOurs = (n: Notification): boolean =>
  n.NotificationType === 'ACTUAL' && n.ComparisonOperator === 'GREATER_THAN' && (n.ThresholdType ?? 'PERCENTAGE') === 'PERCENTAGE' && BUDGET_THRESHOLDS.includes(n.Threshold as 50);

function explain(error: unknown, action: string, account: AccountSummary | undefined): HangarError {
  const mapped = error instanceof HangarError ? error : new HangarError({ code: 'INTERNAL', message: String(error), cause: error });
  if (mapped.code !== 'AWS_UNAUTHORIZED') return withAccountHint(mapped, account);
  return new HangarError({
    code: 'AWS_UNAUTHORIZED',
    message: `Your AWS credentials are not allowed to ${action === 'budgets:ViewBudget' ? 'read' : 'create or change'} budgets (${action}).`,
    hint: `Ask your AWS administrator to add ${action} to the IAM policy of this user or role (IAM console → Add permissions → Budget service). Budgets are account-wide; in an AWS Organization, billing access for IAM must also be on.`,
    details: { ...mapped.details, missingAction: action },
    cause: error,
  });
}

export function createMonthlyBudget(deps: MonthlyBudgetDeps): MonthlyBudget {
  async function call<T>(accountId: string, action: string, signal: AbortSignal | undefined, run: (client: BudgetsClient) => Promise<T>): Promise<T> {
    const clients = deps.clientsFor(accountId);
    try {
      return await withBackoff(() => callAws(() => run(clients.client(BudgetsClient, BUDGETS_REGION)), { action, region: BUDGETS_REGION, signal }), { signal });
    } catch (error) {
      throw explain(error, action, await deps.accountFor(accountId));
    }
  }

  /** The 12-digit AWS account id Budgets wants: known from adding the account, else asked of STS. */
  async function awsAccountId(accountId: string, signal: AbortSignal | undefined): Promise<string> {
    const known = (await deps.accountFor(accountId))?.awsAccountId;
    if (known !== undefined && /^\d{12}$/.test(known)) return known;
    const out = await callAws(() => deps.clientsFor(accountId).sts(BUDGETS_REGION).send(new GetCallerIdentityCommand({}), { abortSignal: signal }), {
      action: 'sts:GetCallerIdentity',
      region: BUDGETS_REGION,
      signal,
    });
    if (out.Account === undefined) throw new HangarError({ code: 'AWS_REQUEST_FAILED', message: 'AWS did not say which account these credentials belong to.' });
    return out.Account;
  }

  async function get(accountId: string, signal?: AbortSignal): Promise<BudgetInfo | undefined> {
    const AccountId = await awsAccountId(accountId, signal);
    let budget: Budget | undefined;
    try {
      budget = (await call(accountId, 'budgets:ViewBudget', signal, (c) => c.send(new DescribeBudgetCommand({ AccountId, BudgetName: BUDGET_NAME }), { abortSignal: signal }))).Budget;
    } catch (error) {
      if (error instanceof HangarError && awsCodeOf(error.cause) === 'NotFoundException') return undefined;
      if (error instanceof HangarError && error.details?.awsCode === 'NotFoundException') return undefined;
      throw error;
    }
    if (!budget) return undefined;
    const notifications =
      (await call(accountId, 'budgets:ViewBudget', signal, (c) => c.send(new DescribeNotificationsForBudgetCommand({ AccountId, BudgetName: BUDGET_NAME }), { abortSignal: signal })))
        .Notifications ?? [];
    const ours = notifications.filter(isOurs);
    const emails = new Set<string>();
    for (const n of ours.slice(0, 1)) {
      const out = await call(accountId, 'budgets:ViewBudget', signal, (c) =>
        c.send(new DescribeSubscribersForNotificationCommand({ AccountId, BudgetName: BUDGET_NAME, Notification: n }), { abortSignal: signal }),
      );
      for (const s of out.Subscribers ?? []) if (s.SubscriptionType === 'EMAIL' && s.Address) emails.add(s.Address);
    }
    const actual = Number(budget.CalculatedSpend?.ActualSpend?.Amount);
    const forecast = Number(budget.CalculatedSpend?.ForecastedSpend?.Amount);
    return {
      name: BUDGET_NAME,
      amount: Number(budget.BudgetLimit?.Amount ?? 0),
      currency: budget.BudgetLimit?.Unit ?? 'USD',
      ...(Number.isFinite(actual) ? { actualSpend: actual } : {}),
      ...(Number.isFinite(forecast) ? { forecastedSpend: forecast } : {}),
      emails: [...emails],
      alerts: BUDGET_THRESHOLDS.map((threshold) => {
        const n = ours.find((o) => o.Threshold === threshold);
        return { threshold, state: n?.NotificationState === 'ALARM' ? 'ALARM' : n?.NotificationState === 'OK' ? 'OK' : 'unknown' };
      }),
    };
  }

  return {
    get,

    async save(raw, signal) {
      // Checked here again: the renderer refuses a bad amount at the field, but main never trusts it.
      const parsed = budgetInputSchema.safeParse(raw);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        throw new HangarError({
          code: 'INVALID_ARGUMENT',
          message: `The budget ${issue?.path.join('.') ?? 'input'} is not valid: ${issue?.message ?? 'check it'}.`,
          hint: 'Enter a monthly amount in dollars above $0 and an e-mail address for the alerts.',
        });
      }
      const input = parsed.data;
      const { accountId } = input;
      const AccountId = await awsAccountId(accountId, signal);
      const limit = { Amount: String(Math.round(input.amount * 100) / 100), Unit: 'USD' };
      const existing = await get(accountId, signal);
      const subscribers = [{ SubscriptionType: 'EMAIL' as const, Address: input.email }];
      if (existing === undefined) {
        await call(accountId, 'budgets:ModifyBudget', signal, (c) =>
          c.send(
            new CreateBudgetCommand({
              AccountId,
              Budget: { BudgetName: BUDGET_NAME, BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: limit },
              NotificationsWithSubscribers: BUDGET_THRESHOLDS.map((t) => ({ Notification: alertAt(t), Subscribers: subscribers })),
              ResourceTags: [{ Key: CREATED_BY_TAG.key, Value: CREATED_BY_TAG.value }],
            }),
            { abortSignal: signal },
          ),
        );
      } else {
        await call(accountId, 'budgets:ModifyBudget', signal, (c) =>
          c.send(new UpdateBudgetCommand({ AccountId, NewBudget: { BudgetName: BUDGET_NAME, BudgetType: 'COST', TimeUnit: 'MONTHLY', BudgetLimit: limit } }), { abortSignal: signal }),
        );
        const emailChanged = !existing.emails.includes(input.email) || existing.emails.length !== 1;
        for (const alert of existing.alerts) {
          const notification = alertAt(alert.threshold);
          // A missing alert is added; one that mails someone else is replaced (Budgets keeps one per threshold).
          if (alert.state !== 'unknown' && !emailChanged) continue;
          if (alert.state !== 'unknown') {
            await call(accountId, 'budgets:ModifyBudget', signal, (c) => c.send(new DeleteNotificationCommand({ AccountId, BudgetName: BUDGET_NAME, Notification: notification }), { abortSignal: signal }));
          }
          await call(accountId, 'budgets:ModifyBudget', signal, (c) =>
            c.send(new CreateNotificationCommand({ AccountId, BudgetName: BUDGET_NAME, Notification: notification, Subscribers: subscribers }), { abortSignal: signal }),
          );
        }
      }
      const saved = await get(accountId, signal);
      if (!saved) throw new HangarError({ code: 'AWS_REQUEST_FAILED', message: 'AWS accepted the budget but does not show it yet.', hint: 'Refresh in a moment.', retryable: true });
      return saved;
    },
  };
}
