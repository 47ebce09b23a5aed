import { HangarError } from '../../shared/errors/hangar-error';

/** Calls through the client only ever throw HangarError; this keeps the UI total for the odd exception. */
export function toHangarError(error: unknown): HangarError {
  if (error instanceof HangarError) return error;
  return new HangarError({
    code: 'INTERNAL',
    message: error instanceof Error ? error.message : 'Something unexpected happened.',
    cause: error,
  });
}
