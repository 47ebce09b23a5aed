import { useEffect, useRef, type ReactNode } from 'react';
import { consoleSegments, connectPageUrl, SERIAL_CONSOLE_GUIDE_URL, type ConsoleView, type SerialConsoleAccess } from '../../../shared/models/console-output';
import type { InstanceRef } from '../../../shared/models/transfers';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';
import { CopyButton } from '../../components/copy-button';
import { EmptyState } from '../../components/empty-state';
import { ErrorNotice } from '../../components/error-notice';
import { ExtraIcons } from '../../components/extra-icons';
import { Icons } from '../../components/icons';
import { shown, useLoad } from './use-load';

export interface ConsolePanelProps {
  instance: InstanceRef;
  name: string;
  running: boolean;
  onAnnounce: (message: string) => void;
}

function openExternal(url: string): void {
  void api.app.openExternal(url).catch(() => undefined);
}

function timeOf(iso: string | undefined): string {
  return iso === undefined ? '' : new Date(iso).toLocaleTimeString();
}

/** The instance's console text with cloud-init's host key fingerprints highlighted, its screen, and the serial console. */
export function ConsolePanel({ instance, name, running, onAnnounce }: ConsolePanelProps): ReactNode {
  const key = `${instance.accountId}|${instance.region}|${instance.instanceId}`;
  const view = useLoad(() => api.console.view(instance), key);
  const shot = useLoad(() => (running ? api.console.screenshot(instance) : Promise.resolve(undefined)), `${key}|${String(running)}`);
  const output = shown(view.load);
  const busy = view.load.status === 'loading';

  function refresh(): void {
    view.reload();
    shot.reload();
  }

  return (
    <div className="console-panel">
      <div className="console-panel__bar">
        <p className="console-panel__when" role="status">
          {busy && (
            <>
              <span className="spinner spinner--small" aria-hidden="true" /> Asking EC2 for the console output…
            </>
          )}
          {!busy && output && describeOutput(output)}
        </p>
        <Button size="s" icon={<Icons.retry size={16} />} onClick={refresh} disabled={busy}>
          Refresh
        </Button>
        {output?.text !== undefined && (
          <CopyButton variant="labelled" label="Copy output" ariaLabel="Copy console output" text={output.text} onCopied={() => onAnnounce('Console output copied')} />
        )}
      </div>
      {view.load.status === 'failed' && <ErrorNotice title="Could not read the console output" error={view.load.error} onRetry={refresh} />}
      {output && output.text === undefined && (
        <EmptyState icon={<ExtraIcons.search size={28} />} title="No console output yet">
          <p>
            AWS has nothing from this instance’s console yet. It usually appears a few minutes after the instance starts: press Refresh in a minute.
          </p>
        </EmptyState>
      )}
      {output?.text !== undefined && <ConsoleText text={output.text} name={name} />}
      {output && <SerialConsoleNote access={output.serialConsole} instance={instance} />}
      <section className="console-shot" aria-label="Screenshot">
        <h3 className="console-panel__heading">Screen</h3>
        {!running && <p className="details-note">EC2 takes screenshots of running instances only.</p>}
        {running && shot.load.status === 'loading' && shown(shot.load) === undefined && (
          <p className="busy-line">
            <span className="spinner spinner--small" aria-hidden="true" /> Taking a screenshot…
          </p>
        )}
        {running && shot.load.status === 'failed' && <ErrorNotice title="Could not take a screenshot" error={shot.load.error} onRetry={shot.reload} />}
        {running && shown(shot.load) !== undefined && (
          <img
            className="console-shot__image"
            src={`data:${shown(shot.load)?.mimeType ?? 'image/jpeg'};base64,${shown(shot.load)?.base64 ?? ''}`}
            alt={`What the screen of ${name} shows (GetConsoleScreenshot)`}
          />
        )}
      </section>
    </div>
  );
}

function describeOutput(output: ConsoleView): string {
  if (output.text === undefined) return 'No output yet.';
  const when = output.updatedAt === undefined ? '' : ` as of ${timeOf(output.updatedAt)}`;
  return output.latest ? `Live console output${when}.` : `Console output buffered at the last boot or stop${when} (this instance type has no live output).`;
}

/** The text in a scrollable, focusable block, scrolled to the fingerprints when they are there. */
function ConsoleText({ text, name }: { text: string; name: string }): ReactNode {
  const ref = useRef<HTMLPreElement>(null);
  const segments = consoleSegments(text);
  const hasKeys = segments.some((s) => s.fingerprints);

  useEffect(() => {
    const pre = ref.current;
    if (!pre) return;
    const mark = pre.querySelector('mark');
    // The block of interest when SSH asks about a host key; otherwise the end, where the newest lines are.
    pre.scrollTop = mark instanceof HTMLElement ? Math.max(0, mark.offsetTop - pre.offsetTop - 24) : pre.scrollHeight;
  }, [text]);

  return (
    <>
      {hasKeys && (
        <p className="details-note">
          The highlighted lines are the SSH host key fingerprints the instance printed when it first booted: the fingerprint SSH shows on the first
          connection should be one of them.
        </p>
      )}
      {/* Focusable so the keyboard can scroll it. */}
      <pre ref={ref} className="console-text" tabIndex={0} aria-label={`Console output of ${name}`}>
        {segments.map((segment, k) =>
          segment.fingerprints ? (
            <mark key={k} className="console-text__keys" aria-label="Host key fingerprints">
              {segment.text}
              {'\n'}
            </mark>
          ) : (
            <span key={k}>
              {segment.text}
              {'\n'}
            </span>
          ),
        )}
      </pre>
    </>
  );
}

function SerialConsoleNote({ access, instance }: { access: SerialConsoleAccess | undefined; instance: InstanceRef }): ReactNode {
  if (access === undefined) return null;
  if (!access.enabled) {
    return (
      <p className="details-note">
        EC2 serial console access is off for this account
        {access.managedBy === 'declarative-policy' ? ' (set by your organisation’s policy)' : ''}.{' '}
        <button type="button" className="link-button" onClick={() => openExternal(SERIAL_CONSOLE_GUIDE_URL)}>
          What the serial console is
        </button>
      </p>
    );
  }
  return (
    <div className="callout" role="note" aria-label="EC2 serial console">
      <ExtraIcons.shield size={16} className="callout__icon" />
      <div className="callout__body">
        <p>
          <strong>EC2 serial console access is on</strong> for this account. When SSH does not answer at all (a broken network setting, a full disk, a
          firewall on the instance), the serial console gives you the instance’s login prompt through AWS, without the network. It needs a user with a
          password on the instance, and an instance type built on Nitro.
        </p>
        <p>
          <Button size="s" icon={<Icons.external size={16} />} onClick={() => openExternal(connectPageUrl(instance.region, instance.instanceId))}>
            Open the EC2 serial console
          </Button>{' '}
          <button type="button" className="link-button" onClick={() => openExternal(SERIAL_CONSOLE_GUIDE_URL)}>
            How to use it
          </button>
        </p>
      </div>
    </div>
  );
}
