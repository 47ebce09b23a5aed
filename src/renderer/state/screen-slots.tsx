import { createContext, useContext, type ComponentType } from 'react';
import type { LocalGrant } from '../../shared/models/local-grants';
import type { HangarError } from '../../shared/errors/hangar-error';
import type { AutoStopChoice } from '../../shared/models/auto-stop';
import type { InstanceSummary } from '../../shared/models/ec2';
import type { LaunchedInstance } from '../../shared/models/launch';
import type { InstanceRef } from '../../shared/models/transfers';
import type { InstanceTarget } from './instance-target';

/** Which instance's connection settings to show. */
export interface ConnectionSettingsTarget {
  readonly instanceId: string;
  /** The instance's Name tag (or its id). */
  readonly name: string;
}

export interface LaunchDialogSlotProps {
  accountId: string;
  region: string;
  onClose: () => void;
  /** The launch went through: select and follow these instances. */
  onLaunched: (region: string, instances: readonly LaunchedInstance[]) => void;
  onConnect: (region: string, instance: LaunchedInstance, access?: 'session-manager') => void;
  /** Start from this AMI (one of My AMIs): the wizard opens with it chosen. */
  imageId?: string | undefined;
}

/** The Launch wizard's "Stop when idle" choice, as typed. */
export interface AutoStopLaunchOptionProps {
  value: AutoStopChoice;
  onChange: (next: AutoStopChoice) => void;
}

/** The transfer queue, for screens that start uploads (drops on instance rows and terminals, the shell's Upload buttons). */
export interface Uploads {
  /** Queues the upload of granted items (picker or drop) and says so over the screen; a refusal is shown there too, never thrown. */
  start(target: InstanceTarget, items: readonly LocalGrant[], remoteDir: string): Promise<void>;
  /** A short notice over the screen (nothing could be uploaded, the picker failed). */
  notice(text: string, error?: HangarError): void;
}

/**
 * What one screen shows of another: a feature never imports another feature, so the app frame
 * (app/screen-slots.tsx) fills these in and every screen takes them from here. Outside the frame (a screen
 * on its own) each slot renders nothing and uploads are not offered.
 */
export interface ScreenSlots {
  /** Accounts: the SSH keys panel under the account list. */
  readonly KeysPanel: ComponentType;
  /** Accounts: the reminder settings (GPU hours, burn rate) under the keys. */
  readonly RemindersPanel: ComponentType;
  /** Instances: the terminal tabs under the table once a shell is open. */
  readonly TerminalWorkspace: ComponentType<{ onOpenKeys?: () => void }>;
  /** Instances toolbar: Jupyter / tunnels for the selection. */
  readonly TunnelButtons: ComponentType<{ selected: readonly InstanceSummary[] }>;
  /** Instances: the remote file browser of one instance. */
  readonly FileBrowserDialog: ComponentType<{ target: InstanceTarget; onClose: () => void }>;
  /** Instances: host, user, key, tmux and the pinned host key of one instance. */
  readonly ConnectionSettingsDialog: ComponentType<{ target: ConnectionSettingsTarget; onClose: () => void }>;
  /** Instances: the Launch wizard. */
  readonly LaunchDialog: ComponentType<LaunchDialogSlotProps>;
  /** Terminal: offered when SSH timed out, most often because the home IP changed. */
  readonly UpdateMyIpButton: ComponentType<{ instance: InstanceRef }>;
  /** Instances row: "Idle stop" while the instance has Hangar's idle alarm (and why it stopped, when it did). */
  readonly AutoStopBadge: ComponentType<{ accountId: string; instance: InstanceSummary }>;
  /** Instances: "Stop when idle…" for one instance (the alarm and the on-instance watcher). */
  readonly AutoStopDialog: ComponentType<{ accountId: string; instance: InstanceSummary; onClose: () => void }>;
  /** Launch wizard review: "Stop when idle for N minutes" for the new instances. */
  readonly AutoStopLaunchOption: ComponentType<AutoStopLaunchOptionProps>;
  /** Instances: a Windows instance's Administrator password (decrypted in main) and Open RDP. */
  readonly WindowsPasswordDialog: ComponentType<{ target: InstanceTarget; onClose: () => void }>;
  /** Instances row: the console output and screenshot, the firewall rules and Elastic IPs of one instance. */
  readonly InstanceDetailsDialog: ComponentType<{ accountId: string; instance: InstanceSummary; onClose: () => void; onAddressChanged?: () => void }>;
  /** Instances toolbar: Run command… on the selected instances (issue 16). */
  readonly RunCommandDialog: ComponentType<{ accountId: string; instances: readonly InstanceSummary[]; onClose: () => void }>;
  /** Instances toolbar: Create image… of one instance (issue 14). */
  readonly CreateImageDialog: ComponentType<{ accountId: string; instance: InstanceSummary; onClose: () => void }>;
  /** Instances toolbar: Storage… of one instance: volumes, filesystems, grow, add, detach (issue 14). */
  readonly StorageDialog: ComponentType<{ accountId: string; instance: InstanceSummary; onClose: () => void }>;
  /** Instances toolbar: Change type… of one instance (issue 14). */
  /** Instances, a cluster's line: Slurm… (set up, submit, queue, output) (issue 16). */
  readonly SlurmDialog: ComponentType<{ accountId: string; region: string; cluster: string; nodeCount: number; onClose: () => void }>;
  readonly ChangeTypeDialog: ComponentType<{ accountId: string; instance: InstanceSummary; onClose: () => void; onChanged?: () => void }>;
  readonly uploads: Uploads | undefined;
}

const Nothing = (): null => null;

export const EMPTY_SLOTS: ScreenSlots = {
  KeysPanel: Nothing,
  RemindersPanel: Nothing,
  TerminalWorkspace: Nothing,
  TunnelButtons: Nothing,
  FileBrowserDialog: Nothing,
  ConnectionSettingsDialog: Nothing,
  LaunchDialog: Nothing,
  UpdateMyIpButton: Nothing,
  AutoStopBadge: Nothing,
  AutoStopDialog: Nothing,
  AutoStopLaunchOption: Nothing,
  WindowsPasswordDialog: Nothing,
  InstanceDetailsDialog: Nothing,
  RunCommandDialog: Nothing,
  CreateImageDialog: Nothing,
  StorageDialog: Nothing,
  ChangeTypeDialog: Nothing,
  SlurmDialog: Nothing,
  uploads: undefined,
};

export const ScreenSlotsContext = createContext<ScreenSlots>(EMPTY_SLOTS);

export function useScreenSlots(): ScreenSlots {
  return useContext(ScreenSlotsContext);
}
