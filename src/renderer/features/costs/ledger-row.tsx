import { memo, type ReactNode } from 'react';
import { provenanceLabel, type LedgerRow as Row } from '../../../shared/models/costs';
import { regionDisplayName } from '../../../shared/models/region-names';
import { BILLING_LABELS, formatAge, formatHourly, formatMoney, kindLabel, rowLabel } from './costs-format';
import { LEDGER_COLUMNS, ROW_HEIGHT } from './ledger-columns';
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
  return <span className="ledger-cell__muted">{children}</span>;
}

function costCell(row: Row): ReactNode {
  if (row.monthly === undefined || row.hourly === undefined) return <Muted>price unknown</Muted>;
  const source = row.priceSource === undefined ? undefined : provenanceLabel(row.priceSource);
  return (
    <>
      <span className="ledger-cell__primary ledger-money" title={source === undefined ? undefined : `Prices: ${source}`}>
        {formatMoney(row.monthly)}
      </span>
      <span className="ledger-cell__secondary">
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
        <span className="ledger-cell__primary">up {formatAge(row.runningSince, now)}</span>
        <span className="ledger-cell__secondary">{row.costSinceStart === undefined ? ' ' : `${formatMoney(row.costSinceStart)} so far`}</span>
      </>
    );
  }
  return <span className="ledger-cell__primary">{formatAge(row.createdAt, now)}</span>;
}

const CELL_CLASS: Readonly<Record<LedgerSortKey, string>> = {
  name: 'ledger-cell',
  kind: 'ledger-cell ledger-cell--stack',
  cost: 'ledger-cell ledger-cell--stack',
  region: 'ledger-cell ledger-cell--stack',
  size: 'ledger-cell',
  age: 'ledger-cell ledger-cell--stack',
  hangar: 'ledger-cell',
  billing: 'ledger-cell ledger-cell--stack',
};

/** The content of one cell (in the order of LEDGER_COLUMNS, which the header shares). */
function cellOf(key: LedgerSortKey, row: Row, now: number): ReactNode {
  switch (key) {
    case 'name':
      return rowLabel(row);
    case 'kind':
      return (
        <>
          <span className="ledger-cell__primary">{kindLabel(row)}</span>
          <span className="ledger-cell__secondary">{row.state ?? ' '}</span>
        </>
      );
    case 'cost':
      return costCell(row);
    case 'region':
      return (
        <>
          <span className="ledger-cell__primary">{row.region}</span>
          <span className="ledger-cell__secondary">{regionDisplayName(row.region)}</span>
        </>
      );
    case 'size':
      return (
        <span className="ledger-cell__text" title={row.size}>
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
          <span className="ledger-cell__primary ledger-cell__text" title={row.rate}>
            {row.rate}
          </span>
          <span className="ledger-cell__secondary">{BILLING_LABELS[row.billing]}</span>
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
      className={`ledger-row${selected ? ' ledger-row--selected' : ''}${active ? ' ledger-row--active' : ''}`}
      style={{ top: index * ROW_HEIGHT }}
      onMouseDown={() => onActivate(row.key)}
    >
      <div role="gridcell" className="ledger-cell ledger-cell--select ledger-cell--sticky">
        <input
          type="checkbox"
          className="ledger-checkbox"
          checked={selected}
          tabIndex={-1}
          aria-label={`Select ${label}`}
          onClick={(event) => {
            event.stopPropagation();
            onToggle(row.key, event.shiftKey);
          }}
          onChange={() => undefined}
        />
      </div>
      <div role="gridcell" className="ledger-cell ledger-cell--sticky ledger-cell--name ledger-cell--stack">
        <span className="ledger-cell__primary ledger-cell__text" title={label}>
          {label}
        </span>
        <span className="ledger-cell__secondary mono ledger-cell__text">{row.name !== undefined ? row.id : (accountLabel ?? ' ')}</span>
      </div>
      {LEDGER_COLUMNS.slice(1).map((column) => (
        <div key={column.key} role="gridcell" className={CELL_CLASS[column.key]}>
          {cellOf(column.key, row, now)}
        </div>
      ))}
    </div>
  );
});
