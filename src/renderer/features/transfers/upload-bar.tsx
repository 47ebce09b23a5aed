import { useId, useState, type ReactNode } from 'react';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { Button } from '../../components/button';
import { uploadNotices } from './upload-notices';
import { startUpload } from './start-upload';
import { ExtraIcons } from '../../components/extra-icons';
import { useUploadTargets } from './use-upload-targets';
import { useTerminals } from '../../state/terminals/terminals-store';
import { transfersStore } from './transfers-store';
import '../../components/fields.css';
import type { InstanceTarget } from '../../state/instance-target';

/** "~", "~/data" → what the service expects: relative to the login user's home. */
function toRemoteDir(typed: string): string {
  const dir = typed.trim();
  if (dir === '' || dir === '~' || dir === '~/') return '.';
  if (dir.startsWith('~/')) return dir.slice(2);
  return dir;
}

function targetKey(target: InstanceTarget): string {
  return `${target.accountId}/${target.region}/${target.instanceId}`;
}

/**
 * The Upload… entry point of the panel: which running instance, which remote folder (home unless
 * changed), then the native picker for files or for one folder.
 */
export function UploadBar(): ReactNode {
  const { targets, loading, error, region, accountId, reload } = useUploadTargets();
  const [chosenKey, setChosenKey] = useState<string>();
  const [remoteDir, setRemoteDir] = useState('');
  const [picking, setPicking] = useState(false);
  const instanceId = useId();
  const folderId = useId();
  const { tabs, activeId } = useTerminals();
  // Until the user picks: the instance of the shell in front, else of the latest transfer, else the first.
  const activeTab = tabs.find((tab) => tab.id === activeId);
  const latest = transfersStore.get().jobs[0]?.instance;
  const fallbackKey = activeTab
    ? `${activeTab.target.accountId}/${activeTab.target.region}/${activeTab.target.instanceId}`
    : latest
      ? `${latest.accountId}/${latest.region}/${latest.instanceId}`
      : undefined;
  const chosen =
    targets.find((target) => targetKey(target) === chosenKey) ?? targets.find((target) => targetKey(target) === fallbackKey) ?? targets[0];

  async function pick(kind: 'files' | 'folder'): Promise<void> {
    if (!chosen) return;
    setPicking(true);
    try {
      const picked = await api.transfers.pickUpload(kind);
      if (picked.length > 0) await startUpload(chosen, picked, toRemoteDir(remoteDir), { quiet: true });
    } catch (caught) {
      uploadNotices.push('Could not open the file picker', toHangarError(caught));
    } finally {
      setPicking(false);
    }
  }

  const placeholder = loading ? 'Loading instances…' : error ? 'Could not list instances' : !accountId ? 'Add an AWS account first' : 'No running instances';
  return (
    <div className="upload-bar" role="group" aria-label="Upload">
      <div className="field upload-bar__instance">
        <label className="field__label" htmlFor={instanceId}>
          Instance
        </label>
        <select
          id={instanceId}
          className="select"
          value={chosen ? targetKey(chosen) : ''}
          disabled={targets.length === 0}
          onChange={(event) => setChosenKey(event.target.value)}
          title={region && targets.length === 0 && !loading ? `No running instances in ${region}` : undefined}
        >
          {targets.length === 0 && <option value="">{placeholder}</option>}
          {targets.map((target) => (
            <option key={targetKey(target)} value={targetKey(target)}>
              {target.name} ({target.region})
            </option>
          ))}
        </select>
      </div>
      <div className="field upload-bar__folder">
        <label className="field__label" htmlFor={folderId}>
          Remote folder
        </label>
        <input
          id={folderId}
          className="field__input field__input--mono"
          placeholder="~ (home folder)"
          value={remoteDir}
          spellCheck={false}
          onChange={(event) => setRemoteDir(event.target.value)}
        />
      </div>
      <div className="upload-bar__buttons">
        <Button icon={<ExtraIcons.upload size={16} />} disabled={!chosen || picking} onClick={() => void pick('files')}>
          Upload files…
        </Button>
        <Button icon={<ExtraIcons.folderUp size={16} />} disabled={!chosen || picking} onClick={() => void pick('folder')}>
          Upload folder…
        </Button>
        {error && (
          <Button size="s" variant="ghost" onClick={reload} title={error.message}>
            Reload instances
          </Button>
        )}
      </div>
    </div>
  );
}
