import { useCallback, useDeferredValue, useEffect, useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import type { AccountSummary } from '../../../shared/models/accounts';
import { INSTANCE_STATE_NAMES, type InstanceStateName, type InstanceSummary } from '../../../shared/models/ec2';
import type { InstanceAction, InstanceStateChange } from '../../../shared/models/instance-actions';
import { regionDisplayName } from '../../../shared/models/region-names';
import { api } from '../../api/api-client';
import { subscribe } from '../../api/subscriptions';
import { connection } from '../../api/connection';
import { Button } from '../../components/button';
import { EmptyState } from '../../components/empty-state';
import { ErrorNotice } from '../../components/error-notice';
import { ExtraIcons } from '../../components/extra-icons';
import { plural } from '../../components/format';
import { Icons } from '../../components/icons';
import { accountsStore } from '../../state/accounts-store';
import { instanceFocus, showInstance } from '../../state/instance-focus';
import type { InstanceTarget } from '../../state/instance-target';
import { useScreenSlots, type ConnectionSettingsTarget } from '../../state/screen-slots';
import { terminals } from '../../state/terminals/terminals-store';
import { useRegions } from '../../state/use-regions';
import { ActionDialog } from './action-dialog';
import { planAction, type ActionPlan } from './action-plan';
import { ActionToolbar } from './action-toolbar';
import { ColumnPicker } from './column-picker';
import { STATE_LABELS, formatTime } from './format';
import { applyQuery, groupClusters, type SortKey, type SortOrder } from './instance-query';
import { ClusterNodesDialog } from './cluster-nodes-dialog';
import { InstanceTable } from './instance-table';
import { InstancesFeed, type RegionView } from './instances-feed';
import { MetricsDialog, type MetricsTarget } from './metrics-dialog';
import { RegionPicker } from './region-picker';
import { useInstanceTypes } from './use-instance-types';
import { ClusterStrip } from './cluster-strip';
import { useRefreshShortcut } from './use-refresh-shortcut';
import { useSpotNotices } from './use-spot-notices';

// The view chosen per account in this session ("All regions" cannot be a saved default region).
const chosenViews = new Map<string, RegionView>();

function createFeed(account: AccountSummary, view: RegionView): InstancesFeed {
  return new InstancesFeed(
    {
      accountId: account.id,
      listInstances: (region, signal) => api.ec2.listInstances.with({ signal })(account.id, region),
      scanAllRegions: (signal, onProgress) => api.ec2.scanAllRegions.with({ signal, onProgress })(account.id),
      onRegionScanned: (listener) => subscribe.regionScanned(listener),
      onReconnect: (listener) => connection.onReconnect(listener),
    },
    view,
  );
}

function useMinuteClock(): number {
  const [now, setNow] = useState(() => Date.now());
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), 60_000);
    return () => clearInterval(timer);
  }, []);
  return now;
}

export interface InstanceDashboardProps {
  account: AccountSummary;
}

