import { useEffect, useId, useState, type FormEvent, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { BUDGET_THRESHOLDS, parseBudgetAmount, type BudgetInfo } from '../../../shared/models/costs';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { formatMoney } from './costs-format';

type Loaded = { readonly accountId: string } & ({ readonly status: 'ready'; readonly budget: BudgetInfo | undefined } | { readonly status: 'failed'; readonly error: HangarError });

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

/** Hangar's monthly cost budget (AWS Budgets): its state, and a form to create or change it. */
export function BudgetPanel({ accountId }: { accountId: string }): ReactNode {
  const [loaded, setLoaded] = useState<Loaded>();
  const [attempt, setAttempt] = useState(0);
  const [editing, setEditing] = useState(false);
  const [amount, setAmount] = useState('');
  const [email, setEmail] = useState('');
  const [fieldErrors, setFieldErrors] = useState<{ amount?: string; email?: string }>({});
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<HangarError>();
  const titleId = useId();

  useEffect(() => {
    let live = true;
    api.costs.budget(accountId).then(
      (budget) => live && setLoaded({ accountId, status: 'ready', budget }),
      (error: unknown) => live && setLoaded({ accountId, status: 'failed', error: toHangarError(error) }),
    );
    return () => {
      live = false;
    };
  }, [accountId, attempt]);

  const current = loaded?.accountId === accountId ? loaded : undefined;
  const budget = current?.status === 'ready' ? current.budget : undefined;

  function startEditing(): void {
    setAmount(budget ? String(budget.amount) : '');
    setEmail(budget?.emails[0] ?? '');
    setFieldErrors({});
    setSaveError(undefined);
    setEditing(true);
  }

  async function save(event: FormEvent): Promise<void> {
    event.preventDefault();
    // Refused here, at the field, before anything is sent (main checks again).
    const parsed = parseBudgetAmount(amount);
    const errors = { ...('error' in parsed ? { amount: parsed.error } : {}), ...(EMAIL.test(email.trim()) ? {} : { email: 'Enter the e-mail address the alerts go to, e.g. me@example.com.' }) };
    setFieldErrors(errors);
    if ('error' in parsed || errors.email) return;
    setSaving(true);
    setSaveError(undefined);
    try {
      const saved = await api.costs.saveBudget({ accountId, amount: parsed.amount, email: email.trim() });
      setLoaded({ accountId, status: 'ready', budget: saved });
      setEditing(false);
    } catch (caught) {
      setSaveError(toHangarError(caught));
    } finally {
      setSaving(false);
    }
  }

  const form = (
    <form className="budget-form" onSubmit={(event) => void save(event)} noValidate aria-label={budget ? 'Change the monthly budget' : 'Create a monthly budget'}>
      <Field
        label="Monthly budget (USD)"
        value={amount}
        onChange={(value) => {
          setAmount(value);
          if (fieldErrors.amount) setFieldErrors({ ...fieldErrors, amount: undefined });
        }}
        inputMode="decimal"
        placeholder="50"
        error={fieldErrors.amount}
      />
      <Field label="Alert e-mail" value={email} onChange={setEmail} type="email" placeholder="me@example.com" error={fieldErrors.email} />
      <p className="costs-panel__text">AWS e-mails this address when actual spend passes {BUDGET_THRESHOLDS.join(' %, ')} % of the amount. The budget is named “Hangar monthly budget” and tagged as Hangar’s.</p>
      <div className="costs-panel__row">
        <Button type="submit" variant="primary" disabled={saving}>
          {saving ? 'Saving…' : budget ? 'Save budget' : 'Create budget'}
        </Button>
        {budget && (
          <Button variant="ghost" onClick={() => setEditing(false)}>
            Cancel
          </Button>
        )}
      </div>
      {saveError && <ErrorNotice title="The budget was not saved" error={saveError} />}
    </form>
  );

  return (
    <section className="costs-panel" aria-labelledby={titleId}>
      <h2 className="costs-panel__title" id={titleId}>
        Monthly budget
      </h2>
      {current === undefined && (
        <p className="busy-line" role="status">
          <span className="spinner" aria-hidden="true" />
          Loading the budget…
        </p>
      )}
      {current?.status === 'failed' && <ErrorNotice title="Could not read the budget" error={current.error} onRetry={() => setAttempt((n) => n + 1)} />}
      {current?.status === 'ready' && !budget && !editing && (
        <>
          <p className="costs-panel__text">No monthly budget yet. A budget e-mails you when this month’s spend passes 50, 80 and 100 % of an amount you choose.</p>
          <div className="costs-panel__row">
            <Button onClick={startEditing}>Set a budget</Button>
          </div>
        </>
      )}
      {budget && !editing && (
        <>
          <p>
            <strong className="ledger-money">{budget.actualSpend === undefined ? '—' : formatMoney(budget.actualSpend)}</strong> of {formatMoney(budget.amount)} spent this month
            {budget.forecastedSpend === undefined ? '' : `; forecast ${formatMoney(budget.forecastedSpend)}`}.
          </p>
          <progress className="budget-bar" max={budget.amount} value={Math.min(budget.amount, budget.actualSpend ?? 0)} aria-label="Budget used" />
          <ul className="budget-alerts" aria-label="Alerts">
            {budget.alerts.map((a) => (
              <li key={a.threshold} className={a.state === 'ALARM' ? 'budget-alerts__item--alarm' : undefined}>
                {a.threshold} %: {a.state === 'ALARM' ? 'passed' : a.state === 'OK' ? 'not reached' : 'no alert'}
              </li>
            ))}
          </ul>
          <p className="costs-panel__text">Alerts go to {budget.emails.join(', ') || 'nobody yet'}.</p>
          <div className="costs-panel__row">
            <Button onClick={startEditing}>Change budget</Button>
          </div>
        </>
      )}
      {editing && form}
    </section>
  );
}
