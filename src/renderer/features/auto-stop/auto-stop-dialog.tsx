import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import { HangarError } from '../../../shared/errors/hangar-error';
import {
  AUTO_STOP_DEFAULT_CPU_PERCENT,
  AUTO_STOP_DEFAULT_MINUTES,
  describeAutoStopRule,
  type AutoStopChoice,
  type AutoStopStatus,
  type IdleAlarm,
  type WatcherAvailability,
} from '../../../shared/models/auto-stop';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { AutoStopFields, autoStopProblems } from './auto-stop-fields';
import { idleAlarms, useIdleAlarm } from './idle-alarms-store';
import { useStopReason } from './use-stop-reason';

export interface AutoStopDialogProps {
  accountId: string;
  instance: InstanceSummary;
  onClose: () => void;
}

const ALARM_STATES: Record<IdleAlarm['state'], string> = {
  OK: 'OK (the instance is busy)',
  ALARM: 'in ALARM (idle: it stops the instance)',
  INSUFFICIENT_DATA: 'waiting for CPU data',
};

function choiceFrom(alarm: IdleAlarm | undefined, watcher: WatcherAvailability | undefined): AutoStopChoice {
  const watched = watcher?.state === 'checked' && watcher.status.installed ? watcher.status.settings?.idleMinutes : undefined;
  return {
    on: alarm !== undefined || watched !== undefined,
    minutes: String(alarm?.ruleMinutes ?? watched ?? AUTO_STOP_DEFAULT_MINUTES),
    cpuPercent: String(alarm?.cpuPercent ?? AUTO_STOP_DEFAULT_CPU_PERCENT),
  };
}

/**
 * "Stop when idle…" for one instance: the switch, N minutes and the CPU %, the on-instance watcher when SSH
 * works, the rule in words, the alarm's state, and why the instance stopped when Hangar's rule stopped it.
 */
