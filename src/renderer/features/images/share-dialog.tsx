import { useEffect, useState, type ReactNode } from 'react';
import type { HangarError } from '../../../shared/errors/hangar-error';
import { parseAccountIds, type ImageInfo, type ImageSharing } from '../../../shared/models/images';
import type { RegionScope } from '../../../shared/models/launch';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { plural } from '../../components/format';
import { useBusy } from '../../state/use-busy';

export interface ShareDialogProps {
  scope: RegionScope;
  image: ImageInfo;
  onClose: () => void;
  onChanged: (message: string) => void;
}

/**
 * Share an AMI with other AWS accounts: its launch permission and the create-volume permission of each of its
 * snapshots (a launch in the other account needs both), or make it private again. Ids are checked at the field.
 */
export function ShareDialog({ scope, image, onClose, onChanged }: ShareDialogProps): ReactNode {
  const [sharing, setSharing] = useState<ImageSharing>();
  const [loadError, setLoadError] = useState<HangarError>();
  const [text, setText] = useState('');
  const [touched, setTouched] = useState(false);
  const { busy, error, run } = useBusy();
  const { accountId, region } = scope;

  useEffect(() => {
    let live = true;
    api.images.sharing({ accountId, region, imageId: image.id }).then(
      (answer) => live && setSharing(answer),
      (caught: unknown) => live && setLoadError(toHangarError(caught)),
    );
    return () => {
      live = false;
    };
  }, [accountId, region, image.id]);

  const parsed = parseAccountIds(text);
  // Said as soon as something is typed (or Share is pressed with nothing), never before.
  const problem = text.trim() !== '' || touched ? parsed.problem : undefined;
  const shared = sharing !== undefined && (sharing.accountIds.length > 0 || sharing.isPublic);

  return (
    <Dialog
      open
      title={`Share ${image.name}`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Close</Button>
          <Button
            variant="primary"
            disabled={busy || problem !== undefined}
            onClick={() => {
              setTouched(true);
              if (parsed.problem !== undefined) return;
              void run(async () => {
                const next = await api.images.shareImage({ ...scope, imageId: image.id, accountIds: parsed.ids });
                setSharing(next);
                setText('');
                setTouched(false);
                onChanged(`${image.name} is shared with ${plural(parsed.ids.length, 'account')} (launch permission and its snapshots).`);
              });
            }}
          >
            {busy ? 'Working…' : 'Share'}
          </Button>
        </>
      }
    >
      {loadError && <ErrorNotice title="Could not read who the AMI is shared with" error={loadError} />}
      {sharing === undefined && !loadError && (
        <p className="busy-line" role="status">
          <span className="spinner spinner--small" aria-hidden="true" /> Reading who may launch it…
        </p>
      )}
      {sharing !== undefined && (
        <div className="share-current" role="group" aria-label="Shared with">
          {shared ? (
            <>
              <p>
                {sharing.isPublic ? 'Public: any AWS account can launch it. ' : ''}
                {sharing.accountIds.length > 0 && (
                  <>
                    Shared with <span className="mono">{sharing.accountIds.join(', ')}</span>.
                  </>
                )}
              </p>
              <Button
                size="s"
                className="button--quiet-danger"
                disabled={busy}
                onClick={() =>
                  void run(async () => {
                    const next = await api.images.makeImagePrivate({ ...scope, imageId: image.id });
                    setSharing(next);
                    onChanged(`${image.name} is private again: only this account can launch it.`);
                  })
                }
              >
                Make private
              </Button>
            </>
          ) : (
            <p>Private: only this account can launch it.</p>
          )}
        </div>
      )}
      <Field
        label="AWS account IDs"
        value={text}
        onChange={setText}
        onBlur={() => setTouched(text.trim() !== '')}
        error={problem}
        placeholder="123456789012, 210987654321"
        description={`12 digits each, separated by commas or spaces. The accounts get launch permission on the AMI and create-volume permission on its ${plural(image.snapshots.length, 'snapshot')}: a launch needs both.`}
      />
      <p className="dialog__note">Sharing costs nothing; the other account pays for what it launches. Snapshots shared stay readable by them until you make the AMI private.</p>
      {error && <ErrorNotice title="AWS refused the change" error={error} />}
    </Dialog>
  );
}
