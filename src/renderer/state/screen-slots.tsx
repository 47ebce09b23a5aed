import { createContext, useContext, type ComponentType } from 'react';
import type { HangarError } from '../../shared/errors/hangar-error';
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
  onConnect: (region: string, instance: LaunchedInstance) => void;
}

/** The transfer queue, for screens that start uploads (drops on instance rows and terminals, the shell's Upload buttons). */
export interface Uploads {
  /** Queues the upload and says so over the screen; a refusal is shown there too, never thrown. */
  start(target: InstanceTarget, localPaths: readonly string[], remoteDir: string): Promise<void>;
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
  uploads: undefined,
};

export const ScreenSlotsContext = createContext<ScreenSlots>(EMPTY_SLOTS);

export function useScreenSlots(): ScreenSlots {
  return useContext(ScreenSlotsContext);
}
