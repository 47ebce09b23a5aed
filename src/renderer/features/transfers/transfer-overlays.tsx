import type { ReactNode } from 'react';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { Icons } from '../../components/icons';
import { ConflictPrompt } from './conflict-prompt';
import { HostKeyPrompt } from './host-key-prompt';
import { uploadNotices, useUploadNotices } from './upload-notices';
import './transfers.css';

export interface TransferOverlaysProps {
  /** Opens the Transfers section. */
  onShowTransfers: () => void;
}

/**
 * What the transfer queue shows over any screen: the conflict question of a waiting job, the
 * host-key question before a first connection, and short
 * notices for uploads started by a drop ("Uploading 3 items to web-1:~", or why not). Mounted once.
 */
export function TransferOverlays({ onShowTransfers }: TransferOverlaysProps): ReactNode {
  const notices = useUploadNotices();
  return (
    <>
      <ConflictPrompt />
      <HostKeyPrompt />
      <div className="upload-notices" aria-live="polite">
        {notices.map((notice) =>
          notice.error ? (
            <div key={notice.id} className="upload-notice upload-notice--error">
              <ErrorNotice error={notice.error} title={notice.text} onDismiss={() => uploadNotices.dismiss(notice.id)} />
            </div>
          ) : (
            <div key={notice.id} className="upload-notice" role="status">
              <Icons.transfers size={16} />
              <span className="upload-notice__text">{notice.text}</span>
              <Button
                size="s"
                variant="ghost"
                onClick={() => {
                  uploadNotices.dismiss(notice.id);
                  onShowTransfers();
                }}
              >
                Show transfers
              </Button>
              <button type="button" className="icon-button" aria-label="Dismiss" onClick={() => uploadNotices.dismiss(notice.id)}>
                <Icons.close size={14} />
              </button>
            </div>
          ),
        )}
      </div>
    </>
  );
}
