import { useEffect, useId, useRef, useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import type { InstanceSummary } from '../../../shared/models/ec2';
import type { InstanceStateChange } from '../../../shared/models/instance-actions';
import { regionDisplayName } from '../../../shared/models/region-names';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { ACTIONS, byRegion, displayName, type ActionPlan } from './action-plan';
import { plural } from '../../components/format';
import { ExtraIcons } from '../../components/extra-icons';
import { useFocusWhenOpen } from '../../components/use-focus-when-open';
import { TerminateSnapshotsOption, useTerminateSnapshots } from './terminate-snapshots';

export interface ActionDialogProps {
  accountId: string;
  /** Undefined while closed. */
  plan: ActionPlan | undefined;
  onClose: () => void;
  /** AWS accepted the action for these instances of one region. */
  onApplied: (region: string, changes: readonly InstanceStateChange[]) => void;
  /** Everything asked for was accepted. */
  onDone: (message: string) => void;
}

type Protection =
  | { readonly status: 'idle' }
  | { readonly status: 'checking' }
  | { readonly status: 'known'; readonly protectedIds: ReadonlySet<string> }
  | { readonly status: 'failed'; readonly error: HangarError };

/** AWS's answer about protection, for the plan it was asked for (a new plan is unanswered). */
type ProtectionAnswer = { readonly plan: ActionPlan; readonly result: Exclude<Protection, { status: 'idle' | 'checking' }> };

interface Failure {
  readonly region: string;
  readonly error: HangarError;
}

const LIST_LIMIT = 8;

function TargetList({ instances, label, multiRegion }: { instances: readonly InstanceSummary[]; label: string; multiRegion: boolean }): ReactNode {
  const shown = instances.slice(0, LIST_LIMIT);
  return (
    <ul className="target-list" aria-label={label}>
      {shown.map((instance) => (
        <li key={instance.id} className="target-list__item">
          <span className="target-list__name">{displayName(instance)}</span>
          {instance.name && <span className="mono target-list__id">{instance.id}</span>}
          {multiRegion && <span className="target-list__region">{regionDisplayName(instance.region)}</span>}
        </li>
      ))}
      {instances.length > shown.length && <li className="target-list__more">and {instances.length - shown.length} more</li>}
    </ul>
  );
}

/**
 * Says in plain words what an action does before it runs. Terminate also checks termination
 * protection first (and never lifts it), and needs the instance's name typed in.
 */
export function ActionDialog({ accountId, plan, onClose, onApplied, onDone }: ActionDialogProps): ReactNode {
  const [answer, setAnswer] = useState<ProtectionAnswer>();
  const [typed, setTyped] = useState('');
  const [running, setRunning] = useState(false);
  const [failures, setFailures] = useState<readonly Failure[]>([]);
  const [finished, setFinished] = useState(false);
  const confirmId = useId();
  const confirmInput = useRef<HTMLInputElement>(null);
  const cancelButton = useRef<HTMLButtonElement>(null);
  // Snapshot before terminate (issue 14): the volumes that would be deleted, and their snapshots when asked.
  const snapshots = useTerminateSnapshots(accountId, plan);
  const [snapshotError, setSnapshotError] = useState<HangarError>();

  const action = plan?.action;
  const meta = action ? ACTIONS[action] : undefined;
  const terminate = action === 'terminate';

  // Before offering to terminate, ask AWS which of the instances are protected.
  useEffect(() => {
    if (!plan || plan.action !== 'terminate' || plan.targets.length === 0) return;
    let live = true;
    const groups = [...byRegion(plan.targets)];
    Promise.all(groups.map(([region, instances]) => api.ec2.terminationProtection(accountId, region, instances.map((i) => i.id)))).then(
      (answers) =>
        live &&
        setAnswer({ plan, result: { status: 'known', protectedIds: new Set(answers.flat().filter((a) => a.protected).map((a) => a.instanceId)) } }),
      (error: unknown) => live && setAnswer({ plan, result: { status: 'failed', error: toHangarError(error) } }),
    );
    return () => {
      live = false;
    };
  }, [plan, accountId]);

  const protection: Protection =
    !plan || plan.action !== 'terminate' || plan.targets.length === 0 ? { status: 'idle' } : answer?.plan === plan ? answer.result : { status: 'checking' };

  function close(): void {
    setAnswer(undefined);
    setTyped('');
    setRunning(false);
    setFailures([]);
    setFinished(false);
    setSnapshotError(undefined);
    onClose();
  }

  // Terminate: the typed confirmation (once protection is known). Otherwise Cancel, never the action.
  const typingReady = terminate && protection.status !== 'checking' && protection.status !== 'idle';
  useFocusWhenOpen(typingReady ? confirmInput : cancelButton, plan !== undefined && (!terminate || typingReady));

  const protectedIds = protection.status === 'known' ? protection.protectedIds : new Set<string>();
  const protectedTargets = plan?.targets.filter((instance) => protectedIds.has(instance.id)) ?? [];
  const targets = plan?.targets.filter((instance) => !protectedIds.has(instance.id)) ?? [];
  const multiRegion = new Set(plan?.targets.map((instance) => instance.region)).size > 1;
  const single = targets.length === 1 ? targets[0] : undefined;
  const expected = plan?.cluster ?? (single ? displayName(single) : `terminate ${targets.length} instances`);
  const typedOk = !terminate || (plan?.cluster !== undefined ? typed.trim() === expected : single ? typed.trim() === expected || typed.trim() === single.id : typed.trim().toLowerCase() === expected);
  const ready = targets.length > 0 && typedOk && !running && !finished && (!terminate || protection.status === 'known' || protection.status === 'failed');

  async function run(): Promise<void> {
    if (!plan || !ready) return;
    setRunning(true);
    setFailures([]);
    setSnapshotError(undefined);
    // Snapshot before terminate: every snapshot is accepted by AWS (pending at least) before TerminateInstances goes.
    let snapshotWords = '';
    if (plan.action === 'terminate' && snapshots.wanted) {
      try {
        const made = await snapshots.take(targets);
        snapshotWords = ` Snapshots taken first: ${made.map((s) => s.id).join(', ')}.`;
      } catch (error) {
        setSnapshotError(toHangarError(error));
        setRunning(false);
        return;
      }
    }
    const groups = [...byRegion(targets)];
    const results = await Promise.allSettled(
      groups.map(async ([region, instances]) => {
        const changes = await api.ec2.act({ accountId, region, action: plan.action, instanceIds: instances.map((i) => i.id) });
        onApplied(region, changes);
      }),
    );
    const failed: Failure[] = [];
    results.forEach((result, index) => {
      const region = groups[index]?.[0] ?? '';
      if (result.status !== 'rejected') return;
      failed.push({ region, error: toHangarError(result.reason) });
      // A refusal often means the table was behind AWS: follow that region closely too.
      onApplied(region, []);
    });
    setRunning(false);
    if (failed.length === 0) {
      onDone(`${ACTIONS[plan.action].progressive} ${single ? displayName(single) : plural(targets.length, 'instance')}.${snapshotWords}`);
      close();
      return;
    }
    setFailures(failed);
    setFinished(true);
  }

  const title = !plan || !meta ? '' : plan.targets.length === 1 && plan.targets[0] ? `${meta.verb} ${displayName(plan.targets[0])}?` : `${meta.verb} ${plural(plan.targets.length, 'instance')}?`;
  const confirmLabel = !meta ? '' : running ? `${meta.progressive}…` : single || targets.length === 0 ? `${meta.verb} instance` : `${meta.verb} ${plural(targets.length, 'instance')}`;

  return (
    <Dialog
      open={plan !== undefined}
      title={title || 'Instance action'}
      onClose={close}
      footer={
        finished ? (
          <Button variant="primary" onClick={close}>
            Close
          </Button>
        ) : (
          <>
            {/* The Button component takes no ref; the same markup, so the focus can start here. */}
            <button type="button" className="button button--secondary" onClick={close} ref={cancelButton}>
              <span className="button__label">Cancel</span>
            </button>
            <Button
              variant={meta?.danger ? 'secondary' : 'primary'}
              className={meta?.danger ? 'button--danger' : undefined}
              onClick={() => void run()}
              disabled={!ready}
            >
              {confirmLabel}
            </Button>
          </>
        )
      }
    >
      {plan && meta && (
        <>
          <div className={`action-explainer${meta.danger ? ' action-explainer--danger' : ''}`}>
            {meta.explanation.map((line) => (
              <p key={line}>{line}</p>
            ))}
          </div>
          {plan.targets.length > 1 && <TargetList instances={plan.targets} label={`Instances to ${meta.verb.toLowerCase()}`} multiRegion={multiRegion} />}
          {plan.skipped.length > 0 && (
            <p className="dialog__note">
              Left out: {plan.skipped.slice(0, 3).map(({ instance, reason }) => `${displayName(instance)} (${reason})`).join(', ')}
              {plan.skipped.length > 3 ? ` and ${plan.skipped.length - 3} more` : ''}.
            </p>
          )}
          {terminate && protection.status === 'checking' && (
            <p className="busy-line" role="status">
              <span className="spinner" aria-hidden="true" />
              Checking termination protection…
            </p>
          )}
          {terminate && protection.status === 'failed' && (
            <ErrorNotice title="Could not check termination protection" error={protection.error}>
              <p className="notice__text notice__hint">You can still go on: AWS itself refuses to terminate a protected instance.</p>
            </ErrorNotice>
          )}
          {protectedTargets.length > 0 && (
            <div className="callout callout--warn" role="note" aria-label="Termination protection">
              <ExtraIcons.shield size={16} className="callout__icon" />
              <div className="callout__body">
                <p>
                  <strong>Termination protection is on</strong> for {protectedTargets.map((instance) => displayName(instance)).join(', ')}, so
                  {protectedTargets.length === 1 ? ' it is' : ' they are'} left out. Hangar does not turn protection off.
                </p>
                <p className="dialog__note">
                  To lift it, in the EC2 console select the instance, then Actions → Instance settings → Change termination protection, and
                  clear “Enable”. Or with the AWS CLI:
                </p>
                <code className="cli-command">aws ec2 modify-instance-attribute --instance-id {protectedTargets[0]?.id} --no-disable-api-termination</code>
              </div>
            </div>
          )}
          {terminate && protection.status !== 'checking' && targets.length === 0 && (
            <p className="dialog__note">Nothing to terminate: every selected instance is protected.</p>
          )}
          {terminate && targets.length > 0 && protection.status !== 'checking' && !finished && <TerminateSnapshotsOption snapshots={snapshots} targets={targets} />}
          {snapshotError && (
            <ErrorNotice title="Could not take the snapshots, so nothing was terminated" error={snapshotError} />
          )}
          {terminate && targets.length > 0 && protection.status !== 'checking' && !finished && (
            <div className="field">
              <label className="field__label" htmlFor={confirmId}>
                {single ? (
                  <>
                    Type <span className="mono confirm-word">{expected}</span> to confirm
                  </>
                ) : (
                  <>
                    Type <span className="mono confirm-word">{expected}</span> to confirm
                  </>
                )}
              </label>
              <p className="field__description" id={`${confirmId}-description`}>
                {plan?.cluster !== undefined
                  ? `The cluster’s name: all ${targets.length} of its nodes go, and what is only on them (the shared home on master) with them.`
                  : single
                  ? single.name
                    ? 'The instance’s name (or its ID). This is to make sure the right machine goes.'
                    : 'The instance has no name, so its ID. This is to make sure the right machine goes.'
                  : `The count is part of the phrase, so you confirm how many machines go, not only that some do.`}
              </p>
              <input
                id={confirmId}
                className="field__input mono"
                value={typed}
                onChange={(event) => setTyped(event.target.value)}
                aria-describedby={`${confirmId}-description`}
                autoComplete="off"
                spellCheck={false}
                ref={confirmInput}
                onKeyDown={(event) => {
                  if (event.key === 'Enter' && ready) void run();
                }}
              />
            </div>
          )}
          {failures.map((failure) => (
            <ErrorNotice
              key={failure.region}
              title={multiRegion ? `${meta.verb} failed in ${regionDisplayName(failure.region)}` : `${meta.verb} failed`}
              error={failure.error}
            />
          ))}
          {finished && failures.length < byRegion(targets).size && (
            <p className="dialog__note">
              <Icons.check size={14} /> The other regions accepted the request.
            </p>
          )}
        </>
      )}
    </Dialog>
  );
}
