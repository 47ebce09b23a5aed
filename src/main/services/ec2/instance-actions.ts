import {
  RebootInstancesCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  TerminateInstancesCommand,
  type InstanceStateChange as SdkInstanceStateChange,
} from '@aws-sdk/client-ec2';
import { cancelledError, HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceStateName } from '../../../shared/models/ec2';
import type { InstanceActionInput, InstanceStateChange } from '../../../shared/models/instance-actions';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { throwIfAborted } from '../aws/call-aws';
import { explainRefusal, protectedError } from './action-refusals';
import { isStateName } from './instance-summary';
import { cancelPersistentSpotRequests } from './spot-request-cancel';
import type { TerminationProtectionCheck } from './termination-protection';

export interface InstanceActionsDeps {
  clientsFor(accountId: string): AwsClientFactory;
  describeStates(accountId: string, region: string, ids: string[], signal?: AbortSignal): Promise<Map<string, InstanceStateName>>;
  terminationProtection: TerminationProtectionCheck;
}

export type InstanceActions = (input: InstanceActionInput, signal?: AbortSignal) => Promise<InstanceStateChange[]>;

/** Start, stop, hibernate, reboot or terminate instances; a refusal is explained per instance (action-refusals). */
export function createInstanceActions(deps: InstanceActionsDeps): InstanceActions {
  return async (input, signal) => {
    const { accountId, region, action } = input;
    const ids = [...new Set(input.instanceIds)];
    if (ids.length === 0) {
      throw new HangarError({ code: 'INVALID_ARGUMENT', message: 'No instances were selected.', hint: 'Select one or more instances and try again.' });
    }
    throwIfAborted(signal);
    const opts = { abortSignal: signal };
    // Not callAws: a refusal needs explainRefusal's look at the instances, not only the generic mapping.
    try {
      const client = deps.clientsFor(accountId).ec2(region);
      switch (action) {
        case 'start': {
          const out = await client.send(new StartInstancesCommand({ InstanceIds: ids }), opts);
          return toStateChanges(out.StartingInstances);
        }
        case 'stop': {
          const out = await client.send(new StopInstancesCommand({ InstanceIds: ids }), opts);
          return toStateChanges(out.StoppingInstances);
        }
        case 'hibernate': {
          const out = await client.send(new StopInstancesCommand({ InstanceIds: ids, Hibernate: true }), opts);
          return toStateChanges(out.StoppingInstances);
        }
        case 'reboot': {
          await client.send(new RebootInstancesCommand({ InstanceIds: ids }), opts);
          // RebootInstances answers only `true`; the states come from a fresh look.
          const states = await deps.describeStates(accountId, region, ids, signal);
          return ids.flatMap((id) => {
            const state = states.get(id);
            return state === undefined ? [] : [{ instanceId: id, previousState: state, currentState: state }];
          });
        }
        case 'terminate': {
          // Checked first and never lifted: protection is the user's own safety catch.
          const protection = await deps.terminationProtection(accountId, region, ids, signal);
          const protectedIds = protection.filter((p) => p.protected).map((p) => p.instanceId);
          if (protectedIds.length > 0) throw protectedError(protectedIds, region);
          await cancelPersistentSpotRequests(client, ids, region, signal);
          const out = await client.send(new TerminateInstancesCommand({ InstanceIds: ids }), opts);
          return toStateChanges(out.TerminatingInstances);
        }
        default:
          throw new HangarError({ code: 'INVALID_ARGUMENT', message: `Unknown instance action "${String(action)}".` });
      }
    } catch (error) {
      if (signal?.aborted) throw cancelledError();
      if (error instanceof HangarError) throw error;
      throw await explainRefusal(error, { accountId, region, action, ids, signal, describeStates: deps.describeStates });
    }
  };
}

function toStateChanges(changes: SdkInstanceStateChange[] | undefined): InstanceStateChange[] {
  return (changes ?? []).flatMap((c) => {
    const previous = c.PreviousState?.Name;
    const current = c.CurrentState?.Name;
    if (c.InstanceId === undefined || !isStateName(previous) || !isStateName(current)) return [];
    return [{ instanceId: c.InstanceId, previousState: previous, currentState: current }];
  });
}
