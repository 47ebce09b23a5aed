import { useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { AccountSummary } from '../../../shared/models/accounts';
import { regionDisplayName } from '../../../shared/models/region-names';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { ExtraIcons } from '../../components/extra-icons';
import { accountsStore } from '../../state/accounts-store';
import { PROFILE_TYPE_LABELS } from './profile-types';
import { regionLabel } from './region-choices';
import { useRegions } from '../../state/use-regions';

export interface AccountCardProps {
  account: AccountSummary;
  onRemove: (account: AccountSummary) => void;
}

type Busy = 'activate' | 'verify' | 'region' | undefined;

/** One account: who AWS says it is, how Hangar signs in, its default region, and what can be done with it. */
export function AccountCard({ account, onRemove }: AccountCardProps): ReactNode {
  const [busy, setBusy] = useState<Busy>();
  const [error, setError] = useState<HangarError>();
  const [verifiedAt, setVerifiedAt] = useState<Date>();
  const regions = useRegions(account.id);
  const title = account.label || account.awsAccountId || 'AWS account';
  const headingId = `account-${account.id}`;

  async function run(kind: Exclude<Busy, undefined>, call: () => Promise<void>): Promise<void> {
    setBusy(kind);
    setError(undefined);
    try {
      await call();
    } catch (caught) {
      setError(toHangarError(caught));
    } finally {
      setBusy(undefined);
    }
  }

  const setActive = () =>
    run('activate', async () => {
      accountsStore.replaceAll(await api.accounts.setActive(account.id));
    });
  const verify = () =>
    run('verify', async () => {
      accountsStore.upsert(await api.accounts.verify(account.id));
      setVerifiedAt(new Date());
    });
  const setRegion = (region: string) =>
    run('region', async () => {
      accountsStore.upsert(await api.accounts.setDefaultRegion(account.id, region));
    });

  // The saved region is always offered, even before (or without) DescribeRegions' answer.
  const regionOptions = regions.regions ?? [];
  const options = regionOptions.some((region) => region.name === account.defaultRegion)
    ? regionOptions
    : [{ name: account.defaultRegion, displayName: regionDisplayName(account.defaultRegion) }, ...regionOptions];

  return (
    <li className={`account-card${account.active ? ' account-card--active' : ''}`} aria-labelledby={headingId}>
      <div className="account-card__header">
        <div className="account-card__identity">
          <h2 className="account-card__title" id={headingId}>
            {title}
          </h2>
          {account.active && (
            <span className="badge badge--accent">
              <ExtraIcons.star size={12} />
              Active
            </span>
          )}
        </div>
        <div className="account-card__actions">
          {!account.active && (
            <Button size="s" onClick={() => void setActive()} disabled={busy !== undefined} aria-label={`Set ${title} active`}>
              {busy === 'activate' ? 'Switching…' : 'Set active'}
            </Button>
          )}
          <Button size="s" onClick={() => void verify()} disabled={busy !== undefined} aria-label={`Verify ${title}`}>
            {busy === 'verify' ? 'Verifying…' : 'Verify'}
          </Button>
          <Button size="s" variant="ghost" className="button--quiet-danger" onClick={() => onRemove(account)} aria-label={`Remove ${title}`}>
            Remove
          </Button>
        </div>
      </div>
      <dl className="account-card__facts">
        <div>
          <dt>AWS account</dt>
          <dd className="mono">{account.awsAccountId ?? 'not verified yet'}</dd>
        </div>
        <div>
          <dt>ARN</dt>
          <dd className="mono account-card__arn" title={account.arn}>
            {account.arn ?? '—'}
          </dd>
        </div>
        <div>
          <dt>{account.source.kind === 'keys' ? 'Access key' : 'AWS CLI profile'}</dt>
          <dd>
            {account.source.kind === 'keys' ? (
              <>
                <span className="mono">{account.source.accessKeyIdHint}</span>
                {account.source.hasSessionToken && <span className="account-card__aside"> · with session token</span>}
              </>
            ) : (
              <>
                <span className="mono">{account.source.profile}</span>{' '}
                <span className="badge" title={PROFILE_TYPE_LABELS[account.source.profileType].description}>
                  {PROFILE_TYPE_LABELS[account.source.profileType].label}
                </span>
              </>
            )}
          </dd>
        </div>
        <div>
          <dt>
            <label htmlFor={`${headingId}-region`}>Default region</label>
          </dt>
          <dd className="account-card__region">
            <select
              id={`${headingId}-region`}
              className="select select--small"
              value={account.defaultRegion}
              onChange={(event) => void setRegion(event.target.value)}
              disabled={busy === 'region'}
              aria-describedby={regions.error ? `${headingId}-region-error` : undefined}
            >
              {options.map((region) => (
                <option key={region.name} value={region.name}>
                  {regionLabel(region)}
                </option>
              ))}
            </select>
            {regions.loading && <span className="spinner spinner--small" aria-label="Loading regions" role="img" />}
            {regions.error && (
              <span className="account-card__aside" id={`${headingId}-region-error`}>
                Could not list regions: {regions.error.message}{' '}
                <button type="button" className="link-button" onClick={regions.reload}>
                  Try again
                </button>
              </span>
            )}
          </dd>
        </div>
      </dl>
      {verifiedAt && !error && busy === undefined && (
        <p className="account-card__verified" role="status">
          <Icons.check size={14} />
          Verified with AWS at {verifiedAt.toLocaleTimeString()}
        </p>
      )}
      {error && <ErrorNotice error={error} onDismiss={() => setError(undefined)} />}
    </li>
  );
}
