import type { ReactNode } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { INSTANCE_ACTIONS, type InstanceAction } from '../../../shared/models/instance-actions';
import { Button } from '../../components/button';
import { ExtraIcons } from '../../components/extra-icons';
import { plural } from '../../components/format';
import { useScreenSlots } from '../../state/screen-slots';
import { ACTIONS, planAction } from './action-plan';
import { UploadToAll } from './upload-to-all';

const ICONS: Record<InstanceAction, ReactNode> = {
  start: <ExtraIcons.start size={16} />,
  stop: <ExtraIcons.stop size={16} />,
  hibernate: <ExtraIcons.hibernate size={16} />,
  reboot: <ExtraIcons.reboot size={16} />,
  terminate: <ExtraIcons.terminate size={16} />,
};

export interface ActionToolbarProps {
  selected: readonly InstanceSummary[];
  /** Selected but hidden by the search or state filter. */
  hiddenSelected: number;
  onAction: (action: InstanceAction) => void;
  onClear: () => void;
  /** "Stop when idle…" for the one selected instance. */
  onAutoStop?: (() => void) | undefined;
  /** "Run command…" on the selected running instances. */
  onRunCommand?: (() => void) | undefined;
  /** "Terminals side by side" for the selected running instances (one tab, a pane each). */
  onOpenGrid?: (() => void) | undefined;
  /** The account, for "Upload to all" (shown when given). */
  accountId?: string | undefined;
  /** "Create image…" of the one selected instance (issue 14). */
  onCreateImage?: (() => void) | undefined;
  /** "Storage…" of the one selected instance (issue 14). */
  onStorage?: (() => void) | undefined;
  /** "Change type…" of the one selected instance (issue 14). */
  onChangeType?: (() => void) | undefined;
}

/** Lifecycle actions for the selection. A button is enabled when at least one selected instance can take it. */
export function ActionToolbar({ selected, hiddenSelected, onAction, onClear, onAutoStop, onRunCommand, onOpenGrid, accountId, onCreateImage, onStorage, onChangeType }: ActionToolbarProps): ReactNode {
  const { TunnelButtons } = useScreenSlots();
  return (
    <div className="action-bar" role="toolbar" aria-label="Instance actions">
      <p className="action-bar__summary" aria-live="polite">
        {selected.length === 0 ? (
          'Select instances to start, stop or terminate them.'
        ) : (
          <>
            <strong>{plural(selected.length, 'instance')} selected</strong>
            {hiddenSelected > 0 && <span className="action-bar__aside"> ({hiddenSelected} hidden by filters)</span>}
          </>
        )}
      </p>
      <div className="action-bar__buttons">
        {INSTANCE_ACTIONS.map((action) => {
          const meta = ACTIONS[action];
          const possible = planAction(action, selected).targets.length;
          return (
            <Button
              key={action}
              size="s"
              icon={ICONS[action]}
              className={action === 'terminate' ? 'button--quiet-danger' : undefined}
              disabled={possible === 0}
              onClick={() => onAction(action)}
              title={selected.length > 0 && possible === 0 ? `None of the selected instances can ${meta.verb.toLowerCase()} in its current state` : undefined}
            >
              {meta.verb}
            </Button>
          );
        })}
        {onAutoStop && (
          <Button
            size="s"
            onClick={onAutoStop}
            disabled={!canAutoStop(selected)}
            title={canAutoStop(selected) ? 'A CloudWatch alarm (and optionally a watcher on the instance) stops it when idle' : 'Select one instance that is not terminated'}
          >
            Stop when idle…
          </Button>
        )}
        {onCreateImage && (
          <Button
            size="s"
            onClick={onCreateImage}
            disabled={!canCreateImage(selected)}
            title={canCreateImage(selected) ? 'An AMI of this instance: a snapshot of each of its volumes, to launch the same environment again' : 'Select one running or stopped instance'}
          >
            Create image…
          </Button>
        )}
        {onStorage && (
          <Button
            size="s"
            onClick={onStorage}
            disabled={!canCreateImage(selected)}
            title={canCreateImage(selected) ? 'Its volumes and how full each filesystem is; grow, add or detach a volume' : 'Select one running or stopped instance'}
          >
            Storage…
          </Button>
        )}
        {onChangeType && (
          <Button
            size="s"
            onClick={onChangeType}
            disabled={!canCreateImage(selected)}
            title={canCreateImage(selected) ? 'A bigger (or smaller) machine without relaunching: its disks stay' : 'Select one running or stopped instance'}
          >
            Change type…
          </Button>
        )}
        {onRunCommand && (
          <Button
            size="s"
            onClick={onRunCommand}
            disabled={!selected.some((i) => i.state === 'running')}
            title={selected.some((i) => i.state === 'running') ? 'The same command on every selected running instance, in parallel over SSH' : 'Select running instances'}
          >
            Run command…
          </Button>
        )}
        {onOpenGrid && (
          <Button
            size="s"
            onClick={onOpenGrid}
            disabled={selected.filter((i) => i.state === 'running').length < 2}
            title="A terminal on each selected running instance, side by side in one tab (type into all at once with Broadcast typing)"
          >
            Terminals side by side
          </Button>
        )}
        {accountId !== undefined && <UploadToAll accountId={accountId} selected={selected} />}
        <TunnelButtons selected={selected} />
        {selected.length > 0 && (
          <Button size="s" variant="ghost" onClick={onClear}>
            Clear selection
          </Button>
        )}
      </div>
    </div>
  );
}

/** One instance that can still be stopped some day. */
function canAutoStop(selected: readonly InstanceSummary[]): boolean {
  const [only, ...more] = selected;
  return only !== undefined && more.length === 0 && only.state !== 'terminated' && only.state !== 'shutting-down';
}

/** One instance AWS can image now (running or stopped). */
function canCreateImage(selected: readonly InstanceSummary[]): boolean {
  const [only, ...more] = selected;
  return only !== undefined && more.length === 0 && (only.state === 'running' || only.state === 'stopped');
}
