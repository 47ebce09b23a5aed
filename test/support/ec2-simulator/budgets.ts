import {
  checkAllowed,
  optionalArray,
  optionalNumber,
  optionalObject,
  optionalString,
  requiredString,
  validationError,
  type JsonAction,
  type JsonActionContext,
} from './json-protocol';
import { decodePageToken, pageOf, queryFingerprint } from './page-token';
import { SimError } from './sim-error';

/**
 * AWS Budgets (service `budgets`, JSON 1.1, a global service). Budgets belong to the account; CalculatedSpend
 * is month-to-date UnblendedCost from the seeded Cost Explorer data unless a test pins it with
 * `sim.setBudgetSpend`. IAM: budgets:ViewBudget for Describe*, budgets:ModifyBudget for the rest.
 */
interface Notification {
  NotificationType: string;
  ComparisonOperator: string;
  Threshold: number;
  ThresholdType: string;
}

interface Subscriber {
  SubscriptionType: string;
  Address: string;
}

interface StoredBudget {
  budget: Record<string, unknown>;
  notifications: { notification: Notification; subscribers: Subscriber[] }[];
}

/** The budget's spend as a test pins it (USD). */
export interface SimBudgetSpend {
  actual: number;
  forecasted?: number;
}

export class BudgetStore {
  readonly budgets = new Map<string, StoredBudget>();
  readonly pinnedSpend = new Map<string, SimBudgetSpend>();
}

const TIME_UNITS = ['DAILY', 'MONTHLY', 'QUARTERLY', 'ANNUALLY'];
const BUDGET_TYPES = ['USAGE', 'COST', 'RI_UTILIZATION', 'RI_COVERAGE', 'SAVINGS_PLANS_UTILIZATION', 'SAVINGS_PLANS_COVERAGE'];
const NOTIFICATION_TYPES = ['ACTUAL', 'FORECASTED'];
const OPERATORS = ['GREATER_THAN', 'LESS_THAN', 'EQUAL_TO'];
const THRESHOLD_TYPES = ['PERCENTAGE', 'ABSOLUTE_VALUE'];
const SUBSCRIPTION_TYPES = ['SNS', 'EMAIL'];
const DEFAULT_COST_TYPES = {
  IncludeTax: true,
  IncludeSubscription: true,
  UseBlended: false,
  IncludeRefund: true,
  IncludeCredit: true,
  IncludeUpfront: true,
  IncludeRecurring: true,
  IncludeOtherSubscription: true,
  IncludeSupport: true,
  IncludeDiscount: true,
  UseAmortized: false,
};

function store(ctx: JsonActionContext): BudgetStore {
  return ctx.world.budgets;
}

function account(ctx: JsonActionContext, iamAction: 'ViewBudget' | 'ModifyBudget', budgetName?: string): void {
  const id = requiredString(ctx.input, 'AccountId');
  if (!/^\d{12}$/.test(id)) throw validationError('AccountId', 'Member must satisfy regular expression pattern: \\d{12}', id);
  checkAllowed(ctx, 'budgets', [iamAction], `arn:aws:budgets::${id}:budget/${budgetName ?? '*'}`);
  if (id !== ctx.accountId) {
    throw new SimError('AccessDeniedException', `Account ${ctx.accountId} is not authorized to access the budgets of account ${id}.`, 400);
  }
}

function oneOf(value: unknown, allowed: readonly string[], member: string): string {
  if (typeof value !== 'string' || !allowed.includes(value)) throw validationError(member, `Member must satisfy enum value set: [${allowed.join(', ')}]`, value ?? null);
  return value;
}

function parseNotification(raw: unknown, member = 'Notification'): Notification {
  const n = (raw ?? {}) as Record<string, unknown>;
  if (typeof raw !== 'object' || raw === null) throw validationError(member, 'Member must not be null');
  const threshold = n.Threshold;
  if (typeof threshold !== 'number' || threshold < 0 || threshold > 1_000_000_000_000) throw validationError(`${member}.threshold`, 'Member must have value between 0 and 1000000000000', threshold ?? null);
  return {
    NotificationType: oneOf(n.NotificationType, NOTIFICATION_TYPES, `${member}.notificationType`),
    ComparisonOperator: oneOf(n.ComparisonOperator, OPERATORS, `${member}.comparisonOperator`),
    Threshold: threshold,
    ThresholdType: n.ThresholdType === undefined ? 'PERCENTAGE' : oneOf(n.ThresholdType, THRESHOLD_TYPES, `${member}.thresholdType`),
  };
}

