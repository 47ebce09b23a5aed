import { FileFailure } from './file-failure';
import type { JobContext } from './job-context';

export interface FilePoolOptions<T> {
  /** How many files are in flight at once. */
  lanes: number;
  /**
   * The next file from the walk, or undefined at its end. Calls are serialised, so a walk can make a folder
   * before handing out the files inside it. `active()` turns false once the pool stops or the job is aborted.
   */
  next(active: () => boolean): Promise<T | undefined>;
  /** Sends one file; a FileFailure is that file's alone, anything else stops the job. */
  send(item: T): Promise<void>;
  /** The file's path relative to the job, for its failure record. */
  relOf(item: T): string;
}

/**
 * The file pool shared by uploads and downloads: `lanes` workers pull from one serialised walk, a FileFailure
 * is recorded against its file and the others go on, any other error stops every worker and is thrown once all
 * of them have settled (so no send is still running when the job reports).
 */
export async function runFilePool<T>(ctx: Pick<JobContext, 'signal' | 'failure'>, options: FilePoolOptions<T>): Promise<void> {
  let chain: Promise<unknown> = Promise.resolve();
  let stopped = false;
  const active = (): boolean => !stopped && !ctx.signal.aborted;
  const pull = (): Promise<T | undefined> => {
    const next = chain.then(() => (active() ? options.next(active) : undefined));
    chain = next.catch(() => undefined);
    return next;
  };
  const worker = async (): Promise<void> => {
    for (let item = await pull(); item !== undefined; item = await pull()) {
      try {
        await options.send(item);
      } catch (error) {
        if (error instanceof FileFailure) {
          ctx.failure(options.relOf(item), error.code, error.message);
          continue;
        }
        stopped = true;
        throw error;
      }
    }
  };
  const results = await Promise.allSettled(Array.from({ length: options.lanes }, worker));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (failed !== undefined) throw failed.reason;
  if (ctx.signal.aborted) throw ctx.signal.reason;
}
