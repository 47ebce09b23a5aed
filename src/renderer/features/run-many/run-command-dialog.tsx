import { useState, type ReactNode } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { runSummary, type RunHost } from '../../../shared/models/run-many';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { useRun } from './use-run';
import './run-many.css';

export interface RunCommandDialogProps {
  accountId: string;
  /** The selected instances; only running ones can run a command. */
  instances: readonly InstanceSummary[];
  onClose: () => void;
}

const STATE_LABEL: Record<RunHost['state'], string> = { queued: 'waiting', running: 'running', ok: 'ok', failed: 'failed', cancelled: 'cancelled' };

/**
 * Run command… on the selected instances: one command, in parallel over SSH, live output per host (side by
 * side, or interleaved with a host prefix), an exit code each and a summary; cancel, and re-run on the
 * failed ones only.
 */
export function RunCommandDialog({ accountId, instances, onClose }: RunCommandDialogProps): ReactNode {
  const running = instances.filter((i) => i.state === 'running');
  const [command, setCommand] = useState('');
  const [runId, setRunId] = useState<string>();
  const [error, setError] = useState<Error>();
  const [fieldError, setFieldError] = useState<string>();
  const [layout, setLayout] = useState<'side' | 'interleaved'>('side');
  const run = useRun(runId);

  async function act(work: () => Promise<{ runId: string }>): Promise<void> {
    setError(undefined);
    try {
      setRunId((await work()).runId);
    } catch (failure) {
      setError(toHangarError(failure));
    }
  }

  function start(): void {
    if (command.trim() === '') {
      setFieldError('Type a command to run.');
      return;
    }
    setFieldError(undefined);
    void act(() =>
      api.runs.start({
        command,
        targets: running.map((i) => ({ accountId, region: i.region, instanceId: i.id, name: i.name ?? i.id })),
      }),
    );
  }

  const failed = run?.hosts.filter((h) => h.state === 'failed' || h.state === 'cancelled').length ?? 0;
  const skipped = instances.length - running.length;

  return (
    <Dialog
      open
      title={`Run a command on ${running.length} instance${running.length === 1 ? '' : 's'}`}
      onClose={onClose}
      className="run-dialog"
      footer={
        <>
          {run && !run.finished && (
            <Button onClick={() => void act(() => api.runs.cancel(run.runId))}>Cancel run</Button>
          )}
          {run?.finished && failed > 0 && <Button onClick={() => void act(() => api.runs.rerunFailed(run.runId))}>Re-run on the {failed} failed</Button>}
          <Button variant="ghost" onClick={onClose}>
            Close
          </Button>
          <Button variant="primary" type="submit" form="run-command-form" disabled={running.length === 0 || (run !== undefined && !run.finished)}>
            {run ? 'Run again' : 'Run'}
          </Button>
        </>
      }
    >
      <form
        id="run-command-form"
        className="run-dialog__form"
        onSubmit={(event) => {
          event.preventDefault();
          start();
        }}
      >
        <Field
          label="Command"
          value={command}
          autoFocus
          onChange={setCommand}
          placeholder="nvidia-smi --query-gpu=utilization.gpu --format=csv"
          description={`Runs with /bin/sh on ${running.map((i) => i.name ?? i.id).join(', ') || 'no running instance'}${skipped > 0 ? ` (${skipped} selected instance${skipped === 1 ? ' is' : 's are'} not running and left out)` : ''}.`}
          error={fieldError}
          className="run-dialog__command"
        />
      </form>
      {error && <ErrorNotice error={error} title="The command could not be run" />}
      {run && (
        <>
          <div className="run-dialog__bar">
            <p className="run-dialog__summary" role="status" aria-label="Run summary">
              {runSummary(run.hosts)}
            </p>
            <div role="radiogroup" aria-label="Output layout" className="run-dialog__layout">
              {(['side', 'interleaved'] as const).map((value) => (
                <label key={value} className="check-label">
                  <input type="radio" name="run-layout" checked={layout === value} onChange={() => setLayout(value)} />
                  <span>{value === 'side' ? 'Side by side' : 'Interleaved'}</span>
                </label>
              ))}
            </div>
          </div>
          {layout === 'side' ? (
            <div className="run-dialog__hosts">
              {run.hosts.map((host) => (
                <section key={host.instanceId} className={`run-host run-host--${host.state}`} aria-label={`${host.name}: ${hostStatus(host)}`}>
                  <h3 className="run-host__name">
                    {host.name} <span className="run-host__state">{hostStatus(host)}</span>
                  </h3>
                  {host.error && (
                    <p className="run-host__error">
                      {host.error.message}
                      {host.error.hint && <span className="run-host__hint"> {host.error.hint}</span>}
                    </p>
                  )}
                  <pre className="run-host__output" tabIndex={0} aria-label={`Output of ${host.name}`}>
                    {host.truncated ? '… (earlier output dropped)\n' : ''}
                    {host.output}
                  </pre>
                </section>
              ))}
            </div>
          ) : (
            <pre className="run-host__output run-dialog__interleaved" tabIndex={0} aria-label="Output of all hosts">
              {run.hosts
                .flatMap((host) => host.output.split('\n').filter((line) => line !== '').map((line) => `[${host.name}] ${line}`))
                .join('\n')}
            </pre>
          )}
        </>
      )}
    </Dialog>
  );
}

function hostStatus(host: RunHost): string {
  if (host.state === 'ok' || host.state === 'failed') {
    if (host.exitCode !== undefined) return `${STATE_LABEL[host.state]}, exit code ${host.exitCode}`;
    if (host.signal !== undefined) return `${STATE_LABEL[host.state]}, ended by ${host.signal}`;
  }
  return STATE_LABEL[host.state];
}