export function AutoStopDialog({ accountId, instance, onClose }: AutoStopDialogProps): ReactNode {
  const name = instance.name ?? instance.id;
  const ref = { accountId, region: instance.region, instanceId: instance.id };
  const known = useIdleAlarm(accountId, instance.region, instance.id);
  const [status, setStatus] = useState<AutoStopStatus>();
  const [statusError, setStatusError] = useState<HangarError>();
  const [choice, setChoice] = useState<AutoStopChoice>(() => choiceFrom(known, undefined));
  // Once the user changed the form, what arrives from the instance no longer overwrites it.
  const touched = useRef(false);
  const [withWatcher, setWithWatcher] = useState(false);
  const [saving, setSaving] = useState(false);
  const [saveError, setSaveError] = useState<HangarError>();
  const [outcome, setOutcome] = useState<AutoStopStatus>();
  const watcherId = useId();
  const stopReason = useStopReason(accountId, instance, true);

  useEffect(() => {
    let live = true;
    api.autoStop.status(ref).then(
      (value) => {
        if (!live) return;
        setStatus(value);
        idleAlarms.set(accountId, instance.region, instance.id, value.alarm);
        if (!touched.current) {
          setChoice(choiceFrom(value.alarm, value.watcher));
          setWithWatcher(value.watcher.state === 'checked' && value.watcher.status.installed);
        }
      },
      (error: unknown) => live && setStatusError(toHangarError(error)),
    );
    return () => {
      live = false;
    };
    // One look per opening of the dialog.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);

  const alarm = status?.alarm ?? known;
  const watcher = status?.watcher;
  const watcherInstalled = watcher?.state === 'checked' && watcher.status.installed;
  const wasOn = alarm !== undefined || watcherInstalled;
  const problems = autoStopProblems(choice);
  const valid = problems.minutes === undefined && problems.cpuPercent === undefined;

  function change(next: AutoStopChoice): void {
    touched.current = true;
    setChoice(next);
    setSaveError(undefined);
  }

  async function save(layers: { alarm: boolean; watcher: boolean } = { alarm: true, watcher: withWatcher }): Promise<void> {
    if (saving) return;
    if (choice.on && !valid) return;
    if (!choice.on && !wasOn) {
      onClose();
      return;
    }
    setSaving(true);
    setSaveError(undefined);
    try {
      const result = choice.on
        ? await api.autoStop.enable({ instance: ref, minutes: Number(choice.minutes), cpuPercent: Number(choice.cpuPercent), ...layers })
        : await api.autoStop.disable(ref);
      idleAlarms.set(accountId, instance.region, instance.id, result.alarm);
      const leftBehind = !choice.on && watcherInstalled && result.watcher.state !== 'checked';
      if (result.problems !== undefined || leftBehind) setOutcome(result);
      else onClose();
    } catch (error) {
      setSaveError(toHangarError(error));
    } finally {
      setSaving(false);
    }
  }

  const watcherAlone = saveError?.code === 'AWS_UNAUTHORIZED' && saveError.details?.watcherAlone === true && watcher?.state === 'checked';
  const minutes = Number(choice.minutes);
  const cpuPercent = Number(choice.cpuPercent);

  return (
    <Dialog
      open
      title={`Stop when idle — ${name}`}
      onClose={onClose}
      footer={
        outcome ? (
          <Button variant="primary" onClick={onClose}>
            Done
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button variant="primary" onClick={() => void save()} disabled={saving || (choice.on && !valid)}>
              {saving ? 'Saving…' : 'Save'}
            </Button>
          </>
        )
      }
    >
      <form
        className="auto-stop"
        aria-label="Stop when idle"
        onSubmit={(event) => {
          event.preventDefault();
          void save();
        }}
      >
        <p className="auto-stop__note">
          The rule lives in AWS (a CloudWatch alarm) and, if you like, on the instance (a small watcher), so it keeps working with this computer
          off. Hangar never stops an instance on a timer of its own.
        </p>
        {instance.state === 'stopped' && (stopReason !== undefined || alarm?.state === 'ALARM') && (
          <p className="auto-stop__status" role="status">
            {stopReason !== undefined ? `This instance was ${stopReason}.` : `This instance was stopped by Hangar's idle alarm: ${alarm?.stateReason ?? 'its CPU stayed low'}.`}
          </p>
        )}
        <AutoStopFields switchLabel={`Stop ${name} when idle`} value={choice} onChange={change} disabled={saving || outcome !== undefined}>
          <div className="check-label">
            <input
              id={watcherId}
              type="checkbox"
              checked={withWatcher}
              disabled={watcher?.state !== 'checked' || saving || outcome !== undefined}
              onChange={(event) => {
                touched.current = true;
                setWithWatcher(event.target.checked);
              }}
              aria-describedby={`${watcherId}-note`}
            />
            <div>
              <label htmlFor={watcherId}>Also install the on-instance watcher (GPU, Jupyter and SSH aware)</label>
              <p className="auto-stop__note" id={`${watcherId}-note`}>
                {watcherNote(watcher, statusError !== undefined)}
              </p>
            </div>
          </div>
          {valid && (
            <p className="auto-stop__rule" aria-live="polite">
              {describeAutoStopRule({ minutes, cpuPercent, alarm: true, watcher: withWatcher })}
            </p>
          )}
        </AutoStopFields>
        {alarm && <p className="auto-stop__status">The idle alarm {alarm.alarmName} is {ALARM_STATES[alarm.state]}{alarm.stops ? '' : ', but its stop action was changed or disabled outside Hangar; saving puts it back'}.</p>}
        {statusError && <ErrorNotice error={statusError} title="Hangar could not look at this instance’s idle rule" />}
        {saveError && (
          <ErrorNotice error={saveError} title={choice.on ? 'Stop when idle was not switched on' : 'Stop when idle was not switched off'}>
            {watcherAlone && (
              <div className="notice__actions">
                <Button size="s" onClick={() => void save({ alarm: false, watcher: true })}>
                  Use the watcher alone
                </Button>
              </div>
            )}
          </ErrorNotice>
        )}
        {outcome && <Outcome outcome={outcome} on={choice.on} />}
      </form>
    </Dialog>
  );
}

function watcherNote(watcher: WatcherAvailability | undefined, failed: boolean): string {
  if (watcher === undefined) return failed ? 'Not offered: Hangar could not look at the instance.' : 'Checking whether Hangar can reach the instance over SSH…';
  switch (watcher.state) {
    case 'not-running':
      return 'Start the instance to install the watcher on it (it goes on over SSH, with sudo).';
    case 'unavailable':
      return `Not offered: ${watcher.error.message}`;
    case 'checked': {
      const s = watcher.status;
      if (!s.installed) return 'Counts a busy GPU, an active Jupyter kernel or an SSH session as use, not only CPU; installed over SSH with sudo. The alarm then becomes its backstop.';
      const last = s.lastDecision === undefined ? 'it has not run yet' : `last check: ${s.lastDecision}${s.lastReason ? ` (${s.lastReason})` : ''}`;
      return `Installed, stopping after ${s.settings?.idleMinutes ?? '?'} min idle; ${last}.`;
    }
  }
}

function Outcome({ outcome, on }: { outcome: AutoStopStatus; on: boolean }): ReactNode {
  const { problems } = outcome;
  return (
    <div className="auto-stop">
      {on && outcome.alarm && <p className="auto-stop__status" role="status">The CloudWatch alarm is set: it stops the instance on its own.</p>}
      {on && outcome.watcher.state === 'checked' && outcome.watcher.status.installed && (
        <p className="auto-stop__status" role="status">The watcher is installed on the instance and stops it on its own.</p>
      )}
      {problems?.watcher && <ErrorNotice error={HangarError.fromJSON(problems.watcher)} title="The on-instance watcher was not installed; the alarm works alone" />}
      {problems?.alarm && <ErrorNotice error={HangarError.fromJSON(problems.alarm)} title="The CloudWatch alarm was not set; the watcher works alone" />}
      {!on && outcome.watcher.state === 'unavailable' && (
        <ErrorNotice error={HangarError.fromJSON(outcome.watcher.error)} title="The alarm is gone, but the watcher could not be removed from the instance">
          <p className="notice__text">Switch Stop when idle off again once Hangar can reach it over SSH, or it may still stop itself when idle.</p>
        </ErrorNotice>
      )}
      {!on && outcome.watcher.state === 'not-running' && (
        <p className="auto-stop__status" role="status">
          The alarm is gone. The instance is not running, so its watcher is still on it: switch Stop when idle off again after starting it.
        </p>
      )}
    </div>
  );
}