function parseSubscriber(raw: unknown, member = 'Subscriber'): Subscriber {
  const s = (raw ?? {}) as Record<string, unknown>;
  const type = oneOf(s.SubscriptionType, SUBSCRIPTION_TYPES, `${member}.subscriptionType`);
  const address = s.Address;
  if (typeof address !== 'string' || address === '') throw validationError(`${member}.address`, 'Member must not be null');
  if (type === 'EMAIL' && !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(address)) throw new SimError('InvalidParameterException', `Invalid email address: ${address}`, 400);
  if (type === 'SNS' && !address.startsWith('arn:aws:sns:')) throw new SimError('InvalidParameterException', `Invalid SNS topic ARN: ${address}`, 400);
  return { SubscriptionType: type, Address: address };
}

function parseSubscribers(raw: unknown[] | undefined, member: string): Subscriber[] {
  if (!raw || raw.length < 1 || raw.length > 11) throw validationError(member, 'Member must have length between 1 and 11', raw ?? null);
  return raw.map((s) => parseSubscriber(s, `${member}.member`));
}

function sameNotification(a: Notification, b: Notification): boolean {
  return a.NotificationType === b.NotificationType && a.ComparisonOperator === b.ComparisonOperator && a.Threshold === b.Threshold && a.ThresholdType === b.ThresholdType;
}

/** Validates a Budget structure and fills in what AWS fills in (CostTypes, TimePeriod, LastUpdatedTime). */
function normalizeBudget(raw: Record<string, unknown>, existing?: Record<string, unknown>): Record<string, unknown> {
  const name = requiredString(raw, 'BudgetName');
  if (name.length > 100 || /[:\\]/.test(name)) throw validationError('budget.budgetName', 'Member must satisfy regular expression pattern: ^(?![^:\\\\]*/action/|(?i).*<script>.*</script>.*)[^:\\\\]+$', name);
  const timeUnit = oneOf(raw.TimeUnit, TIME_UNITS, 'budget.timeUnit');
  const budgetType = oneOf(raw.BudgetType, BUDGET_TYPES, 'budget.budgetType');
  const limit = raw.BudgetLimit as { Amount?: unknown; Unit?: unknown } | undefined;
  if (limit === undefined && raw.PlannedBudgetLimits === undefined && raw.AutoAdjustData === undefined) {
    throw new SimError('InvalidParameterException', 'Unable to create/update budget - please provide one of the followings: Budget Limit/ Planned Budget Limit/ Auto Adjust Data', 400);
  }
  if (limit !== undefined && (typeof limit.Amount !== 'string' || !/^\d+(\.\d+)?$/.test(limit.Amount) || typeof limit.Unit !== 'string')) {
    throw new SimError('InvalidParameterException', 'BudgetLimit must have a decimal Amount and a Unit.', 400);
  }
  const now = Date.now() / 1000;
  const monthStart = Date.UTC(new Date().getUTCFullYear(), new Date().getUTCMonth(), 1) / 1000;
  const period = (raw.TimePeriod as Record<string, unknown> | undefined) ?? (existing?.TimePeriod as Record<string, unknown> | undefined);
  return {
    ...raw,
    BudgetName: name,
    TimeUnit: timeUnit,
    BudgetType: budgetType,
    CostFilters: raw.CostFilters ?? {},
    ...(budgetType === 'COST' ? { CostTypes: { ...DEFAULT_COST_TYPES, ...(raw.CostTypes as object | undefined) } } : {}),
    // AWS starts a budget at the current period and lets it run until 2087-06-15 unless told otherwise.
    TimePeriod: { Start: period?.Start ?? monthStart, End: period?.End ?? 3706473600 },
    LastUpdatedTime: now,
  };
}

/** Month-to-date actual spend and a straight-line forecast for the month, USD. */
function spendOf(ctx: JsonActionContext, name: string): { actual: number; forecasted: number } {
  const pinned = store(ctx).pinnedSpend.get(name);
  const now = new Date();
  const start = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1);
  const end = Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1);
  const elapsedDays = Math.max(1, (Date.now() - start) / 86_400_000);
  const actual = pinned?.actual ?? ctx.world.costs.totalBetween(start, end);
  return { actual, forecasted: pinned?.forecasted ?? (actual / elapsedDays) * ((end - start) / 86_400_000) };
}

function amount(value: number): string {
  return String(Math.round(value * 1000) / 1000);
}

