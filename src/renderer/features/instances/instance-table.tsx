import { useEffect, useState, type CSSProperties, type ReactNode } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { gridTemplate, ROW_HEIGHT, tableWidth } from '../../components/virtual-grid/grid-columns';
import { GridHeader } from '../../components/virtual-grid/grid-header';
import { useVirtualGrid } from '../../components/virtual-grid/use-virtual-grid';
import '../../components/virtual-grid/virtual-grid.css';
import { useScreenSlots } from '../../state/screen-slots';
import { useInstanceDrop } from './instance-drop';
import { useInstanceColumns } from './instance-columns-store';
import type { SortKey, SortOrder } from './instance-query';
import { InstanceRow, rowDomId } from './instance-row';
import { useWaysIn } from './use-ways-in';
import type { InstanceTypes } from './use-instance-types';

const keyOf = (instance: InstanceSummary): string => instance.id;
/** The benchmark reads this mark: the first commit that put instance rows on screen. */
export const RENDERED_MARK = 'hangar:instances-rendered';

export interface InstanceTableProps {
  /** Sorted and filtered. */
  rows: readonly InstanceSummary[];
  selection: ReadonlySet<string>;
  onSelectionChange: (next: ReadonlySet<string>) => void;
  sort: SortOrder;
  onSort: (key: SortKey) => void;
  types: InstanceTypes;
  now: number;
  onCopied: (message: string) => void;
  onConnect: (instance: InstanceSummary, access?: 'instance-connect' | 'session-manager') => void;
  onConnectionSettings: (instance: InstanceSummary) => void;
  onFiles?: (instance: InstanceSummary) => void;
  /** Opens the instance's CPU and network graph. */
  onMetrics?: (instance: InstanceSummary) => void;
  onWindowsPassword?: (instance: InstanceSummary) => void;
  onDetails?: (instance: InstanceSummary) => void;
  /** Brings this instance into view and makes it the active row (a reminder or notification was clicked); `seq` repeats it. */
  reveal?: { readonly id: string; readonly seq: number } | undefined;
  /** Files dropped on a running instance's row upload there (issue 5). */
  accountId: string;
}

/**
 * The instances as a virtual grid (components/virtual-grid): only the rows in view exist in the DOM,
 * however many instances there are. One Tab stop; arrows move the active row (aria-activedescendant),
 * Space selects, Ctrl+A selects all. Files dropped on a row upload there; a reminder can reveal a row.
 */
export function InstanceTable({ rows, selection, onSelectionChange, sort, onSort, types, now, onCopied, onConnect, onConnectionSettings, onFiles, onMetrics, onWindowsPassword, onDetails, reveal, accountId }: InstanceTableProps): ReactNode {
  const [activeId, setActiveId] = useState<string>();
  const { uploads } = useScreenSlots();
  const drop = useInstanceDrop(accountId, rows, rowDomId, uploads);
  const ways = useWaysIn(accountId, rows);
  const columns = useInstanceColumns();
  const { scrollerRef, selectAllRef, visible, first, activeRendered, allShown, toggle, activate, scrollIntoView, toggleAll, handlers } = useVirtualGrid({ rows, keyOf, selection, onSelectionChange, activeKey: activeId, onActiveChange: setActiveId, renderedMark: RENDERED_MARK });

  // A reminder or a notification asked to show this instance: scroll to it and make it the active row.
  // Once per request (seq); a row that arrives later than the request is revealed when it arrives.
  const revealIndex = reveal === undefined ? -1 : rows.findIndex((row) => row.id === reveal.id);
  const [revealed, setRevealed] = useState<number>();
  if (reveal !== undefined && revealIndex !== -1 && revealed !== reveal.seq) {
    setRevealed(reveal.seq);
    setActiveId(reveal.id);
  }
  useEffect(() => {
    if (revealed !== undefined && revealIndex !== -1) scrollIntoView(revealIndex);
    // Scrolled when a request is taken, not on every later move of the row.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [revealed]);

  const style = { '--grid-template': gridTemplate(columns), '--table-width': `${tableWidth(columns)}px` } as CSSProperties;

  return (
    <div
      ref={scrollerRef}
      className="vgrid instance-grid"
      role="grid"
      aria-label="Instances"
      aria-rowcount={rows.length + 1}
      aria-colcount={columns.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={activeRendered && activeId ? rowDomId(activeId) : undefined}
      tabIndex={0}
      style={style}
      {...drop.handlers}
      {...handlers}
    >
      <GridHeader
        columns={columns}
        sort={sort}
        onSort={onSort}
        selectAllRef={selectAllRef}
        selectAllLabel="Select all shown instances"
        allShown={allShown}
        empty={rows.length === 0}
        onToggleAll={toggleAll}
      />
      <div role="rowgroup" className="vgrid__body" style={{ height: rows.length * ROW_HEIGHT }}>
        {visible.map((instance, offset) => (
          <InstanceRow
            key={instance.id}
            instance={instance}
            index={first + offset}
            selected={selection.has(instance.id)}
            active={instance.id === activeId}
            typeEntry={types.entry(instance.region, instance.type)}
            now={now}
            onToggle={toggle}
            onActivate={activate}
            onCopied={onCopied}
            onConnect={onConnect}
            onConnectionSettings={onConnectionSettings}
            onFiles={onFiles}
            onMetrics={onMetrics}
            onWindowsPassword={onWindowsPassword}
            onDetails={onDetails}
            dropHint={drop.over?.instanceId === instance.id ? drop.over.hint : undefined}
            accountId={accountId}
            columns={columns}
            ways={ways.get(instance.id)}
          />
        ))}
      </div>
    </div>
  );
}
