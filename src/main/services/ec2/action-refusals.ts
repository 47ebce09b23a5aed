import { cancelledError, HangarError } from '../../../shared/errors/hangar-error';
import { INSTANCE_STATE_NAMES, type InstanceStateName } from '../../../shared/models/ec2';
import type { InstanceAction } from '../../../shared/models/instance-actions';
import { awsCodeOf, awsMessageOf } from '../aws/aws-error-fields';
import { mapAwsError } from '../aws/map-aws-error';

export const TERMINATION_PROTECTION_HINT =
  "Turn off termination protection in the instance's settings (Actions → Instance settings → Change termination protection), then try again.";

export interface RefusalContext {
  accountId: string;
  region: string;
  action: InstanceAction;
  ids: string[];
  signal: AbortSignal | undefined;
  /** A fresh look at the instances' states, to say which one was not ready and why. */
  describeStates(accountId: string, region: string, ids: string[], signal?: AbortSignal): Promise<Map<string, InstanceStateName>>;
}

const IAM_ACTION: Readonly<Record<InstanceAction, string>> = {
  start: 'ec2:StartInstances',
  stop: 'ec2:StopInstances',
  hibernate: 'ec2:StopInstances',
  reboot: 'ec2:RebootInstances',
  terminate: 'ec2:TerminateInstances',
};

/** The states from which EC2 accepts each action (anything else earns IncorrectInstanceState). */
const ACCEPTS: Readonly<Record<InstanceAction, readonly InstanceStateName[]>> = {
  start: ['pending', 'running', 'stopped'],
  stop: ['pending', 'running', 'stopping', 'stopped'],
  hibernate: ['running', 'stopping', 'stopped'],
  reboot: ['running'],
  terminate: INSTANCE_STATE_NAMES,
};

const VERB: Readonly<Record<InstanceAction, string>> = {
  start: 'started',
  stop: 'stopped',
  hibernate: 'hibernated',
  reboot: 'rebooted',
  terminate: 'terminated',
};

const WAIT_HINT = 'Wait a moment: the table follows the instance until it settles, and the action can be tried again then.';
const GONE_HINT = 'Terminated instances cannot be started or stopped again; they disappear from the list after about an hour.';

/**
 * AWS's refusal of a start / stop / hibernate / reboot / terminate, said so that it names the instance
 * that was in the way and what would make the action work.
 */
export async function explainRefusal(error: unknown, ctx: RefusalContext): Promise<HangarError> {
  const { region, action, ids } = ctx;
  const code = awsCodeOf(error);
  const mapped = mapAwsError(error, { action: IAM_ACTION[action], region });
  const named = namedIds(awsMessageOf(error), ids);

  if (code === 'OperationNotPermitted' && action === 'terminate') {
    // Protection switched on between our check and the call.
    return protectedError(named.length > 0 ? named : ids, region, error);
  }
  if (code === 'UnsupportedOperation' && (action === 'stop' || action === 'hibernate') && /one-time Spot/i.test(awsMessageOf(error))) {
    const who = named.length > 0 ? named : ids;
    return new HangarError({
      code: 'AWS_OPERATION_NOT_PERMITTED',
      message:
        who.length === 1
          ? `${who[0]} is a one-time spot instance: it cannot be stopped, only terminated.`
          : `${who.length} instances are one-time spot instances (${who.join(', ')}): they cannot be stopped, only terminated.`,
      hint: 'Terminate it when you are done (its root volume goes with it unless it was set to be kept). To be able to stop a spot instance, launch it with “Stop the instance (persistent request)”.',
      details: { ...mapped.details, instanceIds: who.join(', ') },
      cause: error,
    });
  }
  if (code === 'UnsupportedHibernationConfiguration' || (code === 'UnsupportedOperation' && action === 'hibernate')) {
    const who = named.length > 0 ? named : ids;
    return new HangarError({
      code: 'AWS_OPERATION_NOT_PERMITTED',
      message:
        who.length === 1
          ? `${who[0]} cannot hibernate: hibernation was not turned on when it was launched.`
          : `${who.length} instances cannot hibernate (${who.join(', ')}): hibernation was not turned on when they were launched.`,
      hint: 'Hibernation can only be turned on when an instance is launched. Use Stop instead (memory contents are lost; the disk is kept), or launch a new instance with hibernation enabled.',
      details: { ...mapped.details, instanceIds: who.join(', ') },
      cause: error,
    });
  }
  if (code === 'IncorrectInstanceState') {
    let states: Map<string, InstanceStateName> | undefined;
    try {
      states = await ctx.describeStates(ctx.accountId, region, ids, ctx.signal);
    } catch {
      states = undefined;
    }
    if (ctx.signal?.aborted) return cancelledError();
    const culprits = (named.length > 0 ? named : ids).flatMap((id) => {
      const state = states?.get(id);
      return state !== undefined && !ACCEPTS[action].includes(state) ? [{ id, state }] : [];
    });
    const first = culprits[0];
    if (first) {
      const more = culprits.length > 1 ? ` (${culprits.length - 1} more selected instance${culprits.length > 2 ? 's are' : ' is'} not ready either)` : '';
      const text = refusalText(action, first.id, first.state);
      return new HangarError({
        code: 'AWS_INCORRECT_STATE',
        message: `${text.message}${more}`,
        hint: text.hint,
        details: { ...mapped.details, instanceId: first.id, state: first.state },
        cause: error,
      });
    }
  }
  return mapped;
}

/** Termination protection is on for `ids`, so nothing was terminated. */
export function protectedError(ids: string[], region: string, cause?: unknown): HangarError {
  return new HangarError({
    code: 'AWS_OPERATION_NOT_PERMITTED',
    message:
      ids.length === 1
        ? `${ids[0]} has termination protection turned on, so it was not terminated.`
        : `${ids.length} instances have termination protection turned on (${ids.join(', ')}), so none of the selected instances was terminated.`,
    hint: TERMINATION_PROTECTION_HINT,
    details: { action: 'ec2:TerminateInstances', region, instanceIds: ids.join(', ') },
    ...(cause === undefined ? {} : { cause }),
  });
}

/** A sentence for "this instance cannot do that now", naming the instance and what would make it work. */
function refusalText(action: InstanceAction, id: string, state: InstanceStateName): { message: string; hint: string } {
  const verb = VERB[action];
  if (state === 'terminated' || state === 'shutting-down') {
    const now = state === 'terminated' ? 'is terminated' : 'is shutting down (being terminated)';
    return { message: `${id} ${now}, so it cannot be ${verb}.`, hint: GONE_HINT };
  }
  if (state === 'stopping') {
    return { message: `${id} is stopping; it can be ${verb} once it has stopped.`, hint: WAIT_HINT };
  }
  if (state === 'pending') {
    return { message: `${id} is pending; it can be ${verb} once it is running.`, hint: WAIT_HINT };
  }
  if (state === 'stopped' && action === 'reboot') {
    return { message: `${id} is stopped; only a running instance can be rebooted.`, hint: 'Start it instead.' };
  }
  return { message: `${id} is ${state}, so it cannot be ${verb} right now.`, hint: WAIT_HINT };
}

/** The selected instance ids AWS's message mentions, in selection order. */
function namedIds(message: string, ids: readonly string[]): string[] {
  const mentioned = new Set(message.match(/i-[0-9a-f]{8,17}/g) ?? []);
  return ids.filter((id) => mentioned.has(id));
}
