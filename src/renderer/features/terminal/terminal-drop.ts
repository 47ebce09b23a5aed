import { useRef, useState, type DragEvent } from 'react';
import { carriesLocalPaths, grantsOfDrop } from '../../api/dropped-files';
import { toHangarError } from '../../api/to-hangar-error';
import type { DropHint } from '../../components/drop-hint';
import { remoteDirLabel } from '../../components/format';
import type { Uploads } from '../../state/screen-slots';
import type { TerminalTab } from '../../state/terminals/terminal-tab';
import { canUploadTo, shellFolder, uploadTargetOf } from './shell-upload';

export interface TerminalDrop {
  readonly hint: DropHint | undefined;
  readonly handlers: {
    onDragEnter(event: DragEvent<HTMLElement>): void;
    onDragOver(event: DragEvent<HTMLElement>): void;
    onDragLeave(event: DragEvent<HTMLElement>): void;
    onDrop(event: DragEvent<HTMLElement>): void;
  };
}

/**
 * Files dragged onto a terminal tab or its view upload into that shell's current directory. The folder
 * is asked for once per drag (on enter) and shown in the hint when it arrives. Without `uploads` (no
 * transfer queue to hand them to) the terminal takes no drops.
 */
export function useTerminalDrop(tab: TerminalTab, uploads: Uploads | undefined, { onEnter }: { onEnter?: () => void } = {}): TerminalDrop {
  const [hint, setHint] = useState<DropHint>();
  const folder = useRef<Promise<string> | undefined>(undefined);

  function describe(dir: string | undefined): DropHint {
    if (!canUploadTo(tab)) return { text: `${tab.target.name} is not connected: connect to upload files here`, refused: true };
    return { text: `Drop to upload to ${tab.target.name}:${dir === undefined ? 'current folder…' : remoteDirLabel(dir)}`, refused: false };
  }

  function over(event: DragEvent<HTMLElement>): void {
    if (!uploads || !carriesLocalPaths(event.dataTransfer)) return;
    if (event.type === 'dragenter') onEnter?.();
    const ok = canUploadTo(tab);
    if (ok) event.preventDefault();
    event.dataTransfer.dropEffect = ok ? 'copy' : 'none';
    if (ok && folder.current === undefined) {
      const asked = shellFolder(tab);
      folder.current = asked;
      void asked.then((dir) => {
        if (folder.current === asked) setHint(describe(dir));
      });
    }
    setHint((current) => current ?? describe(undefined));
  }

  function leave(): void {
    folder.current = undefined;
    setHint(undefined);
  }

  return {
    hint,
    handlers: {
      onDragEnter: over,
      onDragOver: over,
      onDragLeave(event) {
        const next = event.relatedTarget;
        if (next instanceof Node && event.currentTarget.contains(next)) return;
        leave();
      },
      onDrop(event) {
        const asked = folder.current;
        leave();
        if (!uploads || !canUploadTo(tab)) return;
        event.preventDefault();
        // Keep xterm (and the page) from treating the drop as text.
        event.stopPropagation();
        const nothing = 'Nothing to upload: Hangar could not tell where the dropped items are on this computer.';
        void grantsOfDrop(event.dataTransfer).then(
          async (items) => {
            if (items.length === 0) uploads.notice(nothing);
            else await uploads.start(uploadTargetOf(tab), items, await (asked ?? shellFolder(tab)));
          },
          (error: unknown) => uploads.notice(nothing, toHangarError(error)),
        );
      },
    },
  };
}
