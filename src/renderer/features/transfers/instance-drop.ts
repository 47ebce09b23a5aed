import { useCallback, useLayoutEffect, useRef, useState, type DragEvent } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { STATE_LABELS } from '../instances/format';
import type { DropHint } from './drop-hint';
import { carriesLocalPaths, grantsOfDrop } from '../../api/dropped-files';
import { toHangarError } from '../../app/to-hangar-error';
import { startUpload } from './start-upload';
import { uploadNotices } from './upload-notices';

/** Drops on an instance row go to the login user's home. */
const HOME = '.';
const NOTHING_DROPPED = 'Nothing to upload: Hangar could not tell where the dropped items are on this computer.';

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
 * event's target, so the memoised rows keep their props (only the hovered row gets a hint).
 */
export function useInstanceDrop(accountId: string, rows: readonly InstanceSummary[], rowIdOf: (instanceId: string) => string): InstanceDrop {
  const [over, setOver] = useState<InstanceDrop['over']>();
  const latest = useRef({ rows, accountId });
  useLayoutEffect(() => {
    latest.current = { rows, accountId };
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
      if (!carriesLocalPaths(event.dataTransfer)) return;
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
      if (!instance || instance.state !== 'running') return;
      const dropped = grantsOfDrop(event.dataTransfer);
      event.preventDefault();
      const target = { accountId: latest.current.accountId, region: instance.region, instanceId: instance.id, name: instance.name ?? instance.id };
      void dropped.then(
        (items) => {
          if (items.length === 0) uploadNotices.push(NOTHING_DROPPED);
          else void startUpload(target, items, HOME);
        },
        (error: unknown) => uploadNotices.push(NOTHING_DROPPED, toHangarError(error)),
      );
    },
  };

  return { over, handlers };
}
