import { useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceRef } from '../../../shared/models/transfers';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';

export interface UpdateMyIpButtonProps {
  instance: InstanceRef;
}

/** "Port 22 timed out" is most often a changed home IP: fix the Hangar-made SSH rule in one click. */
export function UpdateMyIpButton({ instance }: UpdateMyIpButtonProps): ReactNode {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<HangarError>();
  const [done, setDone] = useState<string>();

  async function update(): Promise<void> {
    setBusy(true);
    setError(undefined);
    try {
      const groups = await api.launch.updateMyIpForInstance(instance);
      // No automatic reconnect: the overlay (and this answer) would vanish while it connects; Retry is next to it.
      setDone(`SSH is now allowed from ${[...new Set(groups.flatMap((g) => g.sshSources))].join(', ')}. Retry to connect.`);
    } catch (caught) {
      setError(toHangarError(caught));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button size="s" variant="primary" onClick={() => void update()} disabled={busy} title="Allow SSH from this computer's current public IP in the instance's hangar-ssh group">
        {busy ? 'Updating…' : 'Update my IP'}
      </Button>
      {done && (
        <span className="notice__text" role="status">
          {done}
        </span>
      )}
      {error && (
        <span className="notice__text" role="alert">
          {error.message} {error.hint}
        </span>
      )}
    </>
  );
}
