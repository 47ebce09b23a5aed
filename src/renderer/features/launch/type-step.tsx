import { useMemo, useState, type ReactNode } from 'react';
import { provenanceLabel } from '../../../shared/models/costs';
import { PRICES_AS_OF } from '../../../shared/models/instance-prices';
import type { LaunchImage, LaunchTypeOption, RegionScope, VcpuQuotaInfo } from '../../../shared/models/launch';
import { api } from '../../api/api-client';
import { ErrorNotice } from '../../components/error-notice';
import { formatMemory, formatPrice } from './launch-format';
import { useRemote, type Remote } from './use-remote';

export interface TypeStepProps {
  scope: RegionScope;
  image: LaunchImage;
  types: Remote<LaunchTypeOption[]>;
  selected: LaunchTypeOption | undefined;
  spot: boolean;
  onSelect: (type: LaunchTypeOption) => void;
}

function QuotaNote({ scope, type, spot }: { scope: RegionScope; type: LaunchTypeOption; spot: boolean }): ReactNode {
  const quota = useRemote<VcpuQuotaInfo>(`${scope.accountId}/${scope.region}/${type.instanceType}/${spot}`, () =>
    api.launch.vcpuQuota(scope, type.instanceType, spot),
  );
  if (quota.status === 'loading') return <p className="launch-note">Reading your vCPU quota for {type.family}…</p>;
  if (quota.status === 'failed') return <ErrorNotice error={quota.error} title="Could not read the vCPU quota" />;
  const short = quota.value.limit !== undefined && quota.value.limit < type.vcpus;
  return (
    <p className={`launch-callout${short ? ' launch-callout--warn' : ''}`} role="note">
      {type.instanceType} needs {type.vcpus} vCPUs. {quota.value.hint}
    </p>
  );
}

/** Types offered in the region for the image's architecture, cheapest first, with filters. */
export function TypeStep({ scope, image, types, selected, spot, onSelect }: TypeStepProps): ReactNode {
  const [gpuOnly, setGpuOnly] = useState(image.gpu);
  const [freeOnly, setFreeOnly] = useState(false);
  const [family, setFamily] = useState('');
  const [sort, setSort] = useState<'price' | 'name'>('price');

  const families = useMemo(() => [...new Set((types.value ?? []).map((t) => t.family))].sort(), [types.value]);
  const rows = useMemo(() => {
    const list = (types.value ?? []).filter((t) => (!gpuOnly || t.gpus > 0) && (!freeOnly || t.freeTier) && (family === '' || t.family === family));
    return sort === 'name' ? [...list].sort((a, b) => a.instanceType.localeCompare(b.instanceType, undefined, { numeric: true })) : list;
  }, [types.value, gpuOnly, freeOnly, family, sort]);

  if (types.status === 'loading') {
    return (
      <p className="busy-line" role="status">
        <span className="spinner" aria-hidden="true" /> Listing {image.architecture} instance types offered in {scope.region}…
      </p>
    );
  }
  if (types.status === 'failed') return <ErrorNotice title="Could not list instance types" error={types.error} onRetry={types.reload} />;

  return (
    <div className="launch-step">
      <p className="launch-note">
        Only {image.architecture} types run {image.presetLabel ?? image.name}. {priceNote(types.value ?? [])}
      </p>
      <div className="launch-filters" role="group" aria-label="Filter instance types">
        <label className="launch-check">
          <input type="checkbox" checked={gpuOnly} onChange={(event) => setGpuOnly(event.target.checked)} /> GPU only
        </label>
        <label className="launch-check">
          <input type="checkbox" checked={freeOnly} onChange={(event) => setFreeOnly(event.target.checked)} /> Free tier
        </label>
        <label className="launch-check">
          Family
          <select className="select select--small" value={family} onChange={(event) => setFamily(event.target.value)} aria-label="Family">
            <option value="">All</option>
            {families.map((f) => (
              <option key={f} value={f}>
                {f}
              </option>
            ))}
          </select>
        </label>
        <label className="launch-check">
          Sort
          <select className="select select--small" value={sort} onChange={(event) => setSort(event.target.value as 'price' | 'name')} aria-label="Sort by">
            <option value="price">Price</option>
            <option value="name">Name</option>
          </select>
        </label>
      </div>
      {rows.length === 0 ? (
        <p className="launch-note" role="status">
          No {image.architecture} type matches these filters here. Clear a filter{gpuOnly ? ', or pick an image of the other architecture for more GPU types' : ''}.
        </p>
      ) : (
        <div className="launch-table-wrap">
          <table className="launch-table" aria-label="Instance types">
            <thead>
              <tr>
                <th scope="col">
                  <span className="visually-hidden">Choose</span>
                </th>
                <th scope="col">Type</th>
                <th scope="col">vCPU</th>
                <th scope="col">Memory</th>
                <th scope="col">GPU</th>
                <th scope="col">Per hour</th>
                <th scope="col">Per day</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((t) => (
                <tr key={t.instanceType} className={selected?.instanceType === t.instanceType ? 'launch-table__row--checked' : undefined} onClick={() => onSelect(t)}>
                  <td>
                    <input type="radio" name="launch-type" aria-label={t.instanceType} checked={selected?.instanceType === t.instanceType} onChange={() => onSelect(t)} />
                  </td>
                  <td className="mono">
                    {t.instanceType} {t.freeTier && <span className="badge badge--free">Free tier</span>}
                  </td>
                  <td>{t.vcpus}</td>
                  <td>{formatMemory(t.memoryMiB)}</td>
                  <td>{t.gpus > 0 ? `${t.gpus} × ${t.gpuModel ?? 'GPU'}` : '—'}</td>
                  <td>{formatPrice(t.pricePerHour)}</td>
                  <td>{t.pricePerHour === undefined ? '—' : formatPrice(t.pricePerHour * 24, 'day')}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {selected && selected.gpus > 0 && <QuotaNote scope={scope} type={selected} spot={spot} />}
    </div>
  );
}

/** Where the prices in the list come from: the AWS Price List, or (approximate) Hangar's bundled table. */
function priceNote(types: readonly LaunchTypeOption[]): string {
  const live = types.find((t) => t.priceSource?.source === 'price-list')?.priceSource;
  if (live) return `Prices are Linux on-demand prices (${provenanceLabel(live)}).`;
  return `Prices are approximate Linux on-demand list prices (bundled, as of ${PRICES_AS_OF}).`;
}
