import { useState, type ReactNode } from 'react';
import type { RegionSummary } from '../../../shared/models/ec2';
import { amiNameSchema } from '../../../shared/models/images';
import type { RegionScope } from '../../../shared/models/launch';
import { regionDisplayName } from '../../../shared/models/region-names';
import { api } from '../../api/api-client';
import { Button } from '../../components/button';
import { Dialog } from '../../components/dialog';
import { ErrorNotice } from '../../components/error-notice';
import { Field, SelectField } from '../../components/field';
import { useBusy } from '../../state/use-busy';

export interface CopyTarget {
  readonly kind: 'image' | 'snapshot';
  readonly id: string;
  /** Its name (an AMI's is used for the copy by default). */
  readonly label: string;
}

export interface CopyDialogProps {
  scope: RegionScope;
  target: CopyTarget;
  regions: readonly RegionSummary[];
  onClose: () => void;
  onCopied: (message: string) => void;
}

/** CopyImage / CopySnapshot into another region (asked of that region; the copy shows there as pending). */
export function CopyDialog({ scope, target, regions, onClose, onCopied }: CopyDialogProps): ReactNode {
  const others = regions.filter((r) => r.name !== scope.region);
  const [destination, setDestination] = useState(others[0]?.name ?? '');
  const [name, setName] = useState(target.label);
  const { busy, error, run } = useBusy();
  const nameCheck = amiNameSchema.safeParse(name);
  const nameProblem = target.kind === 'image' && !nameCheck.success ? nameCheck.error.issues[0]?.message : undefined;
  const what = target.kind === 'image' ? 'AMI' : 'snapshot';

  return (
    <Dialog
      open
      title={`Copy ${target.label} to another region`}
      onClose={onClose}
      footer={
        <>
          <Button onClick={onClose}>Cancel</Button>
          <Button
            variant="primary"
            disabled={busy || destination === '' || nameProblem !== undefined}
            onClick={() =>
              void run(async () => {
                const out =
                  target.kind === 'image'
                    ? await api.images.copyImage({ ...scope, imageId: target.id, destinationRegion: destination, name: name.trim() })
                    : await api.images.copySnapshot({ ...scope, snapshotId: target.id, destinationRegion: destination });
                onCopied(`Copying ${target.label} to ${out.region} as ${out.id}: it shows there as pending until done.`);
              })
            }
          >
            {busy ? 'Copying…' : `Copy ${what}`}
          </Button>
        </>
      }
    >
      <SelectField label="Destination region" value={destination} onChange={setDestination}>
        {others.map((r) => (
          <option key={r.name} value={r.name}>
            {regionDisplayName(r.name)} ({r.name})
          </option>
        ))}
      </SelectField>
      {target.kind === 'image' && <Field label="Name of the copy" value={name} onChange={setName} error={nameProblem} description="AMI names are unique per region." />}
      <p className="dialog__note">
        The copy is a new {what} in {destination || 'the other region'}, with {target.kind === 'image' ? 'new snapshots of its own' : 'a new id'}. It bills there
        separately, and this one stays as it is.
      </p>
      {error && <ErrorNotice title={`Could not copy the ${what}`} error={error} />}
    </Dialog>
  );
}
