import type { InstanceStateChange } from '../../../shared/models/instance-actions';
import type { AttachedTerminal, ConnectionOverride, OpenTerminalInput, RunningTerminal, SessionLogState, TerminalSession } from '../../../shared/models/ssh';

/**
 * Shells on instances: one SSH connection per instance (reference-counted, shared by its tabs), host keys
 * pinned per instance id, output pushed as `terminal.data` events in ~16 ms batches with flow control.
 * Implemented in create-terminal-service.ts.
 */
export interface TerminalService {
  getOverride(instanceId: string): ConnectionOverride;
  setOverride(instanceId: string, override: ConnectionOverride): ConnectionOverride;
  /** Turns the session's log on or off (issue 19); output only, as plain text, in an owner-only file. */
  setLogging(sessionId: string, on: boolean, timestamps: boolean): Promise<SessionLogState>;
  logState(sessionId: string): SessionLogState;
  /** Opens the session's log file with the system's viewer. */
  openLog(sessionId: string): Promise<void>;
  /** Removes the pinned host key (after the user re-created the instance); the next connect verifies afresh. */
  forgetHostKey(instanceId: string): void;
  /** `owner`: the window session the output is addressed to (no other window receives it). */
  open(input: OpenTerminalInput, signal?: AbortSignal, owner?: string): Promise<TerminalSession>;
  write(sessionId: string, data: string): void;
  resize(sessionId: string, cols: number, rows: number): void;
  ack(sessionId: string, bytes: number): void;
  reconnect(sessionId: string, cols: number, rows: number, signal?: AbortSignal, owner?: string): Promise<TerminalSession>;
  busy(sessionId: string): Promise<boolean>;
  /** The shell's current directory (so a file dropped on its tab lands there), when it can be learned. */
  cwd(sessionId: string): Promise<string | undefined>;
  close(sessionId: string): Promise<void>;
  /** The shells still open (a window that starts up picks the detached ones up again). */
  list(): RunningTerminal[];
  /** `owner` takes the shell over: its output goes there from now on, and a pending orphan close is called off. */
  attach(sessionId: string, owner?: string): AttachedTerminal;
  /**
   * The window session went away (closed, reloaded, crashed): its shells are detached and closed after the
   * grace period unless a window attaches them first. None is left running with nobody to see it.
   */
  windowClosed(owner: string): void;
  /** Instances Hangar stopped or terminated: their shells close as 'stopped' (not 'lost': no reconnect). */
  instancesChanged(changes: readonly InstanceStateChange[]): void;
  /** Closes every session and connection (app quit). */
  dispose(): void;
}
