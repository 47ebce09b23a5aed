import type { LocalGrant } from '../../../shared/models/local-grants';
import type { InstanceRef, TransferJob } from '../../../shared/models/transfers';
import { api } from '../../api/api-client';
import { toHangarError } from '../../api/to-hangar-error';
import { remoteDirLabel } from '../../components/format';
import { askHostKeyTrust } from './host-key-prompt';
import { askNotificationPermissionOnce } from './transfer-notifications';
import { transfersStore } from './transfers-store';
import { uploadNotices } from './upload-notices';
import type { InstanceTarget } from '../../state/instance-target';

export function uploadSummary(items: readonly LocalGrant[], target: InstanceTarget, remoteDir: string): string {
  const what = items.length === 1 ? (items[0]?.name ?? '') : `${items.length} items`;
  return `${what} to ${target.name}:${remoteDirLabel(remoteDir)}`;
}

/**
 * Every upload entry point ends here (drops on instance rows and terminals, the Upload buttons):
 * queue the job, show it at once, and say so; a refusal is shown, never thrown away.
 * `quiet`: the caller shows its own feedback (the Transfers panel lists the job itself).
 */
export async function startUpload(
  target: InstanceTarget,
  items: readonly LocalGrant[],
  remoteDir: string,
  { quiet = false }: { quiet?: boolean } = {},
): Promise<TransferJob | undefined> {
  if (items.length === 0) return undefined;
  askNotificationPermissionOnce();
  try {
    const instance = await reachable(target);
    if (instance === undefined) return undefined;
    const job = await api.transfers.upload({ instance, grants: items.map((item) => item.id), remoteDir });
    transfersStore.apply(job);
    if (!quiet) uploadNotices.push(`Uploading ${uploadSummary(items, target, remoteDir)}`);
    return job;
  } catch (error) {
    uploadNotices.push(`Could not upload ${uploadSummary(items, target, remoteDir)}`, toHangarError(error));
    return undefined;
  }
}

/**
 * Connects once before queueing (the connection is then shared with the job), so a host key seen for the
 * first time is asked about here, with the dialog, instead of failing the job in the background.
 * Undefined when the user declines to trust the key.
 */
async function reachable(target: InstanceTarget): Promise<InstanceRef | undefined> {
  const instance: InstanceRef = { accountId: target.accountId, region: target.region, instanceId: target.instanceId };
  try {
    await api.files.home(instance);
    return instance;
  } catch (raw) {
    const error = toHangarError(raw);
    const fingerprint = error.details?.fingerprintSha256;
    if (error.code !== 'SSH_HOST_KEY_UNKNOWN' || typeof fingerprint !== 'string') throw error;
    const keyType = typeof error.details?.keyType === 'string' ? error.details.keyType : 'unknown';
    const trusted = await askHostKeyTrust({ instanceName: target.name, instanceId: target.instanceId, fingerprint, keyType });
    if (!trusted) return undefined;
    const accepted: InstanceRef = { ...instance, acceptHostKey: fingerprint };
    await api.files.home(accepted);
    return accepted;
  }
}
