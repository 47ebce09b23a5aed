import { useEffect, type ReactNode } from 'react';
import { activeAccount, useAccounts } from '../../state/accounts-store';
import { formatHourly } from './costs-format';
import { ledgerStore, useLedgerTotals } from './costs-store';
import './costs.css';

/**
 * The sidebar's burn rate: the active account's $/h while anything runs (or bills by the hour). The
 * ledger behind it is loaded once when an account is there, and kept current by the Costs screen.
 */
export function CostsBadge(): ReactNode {
  const accounts = useAccounts();
  const account = accounts.status === 'ready' ? activeAccount(accounts.accounts) : undefined;
  const accountId = account?.id;
  useEffect(() => {
    if (accountId !== undefined) ledgerStore.ensureCovers(accountId);
  }, [accountId]);
  const summary = useLedgerTotals(accountId);
  if (!summary || (!summary.running && summary.totals.hourly <= 0)) return null;
  const text = formatHourly(summary.totals.hourly);
  const label = `Spending ${text.replace('/h', ' per hour')} now`;
  return (
    <span className="costs-badge" role="status" aria-label={label} title={label}>
      {text}
    </span>
  );
}
