import { useEffect, useId, useState, type ReactNode } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { amiNameSchema, REBOOT_CHOICES, type ImageInfo } from '../../../shared/models/images';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Field } from '../../components/field';
import { stateLabel } from './images-format';
import { useBusy } from '../../state/use-busy';
import './images.css';

export interface CreateImageDialogProps {
  accountId: string;
  instance: InstanceSummary;
  onClose: () => void;
}

// How often a new AMI's state is read while it is pending.
const FOLLOW_MS = 2_000;

/** A name AWS accepts, from the instance's: other characters become dashes, and today's date is added. */
function suggestedName(instance: InstanceSummary): string {
  const base = (instance.name ?? instance.id).replace(/[^A-Za-z0-9()[\] ./'@_-]/g, '-').slice(0, 100);
  return `${base}-${new Date().toISOString().slice(0, 10)}`;
}

/**
 * Create image… of one instance: the name (checked at the field), a description, and reboot or not, each
 * choice explained. Then the new AMI is followed from pending to available.
 */
export function CreateImageDialog({ accountId, instance, onClose }: CreateImageDialogProps): ReactNode {
  const [name, setName] = useState(() => suggestedName(instance));
  const [description, setDescription] = useState('');
  const [noReboot, setNoReboot] = useState(false);
  const [image, setImage] = useState<ImageInfo>();
  const { busy, error, run } = useBusy();
  const groupId = useId();
  const check = amiNameSchema.safeParse(name);
  const nameProblem = check.success ? undefined : check.error.issues[0]?.message;
  const scope = { accountId, region: instance.region };
  const imageId = image?.id;
  const imageState = image?.state;

  // Follow the new AMI until it is available (or failed).
  useEffect(() => {
    if (imageId === undefined || imageState !== 'pending') return;
    let live = true;
    const timer = setTimeout(() => {
      api.images.overview({ accountId, region: instance.region }).then(
        (overview) => {
          const now = overview.images.find((i) => i.id === imageId);
          if (live && now) setImage(now);
        },
        () => undefined,
      );
    }, FOLLOW_MS);
    return () => {
      live = false;
      clearTimeout(timer);
    };
  }, [accountId, instance.region, imageId, imageState, image]);

  const running = instance.state === 'running';
  return (
    <Dialog
      open
      title={`Create image of ${instance.name ?? instance.id}`}
      onClose={onClose}
      footer={
        image ? (
          <Button variant="primary" onClick={onClose}>
            Close
          </Button>
        ) : (
          <>
            <Button onClick={onClose}>Cancel</Button>
            <Button
              variant="primary"
              disabled={busy || nameProblem !== undefined}
              onClick={() =>
                void run(async () => {
                  setImage(await api.images.createImage({ ...scope, instanceId: instance.id, name: name.trim(), description: description.trim(), noReboot }));
                })
              }
            >
              {busy ? 'Creating…' : 'Create image'}
            </Button>
          </>
        )
      }
    >
      {image ? (
        <div className="image-follow" role="status">
          <p>
            AMI <strong>{image.name}</strong> (<span className="mono">{image.id}</span>):{' '}
            <span className={`state-pill state-pill--${image.state}`}>
              {image.state === 'pending' && <span className="spinner spinner--small" aria-hidden="true" />}
              {stateLabel(image.state)}
            </span>
          </p>
          <p className="dialog__note">
            {image.state === 'pending'
              ? `AWS is taking a snapshot of each of its ${image.snapshots.length} volumes; the AMI becomes available when they are done (minutes for a small disk). You can close this: it carries on.`
              : image.state === 'available'
                ? 'It is ready: launch it from Launch → My AMIs, or from Images & snapshots, where you can also share or copy it.'
                : 'AWS could not make it. Try again, or look at the instance in the EC2 console.'}
          </p>
        </div>
      ) : (
        <>
          <Field label="Image name" value={name} onChange={setName} error={nameProblem} description="Unique among this account’s AMIs in the region." />
          <Field label="Description" qualifier="optional" value={description} onChange={setDescription} maxLength={255} />
          <fieldset className="reboot-choice" aria-describedby={`${groupId}-note`}>
            <legend className="field__label">While the snapshots are taken</legend>
            <label className="reboot-choice__option">
              <input type="radio" name={`${groupId}-reboot`} checked={!noReboot} onChange={() => setNoReboot(false)} />
              <span>{REBOOT_CHOICES.reboot}</span>
            </label>
            <label className="reboot-choice__option">
              <input type="radio" name={`${groupId}-reboot`} checked={noReboot} onChange={() => setNoReboot(true)} />
              <span>{REBOOT_CHOICES.noReboot}</span>
            </label>
            <p className="dialog__note" id={`${groupId}-note`}>
              {running ? 'The instance is running: the choice matters.' : 'The instance is stopped: its disks are quiet, so no reboot is needed either way.'} Every volume
              attached to it gets a snapshot; they bill as long as the AMI (and they) exist.
            </p>
          </fieldset>
        </>
      )}
      {error && <ErrorNotice title="Could not create the image" error={error} />}
    </Dialog>
  );
}
