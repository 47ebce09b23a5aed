import type { InstanceRef } from './transfers';

/**
 * The ways into an instance (issue 15), best first: SSH with a key Hangar holds, SSH with a one-minute EC2
 * Instance Connect key, or a Session Manager shell that needs no SSH port at all. `endpoint` is not a way to
 * sign in but the path SSH takes to an instance with no public address: an EC2 Instance Connect Endpoint.
 */
export const WAYS_IN = ['ssh-key', 'instance-connect', 'session-manager', 'endpoint'] as const;
export type WayIn = (typeof WAYS_IN)[number];

export interface WayInState {
  readonly way: WayIn;
  readonly available: boolean;
  /** Why it is or is not available, in plain words ("key pair lab-key is in the keychain", "port 22 is closed…"). */
  readonly detail: string;
}

export interface WaysIn {
  readonly instance: Omit<InstanceRef, 'acceptHostKey'>;
  readonly ways: readonly WayInState[];
  /** The first available way: what Connect uses. Undefined when none is (Connect then says why). */
  readonly best?: WayIn;
  /** SSH (key or Instance Connect) can be used: files, tunnels and run-many go over it; else tunnels use Session Manager. */
  readonly sshReachable: boolean;
}

export const WAY_IN_LABELS: Record<WayIn, string> = {
  'ssh-key': 'SSH key',
  'instance-connect': 'Instance Connect',
  'session-manager': 'Session Manager',
  endpoint: 'Instance Connect Endpoint',
};
