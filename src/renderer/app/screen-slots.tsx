import type { ScreenSlots } from '../state/screen-slots';
import { AutoStopBadge } from '../features/auto-stop/auto-stop-badge';
import { AutoStopDialog } from '../features/auto-stop/auto-stop-dialog';
import { AutoStopLaunchOption } from '../features/auto-stop/auto-stop-launch-option';
import { InstanceDetailsDialog } from '../features/instance-details/instance-details-dialog';
import { KeysPanel } from '../features/keys/keys-panel';
import { FileBrowserDialog } from '../features/files/file-browser-dialog';
import { LaunchDialog } from '../features/launch/launch-dialog';
import { RemindersPanel } from '../features/reminders/reminders-panel';
import { RunCommandDialog } from '../features/run-many/run-command-dialog';
import { CreateImageDialog } from '../features/images/create-image-dialog';
import { StorageDialog } from '../features/storage/storage-dialog';
import { ChangeTypeDialog } from '../features/storage/change-type-dialog';
import { SlurmDialog } from '../features/slurm/slurm-dialog';
import { UpdateMyIpButton } from '../features/launch/update-my-ip-button';
import { ConnectionSettingsDialog } from '../features/terminal/connection-settings-dialog';
import { TerminalWorkspace } from '../features/terminal/terminal-workspace';
import { startUpload } from '../features/transfers/start-upload';
import { uploadNotices } from '../features/transfers/upload-notices';
import { TunnelButtons } from '../features/tunnels/tunnel-buttons';
import { WindowsPasswordDialog } from '../features/windows/windows-password-dialog';

/**
 * Where one screen shows another's widget: the Accounts screen the SSH keys panel, Instances the terminals,
 * tunnel buttons, file browser, connection settings and the Launch wizard, a terminal the Update-my-IP
 * button; drops and the shell's Upload buttons hand files to the transfer queue. Features stay unaware
 * of each other; only this table knows who provides what.
 */
export const SCREEN_SLOTS: ScreenSlots = {
  KeysPanel,
  RemindersPanel,
  TerminalWorkspace,
  TunnelButtons,
  FileBrowserDialog,
  ConnectionSettingsDialog,
  LaunchDialog,
  UpdateMyIpButton,
  AutoStopBadge,
  AutoStopDialog,
  AutoStopLaunchOption,
  WindowsPasswordDialog,
  InstanceDetailsDialog,
  RunCommandDialog,
  CreateImageDialog,
  StorageDialog,
  ChangeTypeDialog,
  SlurmDialog,
  uploads: {
    start: async (target, items, remoteDir) => {
      await startUpload(target, items, remoteDir);
    },
    notice: (text, error) => uploadNotices.push(text, error),
  },
};
