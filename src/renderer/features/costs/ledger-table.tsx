import type { CSSProperties, ReactNode } from 'react';
import type { LedgerRow as Row } from '../../../shared/models/costs';
import { ROW_HEIGHT } from '../../components/virtual-grid/grid-columns';
import { GridHeader } from '../../components/virtual-grid/grid-header';
import { useVirtualGrid } from '../../components/virtual-grid/use-virtual-grid';
import '../../components/virtual-grid/virtual-grid.css';
import { LEDGER_COLUMNS, LEDGER_GRID_TEMPLATE, LEDGER_TABLE_WIDTH } from './ledger-columns';
import type { LedgerSort, LedgerSortKey } from './ledger-query';
import { LedgerRow, ledgerRowDomId } from './ledger-row';

/** The first commit that put ledger rows on screen (a benchmark may read it). */
export const LEDGER_RENDERED_MARK = 'hangar:ledger-rendered';

const keyOf = (row: Row): string => row.key;

export interface LedgerTableProps {
  /** Filtered and sorted. */
  rows: readonly Row[];
  selection: ReadonlySet<string>;
  onSelectionChange: (next: ReadonlySet<string>) => void;
  sort: LedgerSort;
  onSort: (key: LedgerSortKey) => void;
  now: number;
  /** The row the keyboard (or a click) is on, for the details under the table. */
  activeKey: string | undefined;
  onActiveChange: (key: string | undefined) => void;
  accountLabel: (accountId: string) => string | undefined;
}

/**
 * The ledger as a virtual grid (components/virtual-grid): only the rows in view exist in the DOM however
 * many thousands there are. One Tab stop; arrows, Page Up/Down, Home/End move the active row, Space
 * selects (Shift for a range), Ctrl+A selects every shown row, Escape clears.
 */
export function LedgerTable({ rows, selection, onSelectionChange, sort, onSort, now, activeKey, onActiveChange, accountLabel }: LedgerTableProps): ReactNode {
  const { scrollerRef, selectAllRef, visible, first, activeRendered, allShown, toggle, activate, toggleAll, handlers } = useVirtualGrid({ rows, keyOf, selection, onSelectionChange, activeKey, onActiveChange, renderedMark: LEDGER_RENDERED_MARK });
  const style = { '--grid-template': LEDGER_GRID_TEMPLATE, '--table-width': `${LEDGER_TABLE_WIDTH}px` } as CSSProperties;

  return (
    <div
      ref={scrollerRef}
      className="vgrid ledger-grid"
      role="grid"
      aria-label="Costs ledger"
      aria-rowcount={rows.length + 1}
      aria-colcount={LEDGER_COLUMNS.length + 1}
      aria-multiselectable="true"
      aria-activedescendant={activeRendered && activeKey ? ledgerRowDomId(activeKey) : undefined}
      tabIndex={0}
      style={style}
      {...handlers}
    >
      <GridHeader
        columns={LEDGER_COLUMNS}
        sort={sort}
        onSort={onSort}
        selectAllRef={selectAllRef}
        selectAllLabel="Select all shown rows"
        allShown={allShown}
        empty={rows.length === 0}
        onToggleAll={toggleAll}
      />
      <div role="rowgroup" className="vgrid__body" style={{ height: rows.length * ROW_HEIGHT }}>
        {visible.map((row, offset) => (
          <LedgerRow
            key={row.key}
            row={row}
            index={first + offset}
            selected={selection.has(row.key)}
            active={row.key === activeKey}
            now={now}
            accountLabel={accountLabel(row.accountId)}
            onToggle={toggle}
            onActivate={activate}
          />
        ))}
      </div>
    </div>
  );
}
