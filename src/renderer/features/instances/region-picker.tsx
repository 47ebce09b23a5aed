import { useId, type ReactNode } from 'react';
import type { RegionSummary } from '../../../shared/models/ec2';
import { regionDisplayName } from '../../../shared/models/region-names';
import type { RegionEntry, RegionView } from './instances-feed';

export interface RegionPickerProps {
  value: RegionView;
  onChange: (view: RegionView) => void;
  /** Undefined while DescribeRegions has not answered. */
  regions: readonly RegionSummary[] | undefined;
  /** What is known per region so far (counts come from here). */
  entries: ReadonlyMap<string, RegionEntry>;
}

function countOf(entry: RegionEntry | undefined): string {
  if (!entry) return '';
  if (entry.instances) return ` (${entry.instances.length})`;
  if (entry.error) return ' (failed)';
  return '';
}

/**
 * A native select (keyboard, type-ahead and screen readers for free): All regions first, then each
 * enabled region by its readable name, with how many instances it holds once that is known.
 */
export function RegionPicker({ value, onChange, regions, entries }: RegionPickerProps): ReactNode {
  const id = useId();
  const list = regions ?? [];
  // The chosen region is always an option, even before the list arrives.
  const names = list.some((region) => region.name === value) || value === 'all' ? list.map((region) => region.name) : [value, ...list.map((region) => region.name)];
  const known = [...entries.values()].filter((entry) => entry.instances !== undefined);
  const total = known.reduce((sum, entry) => sum + (entry.instances?.length ?? 0), 0);
  const withInstances = known.filter((entry) => (entry.instances?.length ?? 0) > 0).length;
  const allLabel =
    known.length === 0 ? 'All regions' : `All regions (${total} in ${withInstances} ${withInstances === 1 ? 'region' : 'regions'})`;

  return (
    <div className="region-picker">
      <label className="region-picker__label" htmlFor={id}>
        Region
      </label>
      <select id={id} className="select region-picker__select" value={value} onChange={(event) => onChange(event.target.value)}>
        <option value="all">{allLabel}</option>
        {names.map((name) => (
          <option key={name} value={name}>
            {`${regionDisplayName(name) === name ? name : `${regionDisplayName(name)} · ${name}`}${countOf(entries.get(name))}`}
          </option>
        ))}
      </select>
    </div>
  );
}