/** The instance list of the active account: region picker, search and filters, the table, and actions. */
export function InstanceDashboard({ account }: InstanceDashboardProps): ReactNode {
  const [view, setViewState] = useState<RegionView>(() => chosenViews.get(account.id) ?? account.defaultRegion);
  const [feed] = useState(() => createFeed(account, view));
  const state = useSyncExternalStore(feed.subscribe, feed.getState);
  const regions = useRegions(account.id);
  const { ConnectionSettingsDialog, FileBrowserDialog, LaunchDialog, AutoStopDialog, WindowsPasswordDialog, InstanceDetailsDialog, RunCommandDialog } = useScreenSlots();
  const { CreateImageDialog, StorageDialog, ChangeTypeDialog, SlurmDialog } = useScreenSlots();
  const [imageOf, setImageOf] = useState<InstanceSummary>();
  const [storageOf, setStorageOf] = useState<InstanceSummary>();
  const [retypeOf, setRetypeOf] = useState<InstanceSummary>();
  const [slurmOf, setSlurmOf] = useState<{ cluster: string; nodes: readonly InstanceSummary[] }>();
  const [nodesOf, setNodesOf] = useState<{ cluster: string; nodes: readonly InstanceSummary[]; change: 'add' | 'remove' }>();
  // Clusters folded into their line above the table (issue 16).
  const [collapsed, setCollapsed] = useState<ReadonlySet<string>>(new Set());
  const [search, setSearch] = useState('');
  const deferredSearch = useDeferredValue(search);
  const [states, setStates] = useState<ReadonlySet<InstanceStateName>>(new Set());
  const [sort, setSort] = useState<SortOrder>({ key: 'name', direction: 'ascending' });
  const [selection, setSelection] = useState<ReadonlySet<string>>(new Set());
  const [plan, setPlan] = useState<ActionPlan>();
  const [announcement, setAnnouncement] = useState('');
  const [settingsFor, setSettingsFor] = useState<ConnectionSettingsTarget>();
  const [filesFor, setFilesFor] = useState<InstanceTarget>();
  const [launching, setLaunching] = useState(false);
  const [autoStopFor, setAutoStopFor] = useState<InstanceSummary>();
  const [runOn, setRunOn] = useState<readonly InstanceSummary[]>();
  const [metricsFor, setMetricsFor] = useState<MetricsTarget>();
  const [passwordFor, setPasswordFor] = useState<InstanceTarget>();
  const [detailsFor, setDetailsFor] = useState<InstanceSummary>();
  const [reveal, setReveal] = useState<{ id: string; seq: number }>();
  const now = useMinuteClock();

  useEffect(() => {
    feed.start();
    return () => feed.stop();
  }, [feed]);
  useEffect(() => feed.setView(view), [feed, view]);

  useEffect(() => {
    const onVisibility = (): void => feed.setVisible(document.visibilityState !== 'hidden');
    onVisibility();
    document.addEventListener('visibilitychange', onVisibility);
    return () => document.removeEventListener('visibilitychange', onVisibility);
  }, [feed]);

  useRefreshShortcut(() => feed.refresh());

  function chooseView(next: RegionView): void {
    chosenViews.set(account.id, next);
    setViewState(next);
    if (next !== 'all' && next !== account.defaultRegion) {
      // Remembered as the account's default; a refusal only means it is not remembered.
      api.accounts.setDefaultRegion(account.id, next).then(
        (updated) => accountsStore.upsert(updated),
        () => undefined,
      );
    }
  }

  // Another part of the app asked to show an instance of this account: its region comes into view, nothing
  // hides it, and it is selected and scrolled to.
  useEffect(() => {
    const take = (): void => {
      const focus = instanceFocus.get();
      if (!focus || focus.accountId !== account.id) return;
      instanceFocus.set(undefined);
      // The view as chosen now (chooseView records every choice), not as it was when this effect ran.
      const current = chosenViews.get(account.id) ?? account.defaultRegion;
      if (current !== 'all' && current !== focus.region) chooseView(focus.region);
      setSearch('');
      setStates(new Set());
      setSelection(new Set([focus.instanceId]));
      setReveal({ id: focus.instanceId, seq: focus.seq });
    };
    // A request made before this screen was on screen (the banner navigates here first) is taken right after mounting.
    void Promise.resolve().then(take);
    return instanceFocus.subscribe(take);
    // chooseView is the same function in effect every render; the account is what matters.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [account.id]);

  // Everything in the chosen view, in region order.
  const viewRows = useMemo(() => {
    if (view !== 'all') return state.regions.get(view)?.instances ?? [];
    const all: InstanceSummary[] = [];
    for (const [, entry] of [...state.regions].sort(([a], [b]) => a.localeCompare(b))) if (entry.instances) all.push(...entry.instances);
    return all;
  }, [state.regions, view]);

  const types = useInstanceTypes(account.id, viewRows);
  const rows = useMemo(
    () => groupClusters(applyQuery(viewRows, { search: deferredSearch, states, sort }, types.info), collapsed),
    // types.version: prices and shapes arriving can change a sort by them.
    // eslint-disable-next-line react-hooks/exhaustive-deps
    [viewRows, deferredSearch, states, sort, types.info, collapsed, sort.key === 'price' || sort.key === 'shape' ? types.version : 0],
  );

  const stateCounts = useMemo(() => {
    const counts = new Map<InstanceStateName, number>();
    for (const instance of viewRows) counts.set(instance.state, (counts.get(instance.state) ?? 0) + 1);
    return counts;
  }, [viewRows]);

  const selected = useMemo(() => viewRows.filter((instance) => selection.has(instance.id)), [viewRows, selection]);
  const shownIds = useMemo(() => new Set(rows.map((row) => row.id)), [rows]);
  const hiddenSelected = selected.filter((instance) => !shownIds.has(instance.id)).length;

  const onSort = useCallback((key: SortKey) => {
    setSort((current) => ({ key, direction: current.key === key && current.direction === 'ascending' ? 'descending' : 'ascending' }));
  }, []);
  const onCopied = useCallback((message: string) => setAnnouncement(message), []);
  const onConnect = useCallback(
    (instance: InstanceSummary, access?: 'instance-connect' | 'session-manager') =>
      void terminals.open({
        accountId: account.id,
        region: instance.region,
        instanceId: instance.id,
        name: instance.name ?? instance.id,
        ...(access === undefined ? {} : { access }),
      }),
    [account.id],
  );
  const onWindowsPassword = useCallback(
    (instance: InstanceSummary) => setPasswordFor({ accountId: account.id, region: instance.region, instanceId: instance.id, name: instance.name ?? instance.id }),
    [account.id],
  );
  const onConnectionSettings = useCallback((instance: InstanceSummary) => setSettingsFor({ instanceId: instance.id, name: instance.name ?? instance.id }), []);
  const onFiles = useCallback(
    (instance: InstanceSummary) => setFilesFor({ accountId: account.id, region: instance.region, instanceId: instance.id, name: instance.name ?? instance.id }),
    [account.id],
  );

  const onMetrics = useCallback(
    (instance: InstanceSummary) =>
      setMetricsFor({ accountId: account.id, region: instance.region, instanceId: instance.id, name: instance.name ?? instance.id }),
    [account.id],
  );
  const onShowSpot = useCallback(
    (instance: InstanceSummary) => showInstance({ accountId: account.id, region: instance.region, instanceId: instance.id }),
    [account.id],
  );
  useSpotNotices(viewRows, onShowSpot);

  function toggleState(name: InstanceStateName): void {
    setStates((current) => {
      const next = new Set(current);
      if (next.has(name)) next.delete(name);
      else next.add(name);
      return next;
    });
  }

  function openAction(action: InstanceAction): void {
    setPlan(planAction(action, selected));
  }

  const onApplied = useCallback((region: string, changes: readonly InstanceStateChange[]) => feed.applyChanges(region, changes), [feed]);

  const viewName = view === 'all' ? 'all regions' : regionDisplayName(view);
  const currentEntry = view === 'all' ? undefined : state.regions.get(view);
  const regionErrors = [...state.regions]
    .filter(([region, entry]) => entry.error && (view === 'all' || region === view))
    .sort(([a], [b]) => a.localeCompare(b));
  const loading = view === 'all' ? state.scan !== undefined : (currentEntry?.loading ?? true);
  const nothingYet = viewRows.length === 0 && (view === 'all' ? state.scan !== undefined && state.regions.size === 0 : currentEntry?.instances === undefined);

  const visibleStates = INSTANCE_STATE_NAMES.filter((name) => (stateCounts.get(name) ?? 0) > 0 || states.has(name)).sort(
    (a, b) => ORDER.indexOf(a) - ORDER.indexOf(b),
  );

  let body: ReactNode;
  if (nothingYet && regionErrors.length === 0 && !state.scanError) {
    body = (
      <p className="busy-line instances-loading" role="status">
        <span className="spinner" aria-hidden="true" />
        {view === 'all' ? 'Looking in every region…' : `Loading instances in ${viewName}…`}
      </p>
    );
  } else if (viewRows.length === 0 && !loading && regionErrors.length === 0 && !state.scanError) {
    body =
      view === 'all' ? (
        <EmptyState icon={<Icons.instances size={32} />} title="No instances in any region">
          <p>
            Hangar looked in every region enabled for this account ({plural(state.regions.size, 'region')}) and found no EC2 instances.
          </p>
        </EmptyState>
      ) : (
        <EmptyState
          icon={<Icons.instances size={32} />}
          title={`No instances in ${viewName}`}
          actions={
            <Button variant="primary" icon={<ExtraIcons.globe size={16} />} onClick={() => chooseView('all')}>
              Show all regions
            </Button>
          }
        >
          <p>
            This account has no EC2 instances in {view}. If you launched one and can’t find it, it may be in another region: try All regions.
          </p>
        </EmptyState>
      );
  } else if (viewRows.length > 0 && rows.length === 0) {
    body = (
      <EmptyState
        icon={<ExtraIcons.search size={32} />}
        title="No instances match"
        actions={
          <Button
            onClick={() => {
              setSearch('');
              setStates(new Set());
            }}
          >
            Clear search and filters
          </Button>
        }
      >
        <p>
          None of the {plural(viewRows.length, 'instance')} in {viewName} match
          {search.trim() ? ` “${search.trim()}”` : ''}
          {states.size > 0 ? ` in the states ${[...states].map((s) => STATE_LABELS[s].toLowerCase()).join(', ')}` : ''}.
        </p>
      </EmptyState>
    );
  } else if (rows.length > 0) {
    body = (
      <InstanceTable
        rows={rows}
        selection={selection}
        onSelectionChange={setSelection}
        sort={sort}
        onSort={onSort}
        types={types}
        now={now}
        onCopied={onCopied}
        onConnect={onConnect}
        onConnectionSettings={onConnectionSettings}
        onFiles={onFiles}
        onMetrics={onMetrics}
        onWindowsPassword={onWindowsPassword}
        onDetails={setDetailsFor}
        reveal={reveal}
        accountId={account.id}
      />
    );
  }

  return (
    <div className="instances">
      <div className="instances__toolbar">
        <RegionPicker value={view} onChange={chooseView} regions={regions.regions} entries={state.regions} />
        <div className="search-box">
          <ExtraIcons.search size={16} className="search-box__icon" />
          <input
            type="search"
            className="search-box__input"
            aria-label="Search instances"
            placeholder="Search name, ID, IP, DNS, type, key"
            value={search}
            onChange={(event) => setSearch(event.target.value)}
            spellCheck={false}
          />
        </div>
        <div className="instances__refresh">
          <p className="instances__updated" aria-live="off">
            {state.paused
              ? 'Paused while the window is hidden'
              : state.lastUpdated
                ? `Updated ${formatTime(state.lastUpdated)}${state.fast ? ' · following changes' : ''}`
                : ''}
          </p>
          <ColumnPicker />
          <Button size="s" variant="primary" icon={<Icons.plus size={16} />} onClick={() => setLaunching(true)} title="Launch new instances in this region">
            Launch
          </Button>
          <Button
            size="s"
            icon={loading ? <span className="spinner spinner--small" aria-hidden="true" /> : <Icons.retry size={16} />}
            onClick={() => feed.refresh()}
            title="Refresh (F5)"
            aria-keyshortcuts="F5 Control+R"
          >
            Refresh
          </Button>
        </div>
      </div>
      {visibleStates.length > 0 && (
        <div className="chips" role="group" aria-label="Filter by state">
          {visibleStates.map((name) => (
            <button key={name} type="button" className={`chip chip--${name}`} aria-pressed={states.has(name)} onClick={() => toggleState(name)}>
              <span className="chip__dot" aria-hidden="true" />
              {STATE_LABELS[name]}
              <span className="chip__count">{stateCounts.get(name) ?? 0}</span>
            </button>
          ))}
        </div>
      )}
      {regions.error && (
        <ErrorNotice title="Could not list the regions of this account" error={regions.error} onRetry={regions.reload} />
      )}
      {state.scanError && <ErrorNotice title="Could not look through all regions" error={state.scanError} onRetry={() => feed.refresh()} />}
      {state.scan && !state.scan.quiet && (
        <div className="scan-progress">
          <span>
            Looking in every region…
            {state.scan.total !== undefined && ` ${state.scan.done} of ${state.scan.total}`}
          </span>
          <progress
            className="scan-progress__bar"
            aria-label="Regions answered"
            max={state.scan.total ?? 1}
            value={state.scan.total === undefined ? undefined : state.scan.done}
          />
        </div>
      )}
      {regionErrors.length > 0 && (
        <div className="region-errors">
          {regionErrors.map(([region, entry]) =>
            entry.error ? (
              <ErrorNotice
                key={region}
                title={`${regionDisplayName(region)} (${region}) could not be listed`}
                error={entry.error}
                onRetry={() => feed.retryRegion(region)}
                retrying={entry.loading}
              />
            ) : null,
          )}
        </div>
      )}
      <ClusterStrip
        instances={viewRows}
        types={types}
        onSelect={(nodes) => setSelection(new Set(nodes.map((n) => n.id)))}
        onTerminate={(cluster, nodes) => setPlan({ ...planAction('terminate', nodes), cluster })}
        onAction={(action, nodes) => setPlan(planAction(action, nodes))}
        onNodes={(cluster, nodes, change) => setNodesOf({ cluster, nodes, change })}
        onSlurm={(cluster, nodes) => setSlurmOf({ cluster, nodes })}
        collapsed={collapsed}
        onToggle={(cluster) =>
          setCollapsed((current) => {
            const next = new Set(current);
            if (!next.delete(cluster)) next.add(cluster);
            return next;
          })
        }
      />
      {viewRows.length > 0 && (
        <ActionToolbar
          selected={selected}
          hiddenSelected={hiddenSelected}
          onAction={openAction}
          onClear={() => setSelection(new Set())}
          onAutoStop={() => setAutoStopFor(selected[0])}
          onRunCommand={() => setRunOn(selected)}
          onCreateImage={() => setImageOf(selected[0])}
          onStorage={() => setStorageOf(selected[0])}
          onChangeType={() => setRetypeOf(selected[0])}
          accountId={account.id}
          onOpenGrid={() => terminals.openGrid(selected.filter((i) => i.state === 'running').map((i) => ({ accountId: account.id, region: i.region, instanceId: i.id, name: i.name ?? i.id })))}
        />
      )}
      {body}
      <p className="visually-hidden" role="status">
        {announcement}
      </p>
      <ActionDialog
        accountId={account.id}
        plan={plan}
        onClose={() => setPlan(undefined)}
        onApplied={onApplied}
        onDone={(message) => setAnnouncement(message)}
      />
      {settingsFor && <ConnectionSettingsDialog key={settingsFor.instanceId} target={settingsFor} onClose={() => setSettingsFor(undefined)} />}
      {launching && (
        <LaunchDialog
          accountId={account.id}
          region={view === 'all' ? account.defaultRegion : view}
          onClose={() => setLaunching(false)}
          onLaunched={(region, launched) => {
            // Selected and followed closely (fast polling) until they settle.
            setSelection(new Set(launched.map((i) => i.instanceId)));
            feed.applyChanges(region, []);
            feed.refresh();
            setAnnouncement(`Launched ${plural(launched.length, 'instance')} in ${region}.`);
          }}
          onConnect={(region, instance, access) => {
            setLaunching(false);
            void terminals.open({ accountId: account.id, region, instanceId: instance.instanceId, name: instance.name, ...(access === undefined ? {} : { access }) });
          }}
        />
      )}
      {runOn && <RunCommandDialog accountId={account.id} instances={runOn} onClose={() => setRunOn(undefined)} />}
      {autoStopFor && <AutoStopDialog key={autoStopFor.id} accountId={account.id} instance={autoStopFor} onClose={() => setAutoStopFor(undefined)} />}
      {metricsFor && <MetricsDialog key={metricsFor.instanceId} target={metricsFor} onClose={() => setMetricsFor(undefined)} />}
      {passwordFor && <WindowsPasswordDialog key={passwordFor.instanceId} target={passwordFor} onClose={() => setPasswordFor(undefined)} />}
      {detailsFor && <InstanceDetailsDialog key={detailsFor.id} accountId={account.id} instance={detailsFor} onClose={() => setDetailsFor(undefined)} onAddressChanged={() => feed.refresh()} />}
      {imageOf && <CreateImageDialog key={imageOf.id} accountId={account.id} instance={imageOf} onClose={() => setImageOf(undefined)} />}
      {slurmOf && (
        <SlurmDialog accountId={account.id} region={slurmOf.nodes[0]?.region ?? ''} cluster={slurmOf.cluster} nodeCount={slurmOf.nodes.length} onClose={() => setSlurmOf(undefined)} />
      )}
      {nodesOf && (
        <ClusterNodesDialog
          accountId={account.id}
          cluster={nodesOf.cluster}
          nodes={nodesOf.nodes}
          change={nodesOf.change}
          onClose={() => {
            setNodesOf(undefined);
            feed.refresh();
          }}
        />
      )}
      {retypeOf && <ChangeTypeDialog key={retypeOf.id} accountId={account.id} instance={retypeOf} onClose={() => setRetypeOf(undefined)} onChanged={() => feed.refresh()} />}
      {storageOf && <StorageDialog key={storageOf.id} accountId={account.id} instance={storageOf} onClose={() => setStorageOf(undefined)} />}
      {filesFor && <FileBrowserDialog key={filesFor.instanceId} target={filesFor} onClose={() => setFilesFor(undefined)} />}
    </div>
  );
}

const ORDER: readonly InstanceStateName[] = ['running', 'pending', 'stopping', 'stopped', 'shutting-down', 'terminated'];
