import { useState, type ReactNode } from 'react';
import type { InstanceSummary } from '../../../shared/models/ec2';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { MenuButton } from '../../components/menu-button';
import { useScreenSlots } from '../../state/screen-slots';

/**
 * Upload to all (issue 16): one pick of files or a folder, the same items to every selected running
 * instance's home folder, one transfer job per instance in the Transfers panel.
 */
export function UploadToAll({ accountId, selected }: { accountId: string; selected: readonly InstanceSummary[] }): ReactNode {
  const { uploads } = useScreenSlots();
  const [busy, setBusy] = useState(false);
  const running = selected.filter((i) => i.state === 'running');
  if (!uploads) return null;

  async function pick(kind: 'files' | 'folder'): Promise<void> {
    if (!uploads) return;
    setBusy(true);
    try {
      const picked = await api.transfers.pickUpload(kind);
      if (picked.length === 0) return;
      for (const instance of running) {
        await uploads.start({ accountId, region: instance.region, instanceId: instance.id, name: instance.name ?? instance.id }, picked, '.');
      }
    } catch (caught) {
      uploads.notice('Could not open the file picker', toHangarError(caught));
    } finally {
      setBusy(false);
    }
  }

  const count = running.length;
  return (
    <MenuButton
      label="Upload to all"
      title={count > 0 ? `The same files to the home folder of each of the ${count} selected running instances` : 'Select running instances'}
      buttonClassName="button button--secondary button--small"
      disabled={count === 0 || busy}
      entries={[
        { kind: 'heading', label: `To ${count} instance${count === 1 ? '' : 's'} (home folder)` },
        { kind: 'item', label: 'Files…', onSelect: () => void pick('files') },
        { kind: 'item', label: 'A folder…', onSelect: () => void pick('folder') },
      ]}
    >
      <span className="button__label">Upload to all…</span>
    </MenuButton>
  );
}
