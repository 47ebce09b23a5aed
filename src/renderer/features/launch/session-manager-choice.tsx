import { useEffect, useState, type ReactNode } from 'react';
import { SSM_GROUP_NAME, SSM_PROFILE_NAME, type RegionScope, type SsmProfileStatus } from '../../../shared/models/launch';
import { api } from '../../api/api-client';

export interface SessionManagerChoiceProps {
  scope: RegionScope;
  access: 'ssh' | 'session-manager';
  consent: boolean;
  onChange: (next: { access?: 'ssh' | 'session-manager'; ssmConsent?: boolean; ssmNeedsConsent?: boolean }) => void;
}

/**
 * How the instance will be reached (issue 15): SSH from my IP, or Session Manager with no port open at all.
 * The latter attaches Hangar's instance profile, made once with the user's consent (what AWS says of it is
 * shown first), and a security group with no inbound rules.
 */
export function SessionManagerChoice({ scope, access, consent, onChange }: SessionManagerChoiceProps): ReactNode {
  const [status, setStatus] = useState<SsmProfileStatus>();

  useEffect(() => {
    if (access !== 'session-manager') return;
    let live = true;
    api.launch.ssmProfile(scope).then(
      (value) => {
        if (!live) return;
        setStatus(value);
        onChange({ ssmNeedsConsent: value.state === 'missing' || value.state === 'incomplete' });
      },
      () => undefined,
    );
    return () => {
      live = false;
    };
  }, [access, scope, onChange]);

  const needsConsent = status?.state === 'missing' || status?.state === 'incomplete';
  return (
    <fieldset className="launch-group">
      <legend className="launch-group__title">How you will connect</legend>
      <label className="launch-check">
        <input type="radio" name="launch-access" checked={access === 'ssh'} onChange={() => onChange({ access: 'ssh' })} /> SSH (port 22, from your IP only)
      </label>
      <label className="launch-check">
        <input type="radio" name="launch-access" checked={access === 'session-manager'} onChange={() => onChange({ access: 'session-manager' })} /> Connect through Session Manager (no SSH port open)
      </label>
      {access === 'session-manager' && (
        <div className="launch-ssm" role="group" aria-label="Session Manager">
          <p className="launch-note">
            The instance gets a security group named <span className="mono">{SSM_GROUP_NAME}</span> with no inbound rules, and the instance profile{' '}
            <span className="mono">{SSM_PROFILE_NAME}</span>, whose role lets its SSM agent reach AWS Systems Manager. Terminals, Jupyter and port tunnels then go
            through Session Manager; Files and transfers need SSH and are not available on it. No key pair is needed.
          </p>
          {status === undefined ? (
            <p className="busy-line" role="status">
              <span className="spinner" aria-hidden="true" /> Looking for the instance profile {SSM_PROFILE_NAME}…
            </p>
          ) : (
            <p className={`launch-note${status.state === 'unknown' ? ' launch-callout launch-callout--warn' : ''}`} role="status">
              {status.detail}
            </p>
          )}
          {needsConsent && (
            <label className="launch-check">
              <input type="checkbox" checked={consent} onChange={(event) => onChange({ ssmConsent: event.target.checked })} /> Create the IAM role {SSM_PROFILE_NAME} for Session Manager
              (once for this account; it needs iam:CreateRole, iam:AttachRolePolicy, iam:CreateInstanceProfile, iam:AddRoleToInstanceProfile and iam:PassRole)
            </label>
          )}
        </div>
      )}
    </fieldset>
  );
}
