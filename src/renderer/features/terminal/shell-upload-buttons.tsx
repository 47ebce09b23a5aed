import { useState, type ReactNode } from 'react';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { ExtraIcons } from '../../components/extra-icons';
import type { Uploads } from '../../state/screen-slots';
import type { TerminalTab } from '../../state/terminals/terminal-tab';
import { useTab } from '../../state/terminals/terminals-store';
import { canUploadTo, uploadToShell } from './shell-upload';

/** Upload files or a folder into the active shell's current directory (the terminal tab strip). */
export function ShellUploadButtons({ tab, uploads }: { tab: TerminalTab; uploads: Uploads }): ReactNode {
  useTab(tab);
  const [picking, setPicking] = useState(false);
  const ready = canUploadTo(tab);
  const name = tab.target.name;

  async function pick(kind: 'files' | 'folder'): Promise<void> {
    setPicking(true);
    try {
      const picked = await api.transfers.pickUpload(kind);
      if (picked.length > 0) await uploadToShell(tab, picked, uploads);
    } catch (caught) {
      uploads.notice('Could not open the file picker', toHangarError(caught));
    } finally {
      setPicking(false);
    }
  }

  const why = ready ? '' : ' (connect first)';
  return (
    <>
      <button
        type="button"
        className="icon-button"
        aria-label={`Upload files to ${name}'s current folder`}
        title={`Upload files into this shell's current folder${why}`}
        disabled={!ready || picking}
        onClick={() => void pick('files')}
      >
        <ExtraIcons.upload size={16} />
      </button>
      <button
        type="button"
        className="icon-button"
        aria-label={`Upload a folder to ${name}'s current folder`}
        title={`Upload a folder into this shell's current folder${why}`}
        disabled={!ready || picking}
        onClick={() => void pick('folder')}
      >
        <ExtraIcons.folderUp size={16} />
      </button>
    </>
  );
}
