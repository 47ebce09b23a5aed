import type { ReactNode } from 'react';
import type { ConnectionState } from '../api/connection';
import { keychainProblem } from './keychain-problem';
import type { AppStatus } from './use-app-status';

export interface StatusBarProps {
  status: AppStatus;
  connection: ConnectionState;
}

type Tone = 'ok' | 'busy' | 'problem';

function Dot({ tone }: { tone: Tone }): ReactNode {
  return <span className={`status-dot status-dot--${tone}`} aria-hidden="true" />;
}

/** One quiet line at the bottom: is the keychain usable, is the service connected, which build is this. */
export function StatusBar({ status, connection }: StatusBarProps): ReactNode {
  const { info, keychain } = status;
  const problem = keychainProblem(keychain);

  let keychainTone: Tone = 'busy';
  let keychainText: ReactNode = 'Keychain: checking…';
  if (problem) {
    keychainTone = 'problem';
    keychainText = (
      <>
        Keychain: {problem.message}
        {problem.hint && <span className="status-bar__hint"> {problem.hint}</span>}
      </>
    );
  } else if (keychain.state === 'ready') {
    keychainTone = 'ok';
    keychainText = 'Keychain: ready';
  }

  const versionText =
    info.state === 'ready' ? `Hangar ${info.value.version}${info.value.shell === 'web' ? ' · web' : ''}` : info.state === 'loading' ? 'Hangar' : '';

  return (
    <footer className="status-bar">
      <p className="status-bar__item status-bar__keychain" title={problem ? [problem.message, problem.hint].filter(Boolean).join(' ') : undefined}>
        <Dot tone={keychainTone} />
        <span className="status-bar__text">{keychainText}</span>
      </p>
      {connection.status === 'lost' && (
        <p className="status-bar__item">
          <Dot tone="problem" />
          <span className="status-bar__text">{connection.attempting ? 'Reconnecting…' : 'Disconnected'}</span>
        </p>
      )}
      <p className="status-bar__item status-bar__version">{versionText}</p>
    </footer>
  );
}
