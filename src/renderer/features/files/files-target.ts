/** Which instance a file browser shows; the Instances screen's Files button passes this. */
export interface FilesTarget {
  readonly accountId: string;
  readonly region: string;
  readonly instanceId: string;
  /** The instance's Name tag (or its id). */
  readonly name: string;
}
