/** What a tab connects to; the Instances screen passes this to openTerminal. */
export interface TerminalTarget {
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string;
  /** The instance's Name tag (or its id). */
  readonly name: string;
}
