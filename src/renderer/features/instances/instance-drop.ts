import { useCallback, useLayoutEffect, useRef, useState, type DragEvent } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { carriesLocalPaths, grantsOfDrop } from '../../api/dropped-files';
import { toHangarError } from '../../api/to-hangar-error';
import type { DropHint } from '../../components/drop-hint';
import type { Uploads } from '../../state/screen-slots';
import { STATE_LABELS } from './format';

/** Drops on an instance row go to the login user's home. */
const HOME = '.';

export interface InstanceDrop {
  /** The row under the drag and what it says. */
  readonly over: { readonly instanceId: string; readonly hint: DropHint } | undefined;
  readonly handlers: {
    onDragEnter(event: DragEvent<HTMLElement>): void;
    onDragOver(event: DragEvent<HTMLElement>): void;
    onDragLeave(event: DragEvent<HTMLElement>): void;
    onDrop(event: DragEvent<HTMLElement>): void;
  };
}

function hintFor(instance: InstanceSummary): DropHint {
  const name = instance.name ?? instance.id;
  if (instance.state !== 'running') {
    return { text: `${name} is not running (${STATE_LABELS[instance.state].toLowerCase()}): start it to upload files`, refused: true };
  }
  return { text: `Drop to upload to ${name}:~`, refused: false };
}

/**
 * Files dragged from the OS onto the instance table: one handler set on the grid, the row found from the
 * event's target, so the memoised rows keep their props (only the hovered row gets a hint). Without
 * `uploads` (no transfer queue to hand them to) the table takes no drops.
 */
export function useInstanceDrop(
  accountId: string,
  rows: readonly InstanceSummary[],
  rowIdOf: (instanceId: string) => string,
  uploads: Uploads | undefined,
): InstanceDrop {
  const [over, setOver] = useState<InstanceDrop['over']>();
  const latest = useRef({ rows, accountId, uploads });
  useLayoutEffect(() => {
    latest.current = { rows, accountId, uploads };
  });

  const instanceAt = useCallback(
    (target: EventTarget | null): InstanceSummary | undefined => {
      const row = target instanceof Element ? target.closest('[role="row"]') : null;
      if (!row) return undefined;
      return latest.current.rows.find((instance) => rowIdOf(instance.id) === row.id);
    },
    [rowIdOf],
  );

  const track = useCallback(
    (event: DragEvent<HTMLElement>) => {
      if (!latest.current.uploads || !carriesLocalPaths(event.dataTransfer)) return;
      const instance = instanceAt(event.target);
      if (!instance) {
        setOver(undefined);
        event.dataTransfer.dropEffect = 'none';
        return;
      }
      const hint = hintFor(instance);
      // Only a running instance takes the drop; elsewhere the cursor says "no".
      if (!hint.refused) event.preventDefault();
      event.dataTransfer.dropEffect = hint.refused ? 'none' : 'copy';
      setOver((current) => (current?.instanceId === instance.id && current.hint.text === hint.text ? current : { instanceId: instance.id, hint }));
    },
    [instanceAt],
  );

  const handlers: InstanceDrop['handlers'] = {
    onDragEnter: track,
    onDragOver: track,
    onDragLeave(event) {
      const next = event.relatedTarget;
      if (next instanceof Node && event.currentTarget.contains(next)) return;
      setOver(undefined);
    },
    onDrop(event) {
      setOver(undefined);
      const instance = instanceAt(event.target);
      const { uploads: queue } = latest.current;
      if (!queue || !instance || instance.state !== 'running') return;
      const dropped = grantsOfDrop(event.dataTransfer);
      event.preventDefault();
      const target = { accountId: latest.current.accountId, region: instance.region, instanceId: instance.id, name: instance.name ?? instance.id };
      const nothing = 'Nothing to upload: Hangar could not tell where the dropped items are on this computer.';
      void dropped.then(
        (items) => (items.length === 0 ? queue.notice(nothing) : queue.start(target, items, HOME)),
        (error: unknown) => queue.notice(nothing, toHangarError(error)),
      );
    },
  };

  return { over, handlers };
}
