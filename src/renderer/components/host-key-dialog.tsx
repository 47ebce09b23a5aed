import type { ReactNode } from 'react';
import { Button } from './button';
import { Dialog } from './dialog';
import './host-key-dialog.css';

export interface HostKeyDialogProps {
  instanceName: string;
  instanceId: string;
  fingerprint: string;
  keyType: string;
  onTrust: () => void;
  onCancel: () => void;
}

/** First contact with an instance whose key AWS's console output could not vouch for: the user decides. */
export function HostKeyDialog({ instanceName, instanceId, fingerprint, keyType, onTrust, onCancel }: HostKeyDialogProps): ReactNode {
  return (
    <Dialog
      open
      title={`Trust ${instanceName}'s host key?`}
      onClose={onCancel}
      footer={
        <>
          <Button onClick={onCancel}>Cancel</Button>
          <Button variant="primary" onClick={onTrust}>
            Trust and connect
          </Button>
        </>
      }
    >
      <div className="host-key">
        <p>
          This is the first time Hangar connects to <strong>{instanceName}</strong> ({instanceId}), and the instance's console output does not
          list its key, so Hangar cannot confirm on its own that it is really talking to your instance.
        </p>
        <dl className="host-key__facts">
          <dt>Key type</dt>
          <dd className="mono">{keyType}</dd>
          <dt>Fingerprint</dt>
          <dd className="mono host-key__fingerprint" data-testid="host-key-fingerprint">
            {fingerprint}
          </dd>
        </dl>
        <p className="host-key__help">
          If you can, compare it with the instance's system log (EC2 → Instance → Monitor and troubleshoot → Get system log). Once trusted,
          Hangar remembers this key for this instance and refuses to connect if it ever changes.
        </p>
      </div>
    </Dialog>
  );
}