function budgetView(ctx: JsonActionContext, stored: StoredBudget): Record<string, unknown> {
  const b = stored.budget;
  const spend = spendOf(ctx, String(b.BudgetName));
  const unit = (b.BudgetLimit as { Unit?: string } | undefined)?.Unit ?? 'USD';
  return { ...b, CalculatedSpend: { ActualSpend: { Amount: amount(spend.actual), Unit: unit }, ForecastedSpend: { Amount: amount(spend.forecasted), Unit: unit } } };
}

/** OK or ALARM, as AWS reports a notification's state against the budget's limit. */
function notificationState(ctx: JsonActionContext, stored: StoredBudget, n: Notification): string {
  const limit = Number((stored.budget.BudgetLimit as { Amount?: string } | undefined)?.Amount ?? 0);
  const spend = spendOf(ctx, String(stored.budget.BudgetName));
  const value = n.NotificationType === 'ACTUAL' ? spend.actual : spend.forecasted;
  const threshold = n.ThresholdType === 'PERCENTAGE' ? (limit * n.Threshold) / 100 : n.Threshold;
  const breached = n.ComparisonOperator === 'GREATER_THAN' ? value > threshold : n.ComparisonOperator === 'LESS_THAN' ? value < threshold : value === threshold;
  return breached ? 'ALARM' : 'OK';
}

function budgetNamed(ctx: JsonActionContext, verb: string): StoredBudget {
  const name = requiredString(ctx.input, 'BudgetName');
  const stored = store(ctx).budgets.get(name);
  if (!stored) throw new SimError('NotFoundException', `Unable to ${verb}: ${name} - the budget doesn't exist.`, 400);
  return stored;
}

function paged<T>(ctx: JsonActionContext, all: T[], query: unknown, max = 100): { page: T[]; next: string | undefined } {
  const size = optionalNumber(ctx.input, 'MaxResults') ?? max;
  if (!Number.isInteger(size) || size < 1 || size > max) throw validationError('MaxResults', `Member must have value less than or equal to ${max}`, size);
  const fingerprint = queryFingerprint(query);
  const token = optionalString(ctx.input, 'NextToken');
  const offset = token === undefined ? 0 : decodePageToken(token, fingerprint);
  if (offset === undefined) throw new SimError('InvalidNextTokenException', 'The pagination token is invalid.', 400);
  return pageOf(all, offset, size, fingerprint);
}

function createBudget(ctx: JsonActionContext): unknown {
  const raw = optionalObject(ctx.input, 'Budget');
  if (!raw) throw validationError('Budget', 'Member must not be null');
  account(ctx, 'ModifyBudget', typeof raw.BudgetName === 'string' ? raw.BudgetName : undefined);
  const budget = normalizeBudget(raw);
  const name = String(budget.BudgetName);
  const notifications = (optionalArray(ctx.input, 'NotificationsWithSubscribers') ?? []).map((entry, k) => {
    const e = (entry ?? {}) as Record<string, unknown>;
    return { notification: parseNotification(e.Notification, `notificationsWithSubscribers.${k + 1}.member.notification`), subscribers: parseSubscribers(e.Subscribers as unknown[] | undefined, `notificationsWithSubscribers.${k + 1}.member.subscribers`) };
  });
  if (store(ctx).budgets.has(name)) throw new SimError('DuplicateRecordException', `Error creating budget: ${name} - the budget already exists.`, 400);
  store(ctx).budgets.set(name, { budget, notifications });
  return {};
}

function describeBudget(ctx: JsonActionContext): unknown {
  account(ctx, 'ViewBudget', optionalString(ctx.input, 'BudgetName'));
  return { Budget: budgetView(ctx, budgetNamed(ctx, 'get budget')) };
}

function describeBudgets(ctx: JsonActionContext): unknown {
  account(ctx, 'ViewBudget');
  const { page, next } = paged(ctx, [...store(ctx).budgets.values()], ['budgets'], 1000);
  return { Budgets: page.map((b) => budgetView(ctx, b)), ...(next === undefined ? {} : { NextToken: next }) };
}

function updateBudget(ctx: JsonActionContext): unknown {
  const raw = optionalObject(ctx.input, 'NewBudget');
  if (!raw) throw validationError('NewBudget', 'Member must not be null');
  account(ctx, 'ModifyBudget', typeof raw.BudgetName === 'string' ? raw.BudgetName : undefined);
  const name = requiredString(raw, 'BudgetName');
  const stored = store(ctx).budgets.get(name);
  if (!stored) throw new SimError('NotFoundException', `Unable to update budget: ${name} - the budget doesn't exist.`, 400);
  stored.budget = normalizeBudget(raw, stored.budget);
  return {};
}

