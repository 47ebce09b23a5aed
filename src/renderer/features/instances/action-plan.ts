import type { InstanceStateName, InstanceSummary } from '../../../shared/models/ec2';
import type { InstanceAction } from '../../../shared/models/instance-actions';
import { STATE_LABELS } from './format';

export interface ActionMeta {
  readonly verb: string;
  /** "Stopping" — for the status line after the request is accepted. */
  readonly progressive: string;
  /** The states an instance must be in for the action to make sense. */
  readonly from: readonly InstanceStateName[];
  /** What happens, in plain words, shown before anything runs. */
  readonly explanation: readonly string[];
  readonly danger: boolean;
}

export const ACTIONS: Record<InstanceAction, ActionMeta> = {
  start: {
    verb: 'Start',
    progressive: 'Starting',
    from: ['stopped'],
    explanation: [
      'The instance boots from its disk and compute billing starts again.',
      'It gets a new public IP address unless it has an Elastic IP.',
    ],
    danger: false,
  },
  stop: {
    verb: 'Stop',
    progressive: 'Stopping',
    from: ['running', 'pending'],
    explanation: [
      'The disk is kept. Compute billing stops, but storage (EBS volumes) is still billed. The public IP address changes on the next start unless it is an Elastic IP.',
      'Anything only in memory is lost, as with shutting a computer down.',
    ],
    danger: false,
  },
  hibernate: {
    verb: 'Hibernate',
    progressive: 'Hibernating',
    from: ['running'],
    explanation: [
      'The contents of memory (RAM) are saved to the instance’s root disk and the instance stops. On the next start, programs carry on where they were.',
      'Only instances launched with hibernation enabled can do this; AWS refuses it for the others, and Hangar shows why.',
      'As with stop, storage is still billed and the public IP address changes unless it is an Elastic IP.',
    ],
    danger: false,
  },
  reboot: {
    verb: 'Reboot',
    progressive: 'Rebooting',
    from: ['running'],
    explanation: ['The operating system restarts. The instance keeps the IP and disk, and billing does not change. Programs that were running stop.'],
    danger: false,
  },
  terminate: {
    verb: 'Terminate',
    progressive: 'Terminating',
    from: ['pending', 'running', 'stopping', 'stopped'],
    explanation: ['This deletes the instance and every volume marked delete-on-termination, forever. This cannot be undone.'],
    danger: true,
  },
};

export interface ActionPlan {
  readonly action: InstanceAction;
  /** Selected instances the action applies to. */
  readonly targets: readonly InstanceSummary[];
  /** Selected instances left out, with the reason in words. */
  readonly skipped: readonly { readonly instance: InstanceSummary; readonly reason: string }[];
  /** Terminating a whole cluster: its name is what is typed to confirm. */
  readonly cluster?: string;
}

export function planAction(action: InstanceAction, selected: readonly InstanceSummary[]): ActionPlan {
  const meta = ACTIONS[action];
  const targets: InstanceSummary[] = [];
  const skipped: { instance: InstanceSummary; reason: string }[] = [];
  for (const instance of selected) {
    if (meta.from.includes(instance.state)) targets.push(instance);
    else skipped.push({ instance, reason: `it is ${STATE_LABELS[instance.state].toLowerCase()}` });
  }
  return { action, targets, skipped };
}

export function displayName(instance: InstanceSummary): string {
  return instance.name ?? instance.id;
}

/** Instances grouped by region: EC2 acts on one region per call. */
export function byRegion(instances: readonly InstanceSummary[]): Map<string, InstanceSummary[]> {
  const groups = new Map<string, InstanceSummary[]>();
  for (const instance of instances) groups.set(instance.region, [...(groups.get(instance.region) ?? []), instance]);
  return groups;
}
