import {
  DescribeInstancesCommand,
  DescribeInstanceTypeOfferingsCommand,
  DescribeInstanceTypesCommand,
  ModifyInstanceAttributeCommand,
  StartInstancesCommand,
  StopInstancesCommand,
  type Instance,
  type InstanceTypeInfo,
} from '@aws-sdk/client-ec2';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { LaunchTypeOption, RegionScope } from '../../../shared/models/launch';
import type { ChangeTypeInput, StorageInstance, TypeChangeChoices, TypeChangeResult, TypeChoice } from '../../../shared/models/storage';
import type { Ec2Call } from '../launch/ec2-call';

export interface TypeChangeDeps {
  call: Ec2Call;
  /** The Launch wizard's list: types offered in the region for an architecture, cheapest first, with prices. */
  instanceTypes(scope: RegionScope, architecture: string, signal?: AbortSignal): Promise<LaunchTypeOption[]>;
  progress(instanceId: string, step: string): void;
  sleep(ms: number, signal?: AbortSignal): Promise<void>;
  pollMs: number;
}

export interface TypeChange {
  choices(input: StorageInstance, signal?: AbortSignal): Promise<TypeChangeChoices>;
  change(input: ChangeTypeInput, signal?: AbortSignal): Promise<TypeChangeResult>;
}

function choiceOf(t: LaunchTypeOption, unavailable: string | undefined): TypeChoice {
  return { instanceType: t.instanceType, vcpus: t.vcpus, memoryMiB: t.memoryMiB, gpus: t.gpus, gpuModel: t.gpuModel, pricePerHour: t.pricePerHour, family: t.family, unavailable };
}

/** Why a type cannot run this instance (its AMI's drivers), or undefined. */
export function incompatibility(info: InstanceTypeInfo | undefined, enaSupport: boolean): string | undefined {
  if (!info) return undefined;
  if (info.NetworkInfo?.EnaSupport === 'required' && !enaSupport) return 'Needs the ENA network driver, which this instance’s image does not have.';
  if (info.EbsInfo?.NvmeSupport === 'required' && !enaSupport) return 'Needs NVMe disk drivers (Nitro), which this instance’s image does not have.';
  return undefined;
}

