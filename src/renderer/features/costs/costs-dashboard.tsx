import { useEffect, useId, useMemo, useState, type ReactNode } from 'react';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { AccountSummary } from '../../../shared/models/accounts';
import { provenanceLabel, type CleanupAction, type LedgerKind } from '../../../shared/models/costs';
import { regionDisplayName } from '../../../shared/models/region-names';
import type { Section } from '../../../shared/models/settings';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { ErrorNotice } from '../../components/error-notice';
import { plural } from '../../components/format';
import { ExtraIcons } from '../../components/extra-icons';
import { Icons } from '../../components/icons';
import { ActualSpendPanel } from './actual-spend-panel';
import { BudgetPanel } from './budget-panel';
import { CleanupDialog } from './cleanup-dialog';
import { CLEANUP_META, CLEANUP_ORDER, nounFor, planCleanup, type CleanupPlan } from './cleanup-plans';
import { kindLabel, rowLabel } from './costs-format';
import { ledgerStore, useLedger } from './costs-store';
import { LedgerFilters } from './ledger-filters';
import { DEFAULT_SORT, filterLedger, nextSort, NO_FILTERS, sortLedger, type LedgerFilters as Filters, type LedgerSort } from './ledger-query';
import { LedgerTable } from './ledger-table';
import { TotalsHeader } from './totals-header';

export interface CostsDashboardProps {
  accounts: readonly AccountSummary[];
  active: AccountSummary;
  onNavigate: (section: Section) => void;
}

// Coming back to Costs within this long shows the ledger as it is; older, it is loaded again.
const FRESH_MS = 60_000;

function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

