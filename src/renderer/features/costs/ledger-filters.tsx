import { useId, type ReactNode } from 'react';
import { LEDGER_KIND_LABELS, LEDGER_KINDS, type LedgerKind } from '../../../shared/models/costs';
import { regionDisplayName } from '../../../shared/models/region-names';
import { Button } from '../../components/button';
import { NO_FILTERS, type LedgerFilters as Filters } from './ledger-query';

export interface LedgerFiltersProps {
  filters: Filters;
  onChange: (next: Filters) => void;
  /** Regions that have rows. */
  regions: readonly string[];
  /** Rows of each kind (before filtering), shown on the chips. */
  counts: ReadonlyMap<LedgerKind, number>;
}

/** Kind chips (toggle buttons), a region picker, "created by Hangar" and "older than N days". */
export function LedgerFilters({ filters, onChange, regions, counts }: LedgerFiltersProps): ReactNode {
  const regionId = useId();
  const daysId = useId();
  const active = filters.kinds.length > 0 || filters.region !== 'all' || filters.hangarOnly || filters.olderThanDays !== undefined;
  const toggleKind = (kind: LedgerKind): void =>
    onChange({ ...filters, kinds: filters.kinds.includes(kind) ? filters.kinds.filter((k) => k !== kind) : [...filters.kinds, kind] });
  return (
    <div className="ledger-filters" role="group" aria-label="Filters">
      <div className="ledger-filters__kinds" role="group" aria-label="Kind">
        {LEDGER_KINDS.filter((kind) => (counts.get(kind) ?? 0) > 0 || filters.kinds.includes(kind)).map((kind) => (
          <button key={kind} type="button" className="ledger-chip" aria-pressed={filters.kinds.includes(kind)} onClick={() => toggleKind(kind)}>
            {LEDGER_KIND_LABELS[kind]} ({counts.get(kind) ?? 0})
          </button>
        ))}
      </div>
      <span className="ledger-filters__inline">
        <label htmlFor={regionId}>Region</label>
        <select id={regionId} className="select" value={filters.region} onChange={(event) => onChange({ ...filters, region: event.target.value })}>
          <option value="all">All regions</option>
          {regions.map((region) => (
            <option key={region} value={region}>
              {regionDisplayName(region)} · {region}
            </option>
          ))}
        </select>
      </span>
      <label className="ledger-filters__inline">
        <input type="checkbox" checked={filters.hangarOnly} onChange={(event) => onChange({ ...filters, hangarOnly: event.target.checked })} />
        Created by Hangar
      </label>
      <span className="ledger-filters__inline">
        <label htmlFor={daysId}>Older than</label>
        <input
          id={daysId}
          className="field__input ledger-filters__days"
          type="number"
          min={0}
          step={1}
          inputMode="numeric"
          value={filters.olderThanDays ?? ''}
          onChange={(event) => {
            const n = Number(event.target.value);
            onChange({ ...filters, olderThanDays: event.target.value === '' || !Number.isFinite(n) || n < 0 ? undefined : Math.floor(n) });
          }}
        />
        <span>days</span>
      </span>
      {active && (
        <Button size="s" variant="ghost" onClick={() => onChange(NO_FILTERS)}>
          Clear filters
        </Button>
      )}
    </div>
  );
}
