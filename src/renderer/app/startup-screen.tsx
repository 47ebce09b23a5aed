import type { ReactNode } from 'react';
import type { HangarError } from '../../shared/errors/hangar-error';
import { AppMark } from '../components/app-mark';
import { Button } from '../components/button';
import { ErrorNotice } from '../components/error-notice';
import { Icons } from '../components/icons';
import { connection } from '../api/connection';

export interface StartupScreenProps {
  /** Undefined while the first call is on its way. */
  error: HangarError | undefined;
  attempting: boolean;
  onRetry: () => void;
}

/**
 * Before settings arrive there is nothing meaningful to lay out. On the loopback bridge the first
 * answer takes milliseconds, so the "Connecting…" line only fades in if it is slow (CSS delay).
 */
export function StartupScreen({ error, attempting, onRetry }: StartupScreenProps): ReactNode {
  if (!error) {
    return (
      <div className="startup">
        <div className="startup__connecting" role="status">
          <AppMark size={40} />
          <span className="spinner" aria-hidden="true" />
          <span>Connecting to Hangar…</span>
        </div>
      </div>
    );
  }
  const transport = error.code === 'TRANSPORT_CLOSED';
  return (
    <div className="startup">
      <main className="startup__card">
        <AppMark size={40} />
        <h1 className="startup__title">{transport ? 'Can’t reach Hangar’s background service' : 'Hangar could not start'}</h1>
        <ErrorNotice error={error} onRetry={transport ? () => connection.retryNow() : onRetry} retrying={attempting} />
        {transport ? (
          <p className="startup__meta">{attempting ? 'Reconnecting…' : 'Hangar keeps trying to reconnect in the background.'}</p>
        ) : (
          !error.retryable && (
            <Button variant="primary" icon={<Icons.retry size={16} />} onClick={onRetry}>
              Try again
            </Button>
          )
        )}
      </main>
    </div>
  );
}
