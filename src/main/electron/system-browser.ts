import { shell } from 'electron';
import { checkExternalUrl } from '../services/app/external-url';

/**
 * The shell's only door to other programs. Every URL is re-checked here, whoever asks (the
 * `app.openExternal` call, a link the user clicked, the Help menu): http(s) only, no credentials.
 */
export async function openInSystemBrowser(url: string): Promise<void> {
  const checked = checkExternalUrl(url);
  await shell.openExternal(checked, { activate: true });
}
