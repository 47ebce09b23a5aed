import { useMemo, useState, type ReactNode } from 'react';
import { HangarError } from '../../../shared/errors/hangar-error';
import type { RegionSummary } from '../../../shared/models/ec2';
import type { DeregisterResult, ImageInfo, SnapshotInfo } from '../../../shared/models/images';
import type { RegionScope } from '../../../shared/models/launch';
import { regionDisplayName } from '../../../shared/models/region-names';
import type { Section } from '../../../shared/models/settings';
import { Button } from '../../components/button';
import { ErrorNotice } from '../../components/error-notice';
import { SelectField } from '../../components/field';
import { plural } from '../../components/format';
import { Icons } from '../../components/icons';
import { showInstance } from '../../state/instance-focus';
import { useScreenSlots } from '../../state/screen-slots';
import { terminals } from '../../state/terminals/terminals-store';
import { useRegions } from '../../state/use-regions';
import { CopyDialog, type CopyTarget } from './copy-dialog';
import { CreateSnapshotDialog } from './create-snapshot-dialog';
import { DeleteSnapshotDialog } from './delete-snapshot-dialog';
import { DeregisterDialog } from './deregister-dialog';
import { ImageList } from './image-list';
import { RestoreDialog } from './restore-dialog';
import { ShareDialog } from './share-dialog';
import { SnapshotList } from './snapshot-list';
import { useOverview } from './use-overview';

export interface ImagesDashboardProps {
  accountId: string;
  defaultRegion: string;
  onNavigate: (section: Section) => void;
}

type Open =
  | { readonly kind: 'create-snapshot' }
  | { readonly kind: 'restore'; readonly snapshot: SnapshotInfo }
  | { readonly kind: 'delete-snapshot'; readonly snapshot: SnapshotInfo }
  | { readonly kind: 'copy'; readonly target: CopyTarget }
  | { readonly kind: 'share'; readonly image: ImageInfo }
  | { readonly kind: 'deregister'; readonly image: ImageInfo }
  | { readonly kind: 'launch'; readonly image: ImageInfo };

function deregisteredWords(image: ImageInfo, result: DeregisterResult): string {
  const deleted = result.deletedSnapshots.length === 0 ? '' : ` and deleted ${plural(result.deletedSnapshots.length, 'snapshot')} (${result.deletedSnapshots.join(', ')})`;
  const kept = result.keptSnapshots.filter((k) => k.reason !== 'kept as asked');
  const keptWords = kept.length === 0 ? '' : ` Kept: ${kept.map((k) => `${k.snapshotId} (${k.reason})`).join(', ')}.`;
  return `Deregistered ${image.name}${deleted}.${keptWords}`;
}

