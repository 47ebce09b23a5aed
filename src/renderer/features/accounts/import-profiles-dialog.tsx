import { useEffect, useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { AccountSummary, ProfileCandidate } from '../../../shared/models/accounts';
import { regionDisplayName } from '../../../shared/models/region-names';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { ExtraIcons } from '../../components/extra-icons';
import { PROFILE_TYPE_LABELS } from './profile-types';

export interface ImportProfilesDialogProps {
  open: boolean;
  onClose: () => void;
  onImported: (account: AccountSummary) => void;
}

type Loaded = { readonly status: 'loading' } | { readonly status: 'ready'; readonly profiles: readonly ProfileCandidate[] } | { readonly status: 'failed'; readonly error: HangarError };

interface RowState {
  readonly busy?: boolean;
  readonly error?: HangarError;
  readonly imported?: AccountSummary;
}

/**
 * Profiles the AWS CLI already knows (~/.aws/credentials and ~/.aws/config). Importing stores only the
 * profile's name: the SDK's own providers resolve it each time, so rotating keys or SSO sessions in the
 * CLI carries over. An SSO profile that needs a browser sign-in says so and opens the page.
 */
export function ImportProfilesDialog({ open, onClose, onImported }: ImportProfilesDialogProps): ReactNode {
  const [loaded, setLoaded] = useState<Loaded>({ status: 'loading' });
  const [rows, setRows] = useState<Readonly<Record<string, RowState>>>({});
  const [attempt, setAttempt] = useState(0);
  const [openError, setOpenError] = useState<HangarError>();

  useEffect(() => {
    if (!open) return;
    let live = true;
    api.accounts.listProfiles().then(
      (profiles) => live && setLoaded({ status: 'ready', profiles }),
      (error: unknown) => live && setLoaded({ status: 'failed', error: toHangarError(error) }),
    );
    return () => {
      live = false;
    };
  }, [open, attempt]);

  function close(): void {
    setRows({});
    setOpenError(undefined);
    setLoaded({ status: 'loading' });
    onClose();
  }

  function setRow(name: string, row: RowState): void {
    setRows((current) => ({ ...current, [name]: row }));
  }

  async function importProfile(profile: ProfileCandidate): Promise<void> {
    setRow(profile.name, { busy: true });
    try {
      const account = await api.accounts.importProfile({ profile: profile.name });
      setRow(profile.name, { imported: account });
      onImported(account);
    } catch (error) {
      setRow(profile.name, { error: toHangarError(error) });
    }
  }

  function openSignIn(url: string): void {
    setOpenError(undefined);
    api.app.openExternal(url).catch((error: unknown) => setOpenError(toHangarError(error)));
  }

  return (
    <Dialog
      open={open}
      title="Import from AWS CLI profiles"
      onClose={close}
      footer={
        <Button variant="primary" onClick={close}>
          Done
        </Button>
      }
    >
      <p className="dialog__note">
        Profiles from <code>~/.aws/credentials</code> and <code>~/.aws/config</code>. Hangar keeps only the profile name and asks the AWS SDK
        for credentials each time, so keys you rotate with the AWS CLI keep working here.
      </p>
      {openError && <ErrorNotice error={openError} onDismiss={() => setOpenError(undefined)} />}
      {loaded.status === 'loading' && (
        <p className="busy-line" role="status">
          <span className="spinner" aria-hidden="true" />
          Reading AWS CLI profiles…
        </p>
      )}
      {loaded.status === 'failed' && (
        <ErrorNotice
          error={loaded.error}
          onRetry={() => {
            setLoaded({ status: 'loading' });
            setAttempt((n) => n + 1);
          }}
        />
      )}
      {loaded.status === 'ready' && loaded.profiles.length === 0 && (
        <div className="callout">
          <ExtraIcons.import size={16} className="callout__icon" />
          <div className="callout__body">
            <p>No profiles found.</p>
            <p className="dialog__note">
              Run <code>aws configure</code> or <code>aws configure sso</code> to create one, then open this again.
            </p>
          </div>
        </div>
      )}
      {loaded.status === 'ready' && loaded.profiles.length > 0 && (
        <ul className="profile-list" aria-label="AWS CLI profiles">
          {loaded.profiles.map((profile) => {
            const row = rows[profile.name] ?? {};
            const type = PROFILE_TYPE_LABELS[profile.type];
            const added = profile.alreadyAdded || row.imported !== undefined;
            const signInUrl =
              row.error?.code === 'AWS_SSO_LOGIN_REQUIRED'
                ? (typeof row.error.details?.ssoStartUrl === 'string' ? row.error.details.ssoStartUrl : profile.ssoStartUrl)
                : undefined;
            return (
              <li key={profile.name} className="profile-list__item" aria-label={profile.name}>
                <div className="profile-list__main">
                  <div className="profile-list__title">
                    <span className="profile-list__name">{profile.name}</span>
                    <span className="badge" title={type.description}>
                      {type.label}
                    </span>
                    {added && (
                      <span className="badge badge--ok">
                        <Icons.check size={12} />
                        {row.imported ? 'Imported' : 'Already added'}
                      </span>
                    )}
                  </div>
                  <p className="profile-list__meta">
                    {profile.region ? `${regionDisplayName(profile.region)} · ${profile.region}` : 'No region set'}
                    {row.imported?.awsAccountId && ` · AWS account ${row.imported.awsAccountId}`}
                  </p>
                </div>
                {!added && (
                  <Button size="s" onClick={() => void importProfile(profile)} disabled={row.busy} aria-label={`Import ${profile.name}`}>
                    {row.busy ? 'Checking…' : 'Import'}
                  </Button>
                )}
                {row.error && (
                  <div className="profile-list__error">
                    <ErrorNotice error={row.error}>
                      {signInUrl && (
                        <div className="notice__fix">
                          <Button size="s" variant="primary" trailingIcon={<Icons.external size={14} />} onClick={() => openSignIn(signInUrl)}>
                            Open sign-in page
                          </Button>
                        </div>
                      )}
                    </ErrorNotice>
                  </div>
                )}
              </li>
            );
          })}
        </ul>
      )}
    </Dialog>
  );
}
