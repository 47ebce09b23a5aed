import { DescribeInstanceAttributeCommand, DescribeInstancesCommand } from '@aws-sdk/client-ec2';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceStateName } from '../../../shared/models/ec2';
import type { InstanceRef } from '../../../shared/models/transfers';
import type { AwsClientFactory } from '../aws/aws-client-factory';
import { callAws } from '../aws/call-aws';
import { isStateName } from './instance-summary';

export interface StopFacts {
  readonly state: InstanceStateName;
  /** 'instance-store': EC2 cannot stop it (only terminate). */
  readonly rootDeviceType: 'ebs' | 'instance-store';
  readonly instanceType: string;
}

export interface InstanceStopFacts {
  /** What stopping the instance depends on: its state and its root device (DescribeInstances). */
  facts(ref: InstanceRef, signal?: AbortSignal): Promise<StopFacts>;
  /**
   * What a shutdown from inside does (DescribeInstanceAttribute instanceInitiatedShutdownBehavior):
   * the idle watcher runs `shutdown -h now`, which must stop the instance, not terminate it.
   */
  shutdownBehaviour(ref: InstanceRef, signal?: AbortSignal): Promise<'stop' | 'terminate'>;
}

/** The EC2 facts "Stop when idle" checks before it puts a rule in place. */
export function createInstanceStopFacts(deps: { clientsFor(accountId: string): AwsClientFactory }): InstanceStopFacts {
  return {
    async facts(ref, signal) {
      const { accountId, region, instanceId } = ref;
      const out = await callAws(
        () => deps.clientsFor(accountId).ec2(region).send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }), { abortSignal: signal }),
        { action: 'ec2:DescribeInstances', region, signal },
      );
      const raw = out.Reservations?.flatMap((r) => r.Instances ?? []).find((i) => i.InstanceId === instanceId);
      const state = raw?.State?.Name;
      if (raw === undefined || !isStateName(state)) {
        throw new HangarError({
          code: 'AWS_NOT_FOUND',
          message: `Instance ${instanceId} was not found in ${region}.`,
          hint: 'It may have been terminated; refresh the instance list.',
          details: { instanceId, region },
        });
      }
      return { state, rootDeviceType: raw.RootDeviceType === 'instance-store' ? 'instance-store' : 'ebs', instanceType: raw.InstanceType ?? 'unknown' };
    },

    async shutdownBehaviour(ref, signal) {
      const { accountId, region, instanceId } = ref;
      const out = await callAws(
        () =>
          deps
            .clientsFor(accountId)
            .ec2(region)
            .send(new DescribeInstanceAttributeCommand({ InstanceId: instanceId, Attribute: 'instanceInitiatedShutdownBehavior' }), { abortSignal: signal }),
        { action: 'ec2:DescribeInstanceAttribute', region, signal },
      );
      // Anything but an explicit 'stop' is treated as the dangerous answer.
      return out.InstanceInitiatedShutdownBehavior?.Value === 'stop' ? 'stop' : 'terminate';
    },
  };
}
