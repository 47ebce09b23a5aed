import type { InstanceStateChange } from '../../../shared/models/instance-actions';
import type { InstanceRef, RemoteListing } from '../../../shared/models/transfers';

/**
 * The instance's filesystem over the shared connection's SFTP session (issue 5's file browser).
 * Paths are POSIX; a relative path is taken from the login user's home. Errors are HangarErrors
 * (REMOTE_NOT_FOUND, REMOTE_PERMISSION_DENIED, REMOTE_EXISTS, …) with a hint.
 */
export interface RemoteFilesService {
  /** The login user's home folder (where the browser opens). */
  home(ref: InstanceRef, signal?: AbortSignal): Promise<string>;
  list(ref: InstanceRef, path: string, signal?: AbortSignal): Promise<RemoteListing>;
  mkdir(ref: InstanceRef, path: string): Promise<void>;
  rename(ref: InstanceRef, from: string, to: string): Promise<void>;
  /** Deletes files and folders (folders recursively). */
  remove(ref: InstanceRef, paths: readonly string[], signal?: AbortSignal): Promise<void>;
  /** Instances Hangar stopped or terminated: their held connections are let go at once. */
  instancesChanged(changes: readonly InstanceStateChange[]): void;
}
