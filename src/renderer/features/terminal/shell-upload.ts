import type { LocalGrant } from '../../../shared/models/local-grants';
import { api } from '../../api/api-client';
import type { TerminalTab } from '../../state/terminals/terminal-tab';
import type { InstanceTarget } from '../../state/instance-target';
import type { Uploads } from '../../state/screen-slots';

const HOME = '.';

/** Whether the tab's shell can take files: its instance answered, so it is running. */
export function canUploadTo(tab: TerminalTab): boolean {
  const { status, session } = tab.get();
  return session !== undefined && (status.kind === 'open' || status.kind === 'exited');
}

/** The shell's current directory when the service can learn it, else the home folder. */
export async function shellFolder(tab: TerminalTab): Promise<string> {
  const session = tab.get().session;
  if (!session) return HOME;
  try {
    return (await api.ssh.cwd(session.sessionId)) ?? HOME;
  } catch {
    return HOME;
  }
}

export function uploadTargetOf(tab: TerminalTab): InstanceTarget {
  const { accountId, region, instanceId, name } = tab.target;
  return { accountId, region, instanceId, name };
}

/** Uploads into the shell's current folder (or home): the terminal drop and its Upload buttons. */
export async function uploadToShell(tab: TerminalTab, items: readonly LocalGrant[], uploads: Uploads): Promise<void> {
  const folder = await shellFolder(tab);
  await uploads.start(uploadTargetOf(tab), items, folder);
}
