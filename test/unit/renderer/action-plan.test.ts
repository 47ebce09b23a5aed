import { describe, expect, it } from 'vitest';
import { INSTANCE_STATE_NAMES, type InstanceStateName, type InstanceSummary } from '../../../src/shared/models/ec2';
import { INSTANCE_ACTIONS } from '../../../src/shared/models/instance-actions';
import { ACTIONS, byRegion, displayName, planAction } from '../../../src/renderer/features/instances/action-plan';

function instance(id: string, state: InstanceStateName, patch: Partial<InstanceSummary> = {}): InstanceSummary {
  return { id, state, type: 't3.micro', availabilityZone: 'eu-west-1a', imageId: 'ami-1', launchTime: '2024-05-01T10:00:00Z', region: 'eu-west-1', ...patch };
}

const ids = (list: readonly InstanceSummary[]): string[] => list.map((item) => item.id);

describe('planAction', () => {
  const mixed = [
    instance('i-run', 'running'),
    instance('i-pend', 'pending'),
    instance('i-stopping', 'stopping'),
    instance('i-stopped', 'stopped'),
    instance('i-down', 'shutting-down'),
    instance('i-gone', 'terminated'),
  ];

  it.each([
    ['start', ['i-stopped']],
    ['stop', ['i-run', 'i-pend']],
    ['hibernate', ['i-run']],
    ['reboot', ['i-run']],
    ['terminate', ['i-run', 'i-pend', 'i-stopping', 'i-stopped']],
  ] as const)('%s applies to %j of a mixed selection, in selection order', (action, expected) => {
    const plan = planAction(action, mixed);
    expect(plan.action).toBe(action);
    expect(ids(plan.targets)).toEqual(expected);
    // Nothing is lost: every selected instance is either a target or skipped with a reason.
    expect([...ids(plan.targets), ...plan.skipped.map((s) => s.instance.id)].sort()).toEqual(ids(mixed).sort());
  });

  it('says in words why an instance is left out', () => {
    const plan = planAction('start', [instance('i-run', 'running'), instance('i-down', 'shutting-down')]);
    expect(plan.skipped).toEqual([
      { instance: expect.objectContaining({ id: 'i-run' }), reason: 'it is running' },
      { instance: expect.objectContaining({ id: 'i-down' }), reason: 'it is shutting down' },
    ]);
  });

  it('plans nothing for an empty selection', () => {
    for (const action of INSTANCE_ACTIONS) expect(planAction(action, [])).toEqual({ action, targets: [], skipped: [] });
  });

  it('keeps protected instances as terminate targets: protection is asked of AWS when the dialog opens, not read from the list', () => {
    const plan = planAction('terminate', [
      instance('i-guarded', 'running', { terminationProtected: true }),
      instance('i-free', 'stopped', { terminationProtected: false }),
      instance('i-gone', 'terminated', { terminationProtected: true }),
    ]);
    expect(ids(plan.targets)).toEqual(['i-guarded', 'i-free']);
    expect(plan.skipped.map((s) => [s.instance.id, s.reason])).toEqual([['i-gone', 'it is terminated']]);
  });

  it('only terminate is marked dangerous, and every state is covered by some action', () => {
    expect(INSTANCE_ACTIONS.filter((action) => ACTIONS[action].danger)).toEqual(['terminate']);
    const reachable = new Set(INSTANCE_ACTIONS.flatMap((action) => ACTIONS[action].from));
    // Nothing can be done with an instance on its way out or gone.
    expect(INSTANCE_STATE_NAMES.filter((state) => !reachable.has(state)).sort()).toEqual(['shutting-down', 'terminated']);
  });
});

describe('byRegion', () => {
  it('groups by region, keeping the order within each region', () => {
    const groups = byRegion([
      instance('i-1', 'running', { region: 'eu-west-1' }),
      instance('i-2', 'running', { region: 'us-east-1' }),
      instance('i-3', 'running', { region: 'eu-west-1' }),
    ]);
    expect([...groups.keys()]).toEqual(['eu-west-1', 'us-east-1']);
    expect(ids(groups.get('eu-west-1') ?? [])).toEqual(['i-1', 'i-3']);
    expect(ids(groups.get('us-east-1') ?? [])).toEqual(['i-2']);
    expect(byRegion([]).size).toBe(0);
  });
});

describe('displayName', () => {
  it('is the Name tag, else the id', () => {
    expect(displayName(instance('i-1', 'running', { name: 'web' }))).toBe('web');
    expect(displayName(instance('i-1', 'running'))).toBe('i-1');
  });
});
