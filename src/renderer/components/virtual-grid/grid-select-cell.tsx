import type { ReactNode } from 'react';

export interface GridSelectCellProps {
  /** The row's name, for "Select …". */
  label: string;
  selected: boolean;
  /** `range`: Shift was held (select from the last toggled row). */
  onToggle: (range: boolean) => void;
}

/** A virtual grid row's sticky checkbox; out of the Tab order (the grid is one Tab stop; Space selects). */
export function GridSelectCell({ label, selected, onToggle }: GridSelectCellProps): ReactNode {
  return (
    <div role="gridcell" className="cell cell--select cell--sticky">
      <input
        type="checkbox"
        className="checkbox"
        checked={selected}
        tabIndex={-1}
        aria-label={`Select ${label}`}
        onClick={(event) => {
          event.stopPropagation();
          onToggle(event.shiftKey);
        }}
        onChange={() => undefined}
      />
    </div>
  );
}
