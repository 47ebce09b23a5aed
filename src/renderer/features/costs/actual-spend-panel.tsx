import { useEffect, useId, useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { ActualSpend } from '../../../shared/models/costs';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { formatMoney } from './costs-format';

const timeFormat = new Intl.DateTimeFormat(undefined, { month: 'short', day: 'numeric', hour: '2-digit', minute: '2-digit' });

/**
 * Month-to-date spend by service from Cost Explorer. AWS bills each request, so it is asked only when the
 * button is pressed; the last answer (kept by main with its time) is shown until then.
 */
export function ActualSpendPanel({ accountId }: { accountId: string }): ReactNode {
  const [spend, setSpend] = useState<{ accountId: string; value: ActualSpend | undefined }>();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HangarError>();
  const titleId = useId();

  useEffect(() => {
    let live = true;
    api.costs.cachedSpend(accountId).then(
      (value) => live && setSpend({ accountId, value }),
      () => live && setSpend({ accountId, value: undefined }),
    );
    return () => {
      live = false;
    };
  }, [accountId]);

  async function ask(): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      setSpend({ accountId, value: await api.costs.actualSpend(accountId) });
    } catch (caught) {
      setError(toHangarError(caught));
    } finally {
      setBusy(false);
    }
  }

  const value = spend?.accountId === accountId ? spend.value : undefined;
  return (
    <section className="costs-panel" aria-labelledby={titleId}>
      <h2 className="costs-panel__title" id={titleId}>
        Actual spend this month
      </h2>
      {value ? (
        <>
          <p>
            <strong className="ledger-money">{formatMoney(value.total)}</strong> from {value.start} to today, by Cost Explorer (asked {timeFormat.format(new Date(value.fetchedAt))}).
          </p>
          {value.byService.length > 0 && (
            <dl className="spend-list" aria-label="Spend by service">
              {value.byService.map((s) => (
                <div key={s.service} style={{ display: 'contents' }}>
                  <dt>{s.service}</dt>
                  <dd>{formatMoney(s.amount)}</dd>
                </div>
              ))}
            </dl>
          )}
        </>
      ) : (
        <p className="costs-panel__text">What AWS has billed so far this month, service by service.</p>
      )}
      <p className="costs-panel__text">Cost Explorer charges $0.01 for each request, so Hangar asks only when you press the button.</p>
      <div className="costs-panel__row">
        <Button onClick={() => void ask()} disabled={busy}>
          {busy ? 'Asking Cost Explorer…' : value ? 'Refresh actual spend' : 'Actual spend'}
        </Button>
      </div>
      {error && <ErrorNotice title="Could not read the actual spend" error={error} />}
    </section>
  );
}
