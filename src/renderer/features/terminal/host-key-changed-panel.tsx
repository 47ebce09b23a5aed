import type { ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { Button } from '../../components/button';
import { Icons } from '../../components/icons';

export interface HostKeyChangedPanelProps {
  instanceName: string;
  instanceId: string;
  error: HangarError;
  /** Opens the instance's connection settings, where the pinned key can be forgotten after checking. */
  onConnectionSettings?: (() => void) | undefined;
  onClose: () => void;
}

function detail(error: HangarError, key: string): string | undefined {
  const value = error.details?.[key];
  return typeof value === 'string' ? value : undefined;
}

/**
 * SSH_HOST_KEY_CHANGED, said once: what happened, both fingerprints, and the one thing to do. It sits under
 * the terminal (not over it), so the shell's last lines stay readable.
 */
export function HostKeyChangedPanel({ instanceName, instanceId, error, onConnectionSettings, onClose }: HostKeyChangedPanelProps): ReactNode {
  const pinned = detail(error, 'pinnedFingerprintSha256');
  const presented = detail(error, 'fingerprintSha256');
  return (
    <div className="terminal-view__panel" role="alert" aria-label="Host key changed">
      <Icons.alert size={20} className="terminal-view__panel-icon" />
      <div className="terminal-view__panel-body">
        <p className="terminal-view__panel-title">The host key of {instanceName} changed — Hangar did not connect</p>
        <p>
          {pinned !== undefined
            ? `It is not the key Hangar pinned for ${instanceId} on the first connection. If the instance was re-created or re-imaged, that is expected: forget the pinned key in its connection settings and connect again. If not, someone may be intercepting the connection.`
            : `It does not match what AWS's console output reports for ${instanceId}. Someone may be intercepting the connection, or the address now belongs to another machine: check the address in the instance's connection settings.`}
        </p>
        <dl className="terminal-view__fingerprints">
          {pinned !== undefined && (
            <>
              <dt>Pinned</dt>
              <dd className="mono" data-testid="pinned-fingerprint">
                {pinned}
              </dd>
            </>
          )}
          {presented !== undefined && (
            <>
              <dt>Presented now</dt>
              <dd className="mono" data-testid="presented-fingerprint">
                {presented}
              </dd>
            </>
          )}
        </dl>
      </div>
      <div className="terminal-view__panel-actions">
        {onConnectionSettings && (
          <Button size="s" variant="primary" onClick={onConnectionSettings}>
            Connection settings…
          </Button>
        )}
        <Button size="s" variant="ghost" onClick={onClose}>
          Close tab
        </Button>
      </div>
    </div>
  );
}
