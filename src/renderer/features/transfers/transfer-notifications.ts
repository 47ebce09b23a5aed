import type { TransferJob } from '../../../shared/models/transfers';
import { describeJob } from './transfer-format';

let asked = false;

function supported(): boolean {
  return typeof Notification !== 'undefined';
}

/**
 * Asked once, on the first upload of the session (a permission prompt at startup would come out of
 * nowhere). Inside Electron the shell decides; where it is denied, notifications simply stay off.
 */
export function askNotificationPermissionOnce(): void {
  if (asked || !supported()) return;
  asked = true;
  if (Notification.permission !== 'default') return;
  void Notification.requestPermission().catch(() => undefined);
}

function inBackground(): boolean {
  return document.hidden || !document.hasFocus();
}

/** A job ended while the user looks elsewhere: say so outside the window (in front, the panel says it). */
export function notifyFinished(job: TransferJob): void {
  if (!supported() || Notification.permission !== 'granted' || !inBackground()) return;
  const verb = job.direction === 'upload' ? 'Upload' : 'Download';
  const outcome =
    job.state === 'completed'
      ? job.failures.length > 0
        ? `${verb} finished with ${job.failures.length} failed file${job.failures.length === 1 ? '' : 's'}`
        : `${verb} complete`
      : job.state === 'failed'
        ? `${verb} failed`
        : `${verb} cancelled`;
  try {
    const notification = new Notification(`${outcome} — ${job.instanceName}`, {
      body: job.error ? `${describeJob(job)}\n${job.error.message}` : describeJob(job),
      tag: job.jobId,
    });
    notification.onclick = () => {
      window.focus();
      notification.close();
    };
  } catch {
    // Some platforms refuse notifications from a page even with permission; the panel still shows it.
  }
}
