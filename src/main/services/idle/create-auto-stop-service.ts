import { cancelledError, HangarError } from '../../../shared/errors/hangar-error';
import { autoStopInputSchema, type AutoStopInput, type IdleAlarm, type WatcherAvailability } from '../../../shared/models/auto-stop';
import { DEFAULT_IDLE_WATCHER_SETTINGS } from '../../../shared/models/idle-watcher';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { InstanceStopFacts } from '../ec2/instance-stop-facts';
import type { Logger } from '../logging/logger';
import type { AutoStopService } from './auto-stop-service';
import type { IdleAlarms } from './idle-alarm';
import { describeIdleReason } from './idle-reason';
import type { IdleWatcherService } from './idle-watcher-service';

export interface AutoStopServiceDeps {
  alarms: IdleAlarms;
  watcher: IdleWatcherService;
  stopFacts: Pick<InstanceStopFacts, 'facts'>;
  /** The instance's console output (ec2.consoleOutput): where the watcher says why it stopped it. */
  consoleOutput(ref: InstanceRef, signal?: AbortSignal): Promise<string | undefined>;
  logger: Logger;
  /** How long a look at the watcher (status, or removal when switching off) may wait for SSH; default 20 s. */
  watcherTimeoutMs?: number;
  /** Told whenever an instance's alarm was put, re-armed or deleted (the composition tells every window). */
  onAlarmChanged?: (ref: InstanceRef, alarm: IdleAlarm | undefined) => void;
}

type Problems = { alarm?: ReturnType<HangarError['toJSON']>; watcher?: ReturnType<HangarError['toJSON']> };