function deleteBudget(ctx: JsonActionContext): unknown {
  account(ctx, 'ModifyBudget', optionalString(ctx.input, 'BudgetName'));
  const stored = budgetNamed(ctx, 'delete budget');
  store(ctx).budgets.delete(String(stored.budget.BudgetName));
  return {};
}

function notificationOf(ctx: JsonActionContext, stored: StoredBudget): { notification: Notification; subscribers: Subscriber[] } {
  const wanted = parseNotification(ctx.input.Notification);
  const found = stored.notifications.find((n) => sameNotification(n.notification, wanted));
  if (!found) throw new SimError('NotFoundException', `Unable to find notification for budget: ${String(stored.budget.BudgetName)} - the notification doesn't exist.`, 400);
  return found;
}

function createNotification(ctx: JsonActionContext): unknown {
  account(ctx, 'ModifyBudget', optionalString(ctx.input, 'BudgetName'));
  const stored = budgetNamed(ctx, 'create notification');
  const notification = parseNotification(ctx.input.Notification);
  const subscribers = parseSubscribers(optionalArray(ctx.input, 'Subscribers'), 'subscribers');
  if (stored.notifications.some((n) => sameNotification(n.notification, notification))) {
    throw new SimError('DuplicateRecordException', `Error creating notification: ${String(stored.budget.BudgetName)} - the notification already exists.`, 400);
  }
  stored.notifications.push({ notification, subscribers });
  return {};
}

function deleteNotification(ctx: JsonActionContext): unknown {
  account(ctx, 'ModifyBudget', optionalString(ctx.input, 'BudgetName'));
  const stored = budgetNamed(ctx, 'delete notification');
  const found = notificationOf(ctx, stored);
  stored.notifications = stored.notifications.filter((n) => n !== found);
  return {};
}

function describeNotificationsForBudget(ctx: JsonActionContext): unknown {
  account(ctx, 'ViewBudget', optionalString(ctx.input, 'BudgetName'));
  const stored = budgetNamed(ctx, 'describe notifications');
  const { page, next } = paged(ctx, stored.notifications, ['notifications', stored.budget.BudgetName]);
  return {
    Notifications: page.map((n) => ({ ...n.notification, NotificationState: notificationState(ctx, stored, n.notification) })),
    ...(next === undefined ? {} : { NextToken: next }),
  };
}

function createSubscriber(ctx: JsonActionContext): unknown {
  account(ctx, 'ModifyBudget', optionalString(ctx.input, 'BudgetName'));
  const stored = budgetNamed(ctx, 'create subscriber');
  const found = notificationOf(ctx, stored);
  const subscriber = parseSubscriber(ctx.input.Subscriber);
  if (found.subscribers.some((s) => s.SubscriptionType === subscriber.SubscriptionType && s.Address === subscriber.Address)) {
    throw new SimError('DuplicateRecordException', `Error creating subscriber: ${subscriber.Address} - the subscriber already exists.`, 400);
  }
  if (found.subscribers.length >= 11) throw new SimError('CreationLimitExceededException', 'You can have at most 11 subscribers per notification.', 400);
  found.subscribers.push(subscriber);
  return {};
}

function describeSubscribersForNotification(ctx: JsonActionContext): unknown {
  account(ctx, 'ViewBudget', optionalString(ctx.input, 'BudgetName'));
  const stored = budgetNamed(ctx, 'describe subscribers');
  const found = notificationOf(ctx, stored);
  const { page, next } = paged(ctx, found.subscribers, ['subscribers', stored.budget.BudgetName, found.notification]);
  return { Subscribers: page, ...(next === undefined ? {} : { NextToken: next }) };
}

export const BUDGETS_ACTIONS: Readonly<Record<string, JsonAction>> = {
  CreateBudget: createBudget,
  DescribeBudget: describeBudget,
  DescribeBudgets: describeBudgets,
  UpdateBudget: updateBudget,
  DeleteBudget: deleteBudget,
  CreateNotification: createNotification,
  DeleteNotification: deleteNotification,
  DescribeNotificationsForBudget: describeNotificationsForBudget,
  CreateSubscriber: createSubscriber,
  DescribeSubscribersForNotification: describeSubscribersForNotification,
};
