import type { IdleWatcherSettings, IdleWatcherStatus } from '../../../shared/models/idle-watcher';
import type { InstanceRef } from '../../../shared/models/transfers';

/**
 * The on-instance half of "Stop when idle" (issue 13): a POSIX sh watcher and its systemd timer, put on an
 * instance and taken off it over the instance's shared SSH connection. The rule then lives on the
 * instance and keeps working with the laptop closed.
 */
export interface IdleWatcherService {
  /**
   * Installs the watcher with this rule, or replaces the rule of one already there (its idle clock is
   * kept), and enables its timer. Refuses with INVALID_ARGUMENT (a field out of range),
   * IDLE_SHUTDOWN_TERMINATES (the instance would be terminated, not stopped), IDLE_NO_SYSTEMD, or
   * IDLE_NO_SUDO (the files are then left in ~/.hangar/idle-watcher and the hint holds the commands an
   * administrator runs). A remote step that fails: IDLE_INSTALL_FAILED with the instance's words.
   */
  install(instance: InstanceRef, settings: IdleWatcherSettings, signal?: AbortSignal): Promise<IdleWatcherStatus>;
  /** Disables the timer and removes every file install wrote, the state directory and any staged copies. */
  uninstall(instance: InstanceRef, signal?: AbortSignal): Promise<IdleWatcherStatus>;
  /** Installed or not, the rule it carries, the timer's state and the last run's decision and reason. */
  status(instance: InstanceRef, signal?: AbortSignal): Promise<IdleWatcherStatus>;
}

/**
 * What EC2 says the instance does when it shuts itself down (DescribeInstanceAttribute
 * instanceInitiatedShutdownBehavior). Filled in by the composition root, which owns the EC2 client.
 */
export type ShutdownBehaviourLookup = (instance: InstanceRef, signal?: AbortSignal) => Promise<'stop' | 'terminate'>;
