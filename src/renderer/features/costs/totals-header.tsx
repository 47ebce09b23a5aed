import type { ReactNode } from 'react';
import { ledgerTotals, provenanceLabel, totalsByRegion, type LedgerRow } from '../../../shared/models/costs';
import { regionDisplayName } from '../../../shared/models/region-names';
import { plural } from '../../components/format';
import { formatHourly, formatMoney } from './costs-format';

/** Where the prices on screen came from, in one sentence. */
function priceNote(rows: readonly LedgerRow[]): string | undefined {
  const bundled = rows.find((r) => r.priceSource?.source === 'bundled')?.priceSource;
  if (bundled) return `Some prices are Hangar’s own (${provenanceLabel(bundled)}), approximate, because the AWS Price List could not be read.`;
  const fetched = rows.flatMap((r) => (r.priceSource?.source === 'price-list' ? [r.priceSource.fetchedAt] : [])).sort()[0];
  return fetched === undefined ? undefined : `Prices from the AWS Price List (Linux on-demand; spot instances at their spot price), fetched ${fetched.slice(0, 10)} or later.`;
}

/** Burn rate now, per day and per month at this rate; the same per region. */
export function TotalsHeader({ rows, loading }: { rows: readonly LedgerRow[]; loading: boolean }): ReactNode {
  const totals = ledgerTotals(rows);
  const regions = totalsByRegion(rows).filter((r) => r.totals.hourly > 0);
  const note = priceNote(rows);
  return (
    <section className="costs-totals" aria-label="Totals">
      <div className="costs-totals__figure">
        <span className="costs-totals__value" aria-label={`Now: ${formatHourly(totals.hourly)}`}>
          {formatHourly(totals.hourly)}
        </span>
        <span className="costs-totals__label">now{loading ? ' (still counting)' : ''}</span>
      </div>
      <div className="costs-totals__figure">
        <span className="costs-totals__value" aria-label={`Per day: ${formatMoney(totals.daily)}`}>
          {formatMoney(totals.daily)}
        </span>
        <span className="costs-totals__label">per day</span>
      </div>
      <div className="costs-totals__figure">
        <span className="costs-totals__value" aria-label={`Per month: ${formatMoney(totals.monthly)}`}>
          {formatMoney(totals.monthly)}
        </span>
        <span className="costs-totals__label">per month at this rate</span>
      </div>
      {regions.length > 0 && (
        <ul className="region-totals" aria-label="Per region">
          {regions.map(({ region, totals: t }) => (
            <li key={region} className="region-totals__item" aria-label={`${region}: ${formatHourly(t.hourly)}, ${formatMoney(t.monthly)} per month`} title={regionDisplayName(region)}>
              <span className="region-totals__region">{region}</span>
              <span>{formatHourly(t.hourly)}</span>
              <span>{formatMoney(t.monthly)}/mo</span>
            </li>
          ))}
        </ul>
      )}
      {(note !== undefined || totals.unpriced > 0) && (
        <p className="costs-totals__note">
          {note}
          {totals.unpriced > 0 ? ` ${plural(totals.unpriced, 'row')} without a known price ${totals.unpriced === 1 ? 'is' : 'are'} not in the totals.` : ''}
        </p>
      )}
    </section>
  );
}