export function createTypeChange(deps: TypeChangeDeps): TypeChange {
  const { call } = deps;
  const describe = async (scope: RegionScope, instanceId: string, signal?: AbortSignal): Promise<Instance> => {
    const out = await call(scope, 'ec2:DescribeInstances', signal, (c) => c.send(new DescribeInstancesCommand({ InstanceIds: [instanceId] }), { abortSignal: signal }));
    const instance = out.Reservations?.[0]?.Instances?.[0];
    if (!instance) throw new HangarError({ code: 'AWS_NOT_FOUND', message: `${instanceId} was not found in ${scope.region}.` });
    return instance;
  };
  const waitFor = async (scope: RegionScope, instanceId: string, state: string, signal?: AbortSignal): Promise<void> => {
    for (let i = 0; i < 600; i += 1) {
      const now = (await describe(scope, instanceId, signal)).State?.Name;
      if (now === state) return;
      if (now === 'terminated' || now === 'shutting-down') throw new HangarError({ code: 'AWS_INCORRECT_STATE', message: `${instanceId} is ${now}.` });
      await deps.sleep(deps.pollMs, signal);
    }
    throw new HangarError({ code: 'AWS_INCORRECT_STATE', message: `${instanceId} did not become ${state} in time.`, retryable: true });
  };

  return {
    async choices(input, signal) {
      const instance = await describe(input, input.instanceId, signal);
      const architecture = instance.Architecture ?? 'x86_64';
      const zone = instance.Placement?.AvailabilityZone ?? '';
      const enaSupport = instance.EnaSupport ?? false;
      const [types, inZone] = await Promise.all([
        deps.instanceTypes(input, architecture, signal),
        call(input, 'ec2:DescribeInstanceTypeOfferings', signal, async (c) => {
          const offered = new Set<string>();
          let token: string | undefined;
          do {
            const out = await c.send(new DescribeInstanceTypeOfferingsCommand({ LocationType: 'availability-zone', Filters: [{ Name: 'location', Values: [zone] }], NextToken: token }), { abortSignal: signal });
            for (const o of out.InstanceTypeOfferings ?? []) if (o.InstanceType) offered.add(o.InstanceType);
            token = out.NextToken;
          } while (token);
          return offered;
        }),
      ]);
      const infos = new Map<string, InstanceTypeInfo>();
      const names = types.map((t) => t.instanceType);
      for (let i = 0; i < names.length; i += 100) {
        const out = await call(input, 'ec2:DescribeInstanceTypes', signal, (c) =>
          c.send(new DescribeInstanceTypesCommand({ InstanceTypes: names.slice(i, i + 100) as never[] }), { abortSignal: signal }),
        );
        for (const t of out.InstanceTypes ?? []) if (t.InstanceType) infos.set(t.InstanceType, t);
      }
      const currentType = instance.InstanceType ?? '';
      const choices = types
        .filter((t) => t.instanceType !== currentType)
        .map((t) => choiceOf(t, !inZone.has(t.instanceType) ? `Not offered in ${zone}, the instance’s zone.` : incompatibility(infos.get(t.instanceType), enaSupport)));
      const current = types.find((t) => t.instanceType === currentType);
      return {
        instanceId: input.instanceId,
        state: instance.State?.Name ?? 'unknown',
        availabilityZone: zone,
        architecture,
        current: current ? choiceOf(current, undefined) : undefined,
        currentType,
        enaSupport,
        choices,
      };
    },

    async change(input, signal) {
      const instance = await describe(input, input.instanceId, signal);
      const from = instance.InstanceType ?? '';
      const state = instance.State?.Name ?? '';
      if (from === input.instanceType) throw new HangarError({ code: 'INVALID_ARGUMENT', message: `${input.instanceId} is already ${from}.` });
      if (state !== 'stopped' && state !== 'running') {
        throw new HangarError({ code: 'AWS_INCORRECT_STATE', message: `${input.instanceId} is ${state}; its type changes once it is stopped.`, hint: 'Wait until it is stopped or running, then try again.', retryable: true });
      }
      if (state === 'running' && !input.restart) {
        throw new HangarError({ code: 'AWS_INCORRECT_STATE', message: `${input.instanceId} is running; its type changes only while it is stopped.`, hint: 'Choose Stop, change and start.' });
      }
      if (state === 'running') {
        deps.progress(input.instanceId, 'Stopping the instance');
        await call(input, 'ec2:StopInstances', signal, (c) => c.send(new StopInstancesCommand({ InstanceIds: [input.instanceId] }), { abortSignal: signal }));
        await waitFor(input, input.instanceId, 'stopped', signal);
      }
      deps.progress(input.instanceId, `Changing the type to ${input.instanceType}`);
      try {
        await call(input, 'ec2:ModifyInstanceAttribute', signal, (c) =>
          c.send(new ModifyInstanceAttributeCommand({ InstanceId: input.instanceId, InstanceType: { Value: input.instanceType } }), { abortSignal: signal }),
        );
      } catch (error) {
        // Nothing lost: the instance goes back to running as it was before it is said.
        if (state === 'running') {
          deps.progress(input.instanceId, 'The change was refused: starting the instance again as it was');
          await call(input, 'ec2:StartInstances', undefined, (c) => c.send(new StartInstancesCommand({ InstanceIds: [input.instanceId] })));
        }
        if (error instanceof HangarError) {
          throw new HangarError({ code: 'STORAGE_TYPE_INCOMPATIBLE', message: `AWS refused ${input.instanceType} for ${input.instanceId}: ${error.message}`, hint: state === 'running' ? 'It was started again with its old type.' : error.hint, details: error.details ?? {} });
        }
        throw error;
      }
      if (state === 'running') {
        deps.progress(input.instanceId, 'Starting the instance');
        await call(input, 'ec2:StartInstances', signal, (c) => c.send(new StartInstancesCommand({ InstanceIds: [input.instanceId] }), { abortSignal: signal }));
      }
      deps.progress(input.instanceId, 'Done');
      return { instanceId: input.instanceId, from, to: input.instanceType, state: state === 'running' ? 'running' : 'stopped' };
    },
  };
}
