import { useRef, useState, type DragEvent } from 'react';
import type { TerminalTab } from '../terminal/terminal-tab';
import type { DropHint } from './drop-hint';
import { carriesLocalPaths, grantsOfDrop } from '../../api/dropped-files';
import { canUploadTo, shellFolder, uploadTargetOf } from './shell-upload';
import { toHangarError } from '../../app/to-hangar-error';
import { startUpload } from './start-upload';
import { remoteDirLabel } from './transfer-format';
import { uploadNotices } from './upload-notices';

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
 * is asked for once per drag (on enter) and shown in the hint when it arrives.
 */
export function useTerminalDrop(tab: TerminalTab, { onEnter }: { onEnter?: () => void } = {}): TerminalDrop {
  const [hint, setHint] = useState<DropHint>();
  const folder = useRef<Promise<string> | undefined>(undefined);

  function describe(dir: string | undefined): DropHint {
    if (!canUploadTo(tab)) return { text: `${tab.target.name} is not connected: connect to upload files here`, refused: true };
    return { text: `Drop to upload to ${tab.target.name}:${dir === undefined ? 'current folder…' : remoteDirLabel(dir)}`, refused: false };
  }

  function over(event: DragEvent<HTMLElement>): void {
    if (!carriesLocalPaths(event.dataTransfer)) return;
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
        if (!canUploadTo(tab)) return;
        event.preventDefault();
        // Keep xterm (and the page) from treating the drop as text.
        event.stopPropagation();
        const nothing = 'Nothing to upload: Hangar could not tell where the dropped items are on this computer.';
        void grantsOfDrop(event.dataTransfer).then(
          async (items) => {
            if (items.length === 0) uploadNotices.push(nothing);
            else await startUpload(uploadTargetOf(tab), items, await (asked ?? shellFolder(tab)));
          },
          (error: unknown) => uploadNotices.push(nothing, toHangarError(error)),
        );
      },
    },
  };
}
