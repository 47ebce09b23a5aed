import type { ReactNode } from 'react';
import { ErrorNotice } from '../components/error-notice';
import { connection, type ConnectionState } from '../api/connection';

/**
 * Shown above the page while the background service does not answer. The app also retries by itself
 * with backoff; the button only skips the wait.
 */
export function ConnectionBanner({ state }: { state: ConnectionState }): ReactNode {
  if (state.status !== 'lost') return null;
  return <ErrorNotice variant="banner" error={state.error} retrying={state.attempting} onRetry={() => connection.retryNow()} />;
}
