import type { ReactNode, RefObject } from 'react';
import { ExtraIcons } from '../extra-icons';
import type { GridColumn } from './grid-columns';

export interface GridHeaderProps<K extends string> {
  columns: readonly GridColumn<K>[];
  sort: { readonly key: K; readonly direction: 'ascending' | 'descending' };
  onSort: (key: K) => void;
  selectAllRef: RefObject<HTMLInputElement | null>;
  /** e.g. "Select all shown instances". */
  selectAllLabel: string;
  allShown: boolean;
  empty: boolean;
  onToggleAll: () => void;
}

/** A virtual grid's sticky header: select-all, then a sort button per column (aria-sort on the header). */
export function GridHeader<K extends string>({ columns, sort, onSort, selectAllRef, selectAllLabel, allShown, empty, onToggleAll }: GridHeaderProps<K>): ReactNode {
  return (
    <div role="rowgroup" className="vgrid__head">
      <div role="row" aria-rowindex={1} className="grid-row grid-row--head">
        <div role="columnheader" className="cell cell--select cell--sticky">
          <input ref={selectAllRef} type="checkbox" className="checkbox" tabIndex={-1} aria-label={selectAllLabel} checked={allShown} disabled={empty} onChange={onToggleAll} />
        </div>
        {columns.map((column) => {
          const sorted = sort.key === column.key;
          return (
            <div key={column.key} role="columnheader" aria-sort={sorted ? sort.direction : 'none'} className={`cell cell--head${column.sticky ? ' cell--sticky cell--name' : ''}`}>
              <button type="button" className="sort-button" onClick={() => onSort(column.key)}>
                <span>{column.label}</span>
                {sorted &&
                  (sort.direction === 'ascending' ? (
                    <ExtraIcons.sortUp size={14} className="sort-button__icon" />
                  ) : (
                    <ExtraIcons.sortDown size={14} className="sort-button__icon" />
                  ))}
              </button>
            </div>
          );
        })}
      </div>
    </div>
  );
}