/** One region's AMIs and snapshots of the account, with every action on them. */
export function ImagesDashboard({ accountId, defaultRegion, onNavigate }: ImagesDashboardProps): ReactNode {
  const [region, setRegion] = useState(defaultRegion);
  const regions = useRegions(accountId);
  const scope = useMemo<RegionScope>(() => ({ accountId, region }), [accountId, region]);
  const { overview, error, loading, reload } = useOverview(scope);
  const [open, setOpen] = useState<Open>();
  const [notice, setNotice] = useState('');
  const { LaunchDialog } = useScreenSlots();

  function done(message: string): void {
    setOpen(undefined);
    setNotice(message);
    reload();
  }

  const regionList: readonly RegionSummary[] = regions.regions ?? [{ name: region, endpoint: `ec2.${region}.amazonaws.com`, optInStatus: 'opt-in-not-required', displayName: regionDisplayName(region) }];
  return (
    <div className="images">
      <div className="images__toolbar">
        <SelectField label="Region" value={region} onChange={setRegion}>
          {regionList.map((r) => (
            <option key={r.name} value={r.name}>
              {regionDisplayName(r.name)} ({r.name})
            </option>
          ))}
        </SelectField>
        <div className="images__buttons">
          <Button size="s" icon={<Icons.plus size={16} />} disabled={overview === undefined} onClick={() => setOpen({ kind: 'create-snapshot' })}>
            Create snapshot…
          </Button>
          <Button size="s" icon={loading ? <span className="spinner spinner--small" aria-hidden="true" /> : <Icons.retry size={16} />} onClick={reload}>
            Refresh
          </Button>
        </div>
      </div>
      <p className="images__notice" role="status">
        {notice}
      </p>
      {regions.error && <ErrorNotice title="Could not list the regions of this account" error={regions.error} onRetry={regions.reload} />}
      {error && <ErrorNotice title={`Could not list images and snapshots in ${region}`} error={error} onRetry={reload} />}
      {overview?.denied.map((denied) => (
        <ErrorNotice key={`${denied.code}-${denied.message}`} title="Part of the list is missing" error={HangarError.fromJSON(denied)} />
      ))}
      {overview === undefined && !error ? (
        <p className="busy-line" role="status">
          <span className="spinner" aria-hidden="true" /> Reading AMIs and snapshots in {region}…
        </p>
      ) : (
        overview && (
          <>
            <ImageList
              region={region}
              images={overview.images}
              onLaunch={(image) => setOpen({ kind: 'launch', image })}
              onShare={(image) => setOpen({ kind: 'share', image })}
              onCopy={(image) => setOpen({ kind: 'copy', target: { kind: 'image', id: image.id, label: image.name } })}
              onDeregister={(image) => setOpen({ kind: 'deregister', image })}
            />
            <SnapshotList
              region={region}
              snapshots={overview.snapshots}
              onRestore={(snapshot) => setOpen({ kind: 'restore', snapshot })}
              onCopy={(snapshot) => setOpen({ kind: 'copy', target: { kind: 'snapshot', id: snapshot.id, label: snapshot.name ?? snapshot.id } })}
              onDelete={(snapshot) => setOpen({ kind: 'delete-snapshot', snapshot })}
            />
          </>
        )
      )}
      {open?.kind === 'create-snapshot' && overview && (
        <CreateSnapshotDialog
          scope={scope}
          volumes={overview.volumes}
          onClose={() => setOpen(undefined)}
          onCreated={(snapshot) => done(`Snapshot ${snapshot.id} of ${snapshot.volumeId} started: it shows its progress below.`)}
        />
      )}
      {open?.kind === 'restore' && <RestoreDialog scope={scope} snapshot={open.snapshot} onClose={() => setOpen(undefined)} onRestored={done} />}
      {open?.kind === 'delete-snapshot' && (
        <DeleteSnapshotDialog scope={scope} snapshot={open.snapshot} onClose={() => setOpen(undefined)} onDeleted={() => done(`Deleted snapshot ${open.snapshot.id}.`)} />
      )}
      {open?.kind === 'copy' && <CopyDialog scope={scope} target={open.target} regions={regionList} onClose={() => setOpen(undefined)} onCopied={done} />}
      {open?.kind === 'share' && (
        <ShareDialog
          scope={scope}
          image={open.image}
          onClose={() => {
            setOpen(undefined);
            reload();
          }}
          onChanged={setNotice}
        />
      )}
      {open?.kind === 'deregister' && (
        <DeregisterDialog scope={scope} image={open.image} onClose={() => setOpen(undefined)} onDone={(result) => done(deregisteredWords(open.image, result))} />
      )}
      {open?.kind === 'launch' && (
        <LaunchDialog
          accountId={accountId}
          region={region}
          imageId={open.image.id}
          onClose={() => setOpen(undefined)}
          onLaunched={(where, launched) => {
            const [first] = launched;
            setNotice(`Launched ${plural(launched.length, 'instance')} from ${open.image.name}.`);
            if (first) showInstance({ accountId, region: where, instanceId: first.instanceId });
          }}
          onConnect={(where, instance, access) => {
            setOpen(undefined);
            void terminals.open({ accountId, region: where, instanceId: instance.instanceId, name: instance.name, ...(access === undefined ? {} : { access }) });
            onNavigate('instances');
          }}
        />
      )}
    </div>
  );
}
