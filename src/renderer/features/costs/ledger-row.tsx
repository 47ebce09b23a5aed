import { memo, type ReactNode } from 'react';
import { provenanceLabel, type LedgerRow as Row } from '../../../shared/models/costs';
import { regionDisplayName } from '../../../shared/models/region-names';
import { BILLING_LABELS, formatAge, formatHourly, formatMoney, kindLabel, rowLabel } from './costs-format';
import { ROW_HEIGHT } from '../../components/virtual-grid/grid-columns';
import { GridSelectCell } from '../../components/virtual-grid/grid-select-cell';
import { LEDGER_COLUMNS } from './ledger-columns';
import type { LedgerSortKey } from './ledger-query';

export interface LedgerRowProps {
  row: Row;
  index: number;
  selected: boolean;
  active: boolean;
  now: number;
  /** Several accounts on screen: say whose each row is. */
  accountLabel: string | undefined;
  onToggle: (key: string, range: boolean) => void;
  onActivate: (key: string) => void;
}

export function ledgerRowDomId(key: string): string {
  return `ledger-row-${key.replace(/[^A-Za-z0-9_-]/g, '_')}`;
}

function Muted({ children }: { children: ReactNode }): ReactNode {
  return <span className="cell__muted">{children}</span>;
}

function costCell(row: Row): ReactNode {
  if (row.monthly === undefined || row.hourly === undefined) return <Muted>price unknown</Muted>;
  const source = row.priceSource === undefined ? undefined : provenanceLabel(row.priceSource);
  return (
    <>
      <span className="cell__primary ledger-money" title={source === undefined ? undefined : `Prices: ${source}`}>
        {formatMoney(row.monthly)}
      </span>
      <span className="cell__secondary">
        {formatHourly(row.hourly)}
        {row.priceSource?.source === 'bundled' ? ' · approx.' : ''}
      </span>
    </>
  );
}

function ageCell(row: Row, now: number): ReactNode {
  if (row.runningSince !== undefined) {
    return (
      <>
        <span className="cell__primary">up {formatAge(row.runningSince, now)}</span>
        <span className="cell__secondary">{row.costSinceStart === undefined ? ' ' : `${formatMoney(row.costSinceStart)} so far`}</span>
      </>
    );
  }
  return <span className="cell__primary">{formatAge(row.createdAt, now)}</span>;
}

const CELL_CLASS: Readonly<Record<LedgerSortKey, string>> = {
  name: 'cell',
  kind: 'cell cell--stack',
  cost: 'cell cell--stack',
  region: 'cell cell--stack',
  size: 'cell',
  age: 'cell cell--stack',
  hangar: 'cell',
  billing: 'cell cell--stack',
};

/** The content of one cell (in the order of LEDGER_COLUMNS, which the header shares). */
function cellOf(key: LedgerSortKey, row: Row, now: number): ReactNode {
  switch (key) {
    case 'name':
      return rowLabel(row);
    case 'kind':
      return (
        <>
          <span className="cell__primary">{kindLabel(row)}</span>
          <span className="cell__secondary">{row.state ?? ' '}</span>
        </>
      );
    case 'cost':
      return costCell(row);
    case 'region':
      return (
        <>
          <span className="cell__primary">{row.region}</span>
          <span className="cell__secondary">{regionDisplayName(row.region)}</span>
        </>
      );
    case 'size':
      return (
        <span className="cell__text" title={row.size}>
          {row.size}
        </span>
      );
    case 'age':
      return ageCell(row, now);
    case 'hangar':
      return row.createdByHangar ? <span className="hangar-tag">Hangar</span> : <Muted>—</Muted>;
    case 'billing':
      return (
        <>
          <span className="cell__primary cell__text" title={row.rate}>
            {row.rate}
          </span>
          <span className="cell__secondary">{BILLING_LABELS[row.billing]}</span>
        </>
      );
  }
}

/** One ledger row; memoised so a scroll or a streamed region re-renders only rows that changed. */
export const LedgerRow = memo(function LedgerRow({ row, index, selected, active, now, accountLabel, onToggle, onActivate }: LedgerRowProps): ReactNode {
  const label = rowLabel(row);
  return (
    <div
      role="row"
      id={ledgerRowDomId(row.key)}
      aria-rowindex={index + 2}
      aria-selected={selected}
      className={`grid-row${selected ? ' grid-row--selected' : ''}${active ? ' grid-row--active' : ''}`}
      style={{ top: index * ROW_HEIGHT }}
      onMouseDown={() => onActivate(row.key)}
    >
      <GridSelectCell label={label} selected={selected} onToggle={(range) => onToggle(row.key, range)} />
      <div role="gridcell" className="cell cell--sticky cell--name cell--stack">
        <span className="cell__primary cell__text" title={label}>
          {label}
        </span>
        <span className="cell__secondary mono cell__text">{row.name !== undefined ? row.id : (accountLabel ?? ' ')}</span>
      </div>
      {LEDGER_COLUMNS.slice(1).map((column) => (
        <div key={column.key} role="gridcell" className={CELL_CLASS[column.key]}>
          {cellOf(column.key, row, now)}
        </div>
      ))}
    </div>
  );
});
