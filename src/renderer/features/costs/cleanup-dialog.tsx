import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { CleanupResult } from '../../../shared/models/costs';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { plural } from '../../components/format';
import { useFocusWhenOpen } from '../../components/use-focus-when-open';
import { CLEANUP_META, confirmPhrase, itemsOf, nounFor, phraseMatches, type CleanupPlan } from './cleanup-plans';
import { rowLabel } from './costs-format';

export interface CleanupDialogProps {
  /** Undefined while closed. */
  plan: CleanupPlan | undefined;
  onClose: () => void;
  /** The batch ran (whatever each item's outcome): the ledger drops what is gone and reloads. */
  onFinished: (results: readonly CleanupResult[]) => void;
}

type Check =
  | { readonly status: 'checking' }
  | { readonly status: 'checked'; readonly denied: readonly CleanupResult[] }
  | { readonly status: 'failed'; readonly error: HangarError };

const LIST_LIMIT = 10;

function ResultLine({ result }: { result: CleanupResult }): ReactNode {
  const ok = result.status === 'done' || result.status === 'allowed';
  const label = result.item.name ?? result.item.id;
  const error = result.error ? HangarError.fromJSON(result.error) : undefined;
  return (
    <li className="cleanup-list__item" aria-label={`${label}: ${ok ? 'done' : result.status === 'partial' ? 'partly done' : 'failed'}`}>
      <span className={`cleanup-list__mark cleanup-list__mark--${ok ? 'done' : 'failed'}`} aria-hidden="true">
        {ok ? '✓' : '✗'}
      </span>
      <span>{label}</span>
      {result.note && <p className="cleanup-list__reason">{result.note}</p>}
      {error && (
        <p className="cleanup-list__reason">
          {error.message} {error.hint}
        </p>
      )}
    </li>
  );
}

/**
 * Cleanup of selected ledger rows. Says in plain words what is lost forever and what keeps billing, runs
 * a dry run at once to name missing permissions, asks for the name (or a phrase with the count) to be
 * typed when it cannot be undone, then shows every item's outcome: the batch goes on past a failure.
 */
