import { cancelledError } from '../../../shared/errors/hangar-error';
import { mapAwsError, type AwsErrorContext } from './map-aws-error';

export interface AwsCallContext extends AwsErrorContext {
  /** The caller's cancel signal; pass the same one to `send(command, { abortSignal })`. */
  signal?: AbortSignal | undefined;
}

/**
 * Runs one AWS call (or a short run of them, such as the pages of a listing) and maps whatever it
 * throws once, here at the edge: a HangarError, or CANCELLED when the caller's signal fired. Resolve
 * the client inside `run`, so that an unknown account's ACCOUNT_NOT_FOUND leaves the same way.
 *
 *   await callAws(() => clients.ec2(region).send(new DescribeVpcsCommand({}), { abortSignal: signal }),
 *     { action: 'ec2:DescribeVpcs', region, signal });
 */
export async function callAws<T>(run: () => Promise<T>, context: AwsCallContext): Promise<T> {
  const { signal, ...errorContext } = context;
  if (signal?.aborted) throw cancelledError();
  try {
    return await run();
  } catch (error) {
    throw signal?.aborted ? cancelledError() : mapAwsError(error, errorContext);
  }
}

/** Throws CANCELLED when the signal has fired: for the gaps between calls (pages, retries, batches). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw cancelledError();
}