/** The alarm and the watcher, put in place and taken away together (auto-stop-service.ts says how). */
export function createAutoStopService(deps: AutoStopServiceDeps): AutoStopService {
  const { alarms, watcher, stopFacts, logger } = deps;
  const watcherTimeoutMs = deps.watcherTimeoutMs ?? 20_000;
  const background = new Set<Promise<void>>();
  const changed = (ref: InstanceRef, alarm: IdleAlarm | undefined): void => {
    const { accountId, region, instanceId } = ref;
    deps.onAlarmChanged?.({ accountId, region, instanceId }, alarm);
  };

  /** The watcher's status (or its removal), bounded in time: SSH that does not work means "not offered". */
  async function lookAtWatcher(ref: InstanceRef, running: boolean, op: 'status' | 'uninstall', signal?: AbortSignal): Promise<WatcherAvailability> {
    if (!running) return { state: 'not-running' };
    const timeout = AbortSignal.timeout(watcherTimeoutMs);
    const bounded = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
    try {
      const status = op === 'status' ? await watcher.status(ref, bounded) : await watcher.uninstall(ref, bounded);
      return { state: 'checked', status };
    } catch (error) {
      if (signal?.aborted) throw cancelledError();
      const wrapped = timeout.aborted
        ? new HangarError({
            code: 'SSH_TIMEOUT',
            message: `${ref.instanceId} did not answer over SSH within ${Math.round(watcherTimeoutMs / 1000)} s, so Hangar cannot look at its idle watcher.`,
            hint: 'Open a terminal on it to check that SSH works, then try again.',
            retryable: true,
          })
        : error instanceof HangarError
          ? error
          : new HangarError({ code: 'SSH_FAILED', message: `Could not reach ${ref.instanceId} over SSH.`, cause: error });
      return { state: 'unavailable', error: wrapped.toJSON() };
    }
  }

  function checkInput(input: AutoStopInput): AutoStopInput {
    const parsed = autoStopInputSchema.safeParse(input);
    if (parsed.success) return parsed.data;
    const issue = parsed.error.issues[0];
    const field = String(issue?.path[0] ?? 'rule');
    throw new HangarError({ code: 'INVALID_ARGUMENT', message: `The idle rule's ${field} is not valid: ${issue?.message ?? 'out of range'}`, details: { field } });
  }

  function track(work: Promise<void>): void {
    background.add(work);
    void work.finally(() => background.delete(work));
  }

  return {
    async status(ref, signal) {
      const [alarm, facts] = await Promise.all([alarms.find(ref, signal), stopFacts.facts(ref, signal)]);
      const watcherState = await lookAtWatcher(ref, facts.state === 'running', 'status', signal);
      return { instanceId: ref.instanceId, ...(alarm === undefined ? {} : { alarm }), watcher: watcherState };
    },

    async enable(raw, signal) {
      const input = checkInput(raw);
      const ref = input.instance;
      const { instanceId } = ref;
      const facts = await stopFacts.facts(ref, signal);
      if (facts.rootDeviceType === 'instance-store') throw cannotStopError(instanceId);
      if (facts.state === 'terminated' || facts.state === 'shutting-down') {
        throw new HangarError({ code: 'AWS_INCORRECT_STATE', message: `${instanceId} is ${facts.state === 'terminated' ? 'terminated' : 'being terminated'}; there is nothing left to stop.` });
      }
      const running = facts.state === 'running';
      const problems: Problems = {};
      let watcherState: WatcherAvailability = { state: 'not-running' };
      let watcherOn = false;

      if (input.watcher) {
        try {
          if (!running) {
            throw new HangarError({
              code: 'AWS_INCORRECT_STATE',
              message: `${instanceId} is ${facts.state}: the on-instance watcher can only be installed while it runs.`,
              hint: 'Start it and switch the watcher on then; the CloudWatch alarm needs nothing on the instance.',
            });
          }
          const status = await watcher.install(ref, { ...DEFAULT_IDLE_WATCHER_SETTINGS, idleMinutes: input.minutes }, signal);
          watcherState = { state: 'checked', status };
          watcherOn = status.installed;
        } catch (error) {
          // Without the alarm there is nothing to fall back on: the watcher's refusal is the answer.
          if (signal?.aborted || !input.alarm || !(error instanceof HangarError)) throw error;
          logger.info(`auto-stop on ${instanceId}: watcher not installed (${error.code}); the alarm works alone`);
          problems.watcher = error.toJSON();
          watcherState = { state: 'unavailable', error: error.toJSON() };
        }
      }

      let alarm: IdleAlarm | undefined;
      if (input.alarm) {
        try {
          alarm = await alarms.put(ref, { minutes: input.minutes, cpuPercent: input.cpuPercent, backstop: watcherOn }, signal);
        } catch (error) {
          if (signal?.aborted || !watcherOn || !(error instanceof HangarError)) throw error;
          logger.info(`auto-stop on ${instanceId}: alarm not created (${error.code}); the watcher works alone`);
          problems.alarm = error.toJSON();
        }
      } else {
        // The watcher alone: an older alarm would still stop a GPU that trains with an idle CPU.
        await alarms.remove(ref, signal);
      }
      changed(ref, alarm);

      if (!input.watcher) watcherState = await lookAtWatcher(ref, running, 'uninstall', signal);
      logger.info(`auto-stop on ${instanceId}: ${input.minutes} min, alarm ${alarm === undefined ? 'off' : `${alarm.minutes} min < ${alarm.cpuPercent} %`}, watcher ${watcherOn ? 'on' : 'off'}`);
      return {
        instanceId,
        ...(alarm === undefined ? {} : { alarm }),
        watcher: watcherState,
        ...(problems.alarm === undefined && problems.watcher === undefined ? {} : { problems }),
      };
    },

    async disable(ref, signal) {
      const facts = await stopFacts.facts(ref, signal);
      await alarms.remove(ref, signal);
      changed(ref, undefined);
      const watcherState = await lookAtWatcher(ref, facts.state === 'running', 'uninstall', signal);
      logger.info(`auto-stop off on ${ref.instanceId}`);
      return { instanceId: ref.instanceId, watcher: watcherState };
    },

    listAlarms: (accountId, region, signal) => alarms.list(accountId, region, signal),

    async stopReason(ref, signal) {
      const output = await deps.consoleOutput(ref, signal);
      return output === undefined ? undefined : describeIdleReason(output)?.sentence;
    },

    instancesChanged(changes, where) {
      for (const change of changes) {
        const ref = { ...where, instanceId: change.instanceId };
        const gone = change.currentState === 'shutting-down' || change.currentState === 'terminated';
        const started = (change.previousState === 'stopped' || change.previousState === 'stopping') && (change.currentState === 'pending' || change.currentState === 'running');
        if (gone) {
          track(
            alarms.remove(ref).then(
              () => {
                logger.info(`idle alarm of terminated ${change.instanceId} deleted`);
                changed(ref, undefined);
              },
              (error: unknown) => logger.warn(`could not delete the idle alarm of terminated ${change.instanceId}`, error),
            ),
          );
        } else if (started) {
          track(
            (async () => {
              const alarm = await alarms.find(ref);
              if (alarm?.state !== 'ALARM') return;
              await alarms.rearm(ref, 'Started again from Hangar: the idle clock starts over.');
              changed(ref, await alarms.find(ref));
            })().catch((error: unknown) => logger.warn(`could not re-arm the idle alarm of ${change.instanceId}`, error)),
          );
        }
      }
    },

    async settled() {
      while (background.size > 0) await Promise.allSettled([...background]);
    },
  };
}

function cannotStopError(instanceId: string): HangarError {
  return new HangarError({
    code: 'IDLE_CANNOT_STOP',
    message: `${instanceId} has an instance-store root volume, and EC2 cannot stop such instances (only terminate them, which deletes everything on them). Stop when idle is not offered for it.`,
    hint: 'Terminate it yourself when you are done with it, or launch from an EBS-backed image: those can be stopped and keep their disk.',
    details: { instanceId, rootDeviceType: 'instance-store' },
  });
}