export function CleanupDialog({ plan, onClose, onFinished }: CleanupDialogProps): ReactNode {
  const [check, setCheck] = useState<{ plan: CleanupPlan; check: Check }>();
  const [typed, setTyped] = useState('');
  const [running, setRunning] = useState<{ done: number } | undefined>();
  const [results, setResults] = useState<readonly CleanupResult[]>();
  const [error, setError] = useState<HangarError>();
  const confirmId = useId();
  const confirmInput = useRef<HTMLInputElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  const controller = useRef<AbortController | undefined>(undefined);

  useEffect(() => {
    if (!plan || plan.rows.length === 0) return;
    let live = true;
    api.costs.cleanup(itemsOf(plan), true).then(
      (answers) => live && setCheck({ plan, check: { status: 'checked', denied: answers.filter((a) => a.status === 'failed') } }),
      (caught: unknown) => live && setCheck({ plan, check: { status: 'failed', error: toHangarError(caught) } }),
    );
    return () => {
      live = false;
    };
  }, [plan]);

  const meta = plan ? CLEANUP_META[plan.action] : undefined;
  const state: Check = check?.plan === plan && check ? check.check : { status: 'checking' };
  const denied = state.status === 'checked' ? state.denied : [];
  const deniedKeys = new Set(denied.map((d) => `${d.item.accountId}/${d.item.region}/${d.item.id}`));
  const going = plan ? { ...plan, rows: plan.rows.filter((row) => !deniedKeys.has(row.key)) } : undefined;
  const needsTyping = meta?.irreversible === true && going !== undefined && going.rows.length > 0;
  const typedOk = !needsTyping || (going !== undefined && phraseMatches(going, typed));
  const ready = going !== undefined && going.rows.length > 0 && state.status !== 'checking' && typedOk && running === undefined && results === undefined;

  useFocusWhenOpen(needsTyping && state.status !== 'checking' ? confirmInput : cancelButton, plan !== undefined && state.status !== 'checking');

  function close(): void {
    controller.current?.abort();
    controller.current = undefined;
    setCheck(undefined);
    setTyped('');
    setRunning(undefined);
    setResults(undefined);
    setError(undefined);
    onClose();
  }

  async function run(): Promise<void> {
    if (!plan || !ready) return;
    const abort = new AbortController();
    controller.current = abort;
    setRunning({ done: 0 });
    setError(undefined);
    try {
      // Every selected item goes: the ones the dry run refused come back with their reason again.
      const answers = await api.costs.cleanup.with({ signal: abort.signal, onProgress: (p) => setRunning({ done: p.done }) })(itemsOf(plan), false);
      setResults(answers);
      onFinished(answers);
    } catch (caught) {
      if (!abort.signal.aborted) setError(toHangarError(caught));
    } finally {
      if (controller.current === abort) controller.current = undefined;
      setRunning(undefined);
    }
  }

  const count = plan?.rows.length ?? 0;
  const [onlyRow] = plan?.rows ?? [];
  const title = !plan || !meta ? 'Clean up' : count === 1 && onlyRow ? `${meta.verb} ${rowLabel(onlyRow)}?` : `${meta.verb} ${plural(count, nounFor(meta, 1), nounFor(meta, 2))}?`;
  const goingCount = going?.rows.length ?? 0;
  const confirmLabel = !meta ? '' : running ? `${meta.busy}… (${running.done} of ${count})` : `${meta.verb} ${goingCount === 1 ? nounFor(meta, 1) : plural(goingCount, nounFor(meta, 1), nounFor(meta, 2))}`;
  const failed = results?.filter((r) => r.status === 'failed' || r.status === 'partial') ?? [];

  return (
    <Dialog
      open={plan !== undefined}
      title={title}
      onClose={close}
      footer={
        results ? (
          <Button variant="primary" onClick={close}>
            Done
          </Button>
        ) : (
          <>
            <button type="button" className="button button--secondary" onClick={close} ref={cancelButton}>
              <span className="button__label">Cancel</span>
            </button>
            <Button className={meta?.irreversible ? 'button--danger' : undefined} variant={meta?.irreversible ? 'secondary' : 'primary'} onClick={() => void run()} disabled={!ready}>
              {confirmLabel}
            </Button>
          </>
        )
      }
    >
      {plan && meta && !results && (
        <>
          <div className={`cleanup-explainer${meta.irreversible ? ' cleanup-explainer--danger' : ''}`}>
            {meta.explanation.map((line) => (
              <p key={line}>{line}</p>
            ))}
          </div>
          {count > 1 && (
            <ul className="cleanup-list" aria-label={`${meta.verb}: ${plural(count, nounFor(meta, 1), nounFor(meta, 2))}`}>
              {plan.rows.slice(0, LIST_LIMIT).map((row) => (
                <li key={row.key} className="cleanup-list__item">
                  <span aria-hidden="true">•</span>
                  <span>
                    {rowLabel(row)} <span className="dialog__note">({row.region}{row.name ? `, ${row.id}` : ''})</span>
                  </span>
                </li>
              ))}
              {count > LIST_LIMIT && <li className="dialog__note">and {count - LIST_LIMIT} more</li>}
            </ul>
          )}
          {state.status === 'checking' && (
            <p className="busy-line" role="status">
              <span className="spinner" aria-hidden="true" />
              Checking permissions (dry run)…
            </p>
          )}
          {state.status === 'failed' && <ErrorNotice title="The dry run could not be done" error={state.error} />}
          {denied.length > 0 && (
            <ErrorNotice
              title={`${plural(denied.length, nounFor(meta, 1), nounFor(meta, 2))} will be left as ${denied.length === 1 ? 'it is' : 'they are'}`}
              error={HangarError.fromJSON(denied[0]?.error ?? { name: 'HangarError', code: 'AWS_UNAUTHORIZED', message: 'Not allowed.', retryable: false })}
            />
          )}
          {needsTyping && state.status !== 'checking' && (
            <div className="field">
              <label className="field__label" htmlFor={confirmId}>
                Type <span className="mono confirm-phrase">{going ? confirmPhrase(going) : ''}</span> to confirm
              </label>
              <p className="field__description" id={`${confirmId}-description`}>
                {goingCount === 1 ? 'Its name (or its ID), so that the right one goes.' : 'The count is part of the phrase, so you confirm how many go, not only that some do.'}
              </p>
              <input
                id={confirmId}
                ref={confirmInput}
                className="field__input mono"
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
                aria-describedby={`${confirmId}-description`}
                autoComplete="off"
                spellCheck={false}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' && ready) void run();
                }}
              />
            </div>
          )}
          {error && <ErrorNotice error={error} />}
        </>
      )}
      {results && meta && (
        <>
          <p role="status">
            {failed.length === 0
              ? `Done: ${plural(results.length, nounFor(meta, 1), nounFor(meta, 2))}.`
              : `${results.length - failed.length} of ${results.length} done; ${failed.length} not (see why below).`}
          </p>
          <ul className="cleanup-list" aria-label="Results">
            {results.map((result) => (
              <ResultLine key={`${result.item.region}/${result.item.id}`} result={result} />
            ))}
          </ul>
        </>
      )}
    </Dialog>
  );
}
