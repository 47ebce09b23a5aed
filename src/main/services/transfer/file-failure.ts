/** A per-file problem: recorded in the job's failures, the job goes on. */
export class FileFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(message);
    this.name = 'FileFailure';
  }
}
