import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { Button } from '../../components/button';
import { COLUMNS } from './instance-columns';
import { instanceColumnsStore, useInstanceColumns } from './instance-columns-store';

/**
 * Which of the Instances table's columns show. The default fits the default window (name, state, type,
 * region, price); the rest are a click away, and the choice is remembered.
 */
export function ColumnPicker(): ReactNode {
  const shown = useInstanceColumns();
  const [open, setOpen] = useState(false);
  const panelId = useId();
  const root = useRef<HTMLDivElement>(null);

  useEffect(() => {
    if (!open) return;
    const outside = (event: MouseEvent): void => {
      if (!root.current?.contains(event.target as Node)) setOpen(false);
    };
    document.addEventListener('mousedown', outside);
    return () => document.removeEventListener('mousedown', outside);
  }, [open]);

  return (
    <div
      className="column-picker"
      ref={root}
      onKeyDown={(event) => {
        if (event.key !== 'Escape' || !open) return;
        event.preventDefault();
        setOpen(false);
        root.current?.querySelector('button')?.focus();
      }}
    >
      <Button size="s" aria-expanded={open} aria-controls={panelId} title="Choose the table's columns" onClick={() => setOpen((was) => !was)}>
        Columns
      </Button>
      {open && (
        <fieldset className="column-picker__panel" id={panelId}>
          <legend className="column-picker__title">Show columns</legend>
          {COLUMNS.map((column) => (
            <label key={column.key} className="column-picker__item">
              <input
                type="checkbox"
                className="checkbox"
                checked={column.sticky === true || shown.some((c) => c.key === column.key)}
                disabled={column.sticky === true}
                onChange={(event) => instanceColumnsStore.toggle(column.key, event.target.checked)}
              />
              {column.label}
            </label>
          ))}
        </fieldset>
      )}
    </div>
  );
}
