/**
 * One instance as the screens pass it around: where it is (account, region, id) and its name for the
 * user. What a terminal tab connects to, what a file browser shows, where an upload goes.
 */
export interface InstanceTarget {
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string;
  /** The instance's Name tag (or its id). */
  readonly name: string;
  /** A terminal signs in with a one-minute EC2 Instance Connect key, even if a key is held; or uses Session Manager (no SSH). */
  readonly access?: 'instance-connect' | 'session-manager';
}