/** The ledger of the active account (or all), its totals, filters, cleanup, actual spend and budget. */
export function CostsDashboard({ accounts, active, onNavigate }: CostsDashboardProps): ReactNode {
  const ledger = useLedger();
  const now = useMinuteClock();
  const [scope, setScope] = useState<'active' | 'all'>('active');
  const [filters, setFilters] = useState<Filters>(NO_FILTERS);
  const [sort, setSort] = useState<LedgerSort>(DEFAULT_SORT);
  const [selection, setSelection] = useState<ReadonlySet<string>>(new Set());
  const [activeKey, setActiveKey] = useState<string>();
  const [plan, setPlan] = useState<CleanupPlan>();
  const scopeName = useId();
  const accountIds = useMemo(() => (scope === 'all' ? accounts.map((a) => a.id) : [active.id]), [scope, accounts, active.id]);
  const accountKey = accountIds.join(',');

  useEffect(() => {
    const state = ledgerStore.get();
    const covers = state.accountIds.length === accountIds.length && accountIds.every((id) => state.accountIds.includes(id));
    if (covers && (state.loading || (state.updatedAt !== undefined && Date.now() - state.updatedAt < FRESH_MS))) return;
    void ledgerStore.load(accountIds);
    // accountKey stands for accountIds.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [accountKey]);

  const inScope = useMemo(() => ledger.rows.filter((row) => accountIds.includes(row.accountId)), [ledger.rows, accountIds]);
  const shown = useMemo(() => sortLedger(filterLedger(inScope, filters, now), sort), [inScope, filters, sort, now]);
  const selected = useMemo(() => inScope.filter((row) => selection.has(row.key)), [inScope, selection]);
  const counts = useMemo(() => {
    const map = new Map<LedgerKind, number>();
    for (const row of inScope) map.set(row.kind, (map.get(row.kind) ?? 0) + 1);
    return map;
  }, [inScope]);
  const results = [...ledger.regions.values()].filter((r) => accountIds.includes(r.accountId));
  const failed = results.filter((r) => r.error);
  const warned = results.filter((r) => r.warnings && r.warnings.length > 0);
  const skipped = results.filter((r) => r.skipped !== undefined);
  const regionsWithRows = [...new Set(inScope.map((r) => r.region))].sort();
  const activeRow = inScope.find((row) => row.key === activeKey);
  const labelOf = (accountId: string): string | undefined => (scope === 'all' ? accounts.find((a) => a.id === accountId)?.label : undefined);
  const complete = !ledger.loading && ledger.updatedAt !== undefined && ledger.error === undefined;

  function refresh(refreshPrices = false): void {
    void ledgerStore.load(accountIds, { refreshPrices });
  }

  function openCleanup(action: CleanupAction): void {
    const next = planCleanup(action, selected);
    if (next.rows.length > 0) setPlan(next);
  }

  return (
    <div className="costs">
      <div className="costs__toolbar">
        {accounts.length > 1 && (
          <div role="radiogroup" aria-label="Accounts" className="segmented costs__scope">
            {(['active', 'all'] as const).map((value) => (
              <label key={value} className="segmented__option">
                <input type="radio" className="segmented__input" name={scopeName} checked={scope === value} onChange={() => setScope(value)} />
                <span className="segmented__face">{value === 'active' ? active.label : `All ${accounts.length} accounts`}</span>
              </label>
            ))}
          </div>
        )}
        <div className="costs__toolbar-end">
          {ledger.loading && ledger.progress && (
            <span className="costs__updated" role="status">
              <span className="spinner" aria-hidden="true" /> {ledger.progress.total === undefined ? 'Listing regions…' : `${ledger.progress.done} of ${ledger.progress.total} regions`}
            </span>
          )}
          {!ledger.loading && ledger.updatedAt !== undefined && <span className="costs__updated">Updated {new Date(ledger.updatedAt).toLocaleTimeString()}</span>}
          <Button size="s" icon={<Icons.retry size={16} />} onClick={() => refresh()} disabled={ledger.loading}>
            Refresh
          </Button>
          <Button size="s" variant="ghost" onClick={() => refresh(true)} disabled={ledger.loading} title="Ask the AWS Price List again, even if the cached prices are less than 7 days old">
            Refresh prices
          </Button>
        </div>
      </div>

      <TotalsHeader rows={inScope} loading={ledger.loading} />

      {(ledger.error || failed.length > 0 || warned.length > 0) && (
        <div className="costs-notices">
          {ledger.error && <ErrorNotice title="Could not build the ledger" error={ledger.error} onRetry={() => refresh()} />}
          {failed.map((r) => (
            <ErrorNotice key={`${r.accountId}/${r.region}`} title={`Could not read ${regionDisplayName(r.region)} (${r.region})${labelOf(r.accountId) ? ` of ${labelOf(r.accountId) ?? ''}` : ''}`} error={HangarError.fromJSON(r.error ?? { name: 'HangarError', code: 'INTERNAL', message: 'Failed.', retryable: true })} onRetry={() => refresh()}>
              <p className="notice__text">Its resources are missing from the totals until it answers.</p>
            </ErrorNotice>
          ))}
          {warned.flatMap((r) =>
            (r.warnings ?? []).map((w, k) => <ErrorNotice key={`${r.accountId}/${r.region}/${k}`} title={`Part of ${r.region} could not be listed`} error={HangarError.fromJSON(w)} />),
          )}
        </div>
      )}
      {skipped.length > 0 && (
        <p className="costs-skipped">
          Skipped (not enabled for the account, so nothing there bills): {skipped.map((r) => r.region).join(', ')}.
        </p>
      )}

      {inScope.length > 0 && <LedgerFilters filters={filters} onChange={setFilters} regions={regionsWithRows} counts={counts} />}

      {inScope.length > 0 && (
        <div className="costs-actions" role="toolbar" aria-label="Cleanup">
          <p className="costs-actions__summary" aria-live="polite">
            {selected.length === 0 ? 'Select rows to stop, delete or release what you no longer need.' : <strong>{plural(selected.length, 'row')} selected</strong>}
          </p>
          <div className="costs-actions__buttons">
            {CLEANUP_ORDER.map((action) => {
              const meta = CLEANUP_META[action];
              const n = planCleanup(action, selected).rows.length;
              if (n === 0) return null;
              return (
                <Button key={action} size="s" className={meta.irreversible ? 'button--quiet-danger' : undefined} onClick={() => openCleanup(action)}>
                  {action === 'deregister-image' ? `Deregister ${plural(n, 'AMI')} + snapshots` : `${meta.verb} ${plural(n, nounFor(meta, 1), nounFor(meta, 2))}`}
                </Button>
              );
            })}
            {selected.length > 0 && (
              <Button size="s" variant="ghost" onClick={() => setSelection(new Set())}>
                Clear selection
              </Button>
            )}
          </div>
        </div>
      )}

      {inScope.length === 0 && ledger.loading && (
        <p className="busy-line" role="status">
          <span className="spinner" aria-hidden="true" />
          Looking for everything that bills in every region…
        </p>
      )}
      {inScope.length === 0 && complete && failed.length === 0 && (
        <EmptyState
          icon={<Icons.costs size={32} />}
          title="Nothing is costing you money"
          actions={
            <Button trailingIcon={<Icons.arrowRight size={16} />} onClick={() => onNavigate('instances')}>
              Go to Instances
            </Button>
          }
        >
          <p>No running or stopped instances, volumes, snapshots, AMIs, Elastic IPs or spot requests in any enabled region of this account.</p>
        </EmptyState>
      )}
      {inScope.length > 0 && shown.length === 0 && (
        <EmptyState
          icon={<ExtraIcons.search size={32} />}
          title="No rows match the filters"
          actions={<Button onClick={() => setFilters(NO_FILTERS)}>Clear filters</Button>}
        >
          <p>{plural(inScope.length, 'row')} in all; the filters hide every one of them.</p>
        </EmptyState>
      )}
      {shown.length > 0 && (
        <LedgerTable
          rows={shown}
          selection={selection}
          onSelectionChange={setSelection}
          sort={sort}
          onSort={(key) => setSort(nextSort(sort, key))}
          now={now}
          activeKey={activeKey}
          onActiveChange={setActiveKey}
          accountLabel={labelOf}
        />
      )}
      {activeRow && (
        <p className="ledger-details" aria-live="polite" aria-label="About the active row">
          <strong>
            {kindLabel(activeRow)} {rowLabel(activeRow)}:
          </strong>{' '}
          {activeRow.note}
          {activeRow.priceSource ? ` Prices: ${provenanceLabel(activeRow.priceSource)}.` : ''}
        </p>
      )}

      <div className="costs-panels">
        <ActualSpendPanel accountId={active.id} />
        <BudgetPanel accountId={active.id} />
      </div>

      <CleanupDialog
        plan={plan}
        onClose={() => setPlan(undefined)}
        onFinished={(outcome) => {
          ledgerStore.applyCleanup(outcome);
          setSelection(new Set());
          refresh();
        }}
      />
    </div>
  );
}
