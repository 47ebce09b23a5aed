import { HangarError, type ErrorCode } from '../../../shared/errors/hangar-error';

/** A copy of `error` with parts of its text (or its code) replaced; details, cause and retryability kept. */
export function rephrase(error: HangarError, change: { code?: ErrorCode; message?: string; hint?: string }): HangarError {
  const hint = change.hint ?? error.hint;
  return new HangarError({
    code: change.code ?? error.code,
    message: change.message ?? error.message,
    ...(hint === undefined ? {} : { hint }),
    retryable: error.retryable,
    ...(error.details === undefined ? {} : { details: { ...error.details } }),
    cause: error.cause,
  });
}

/** " (ECONNREFUSED)" when the mapped error knows which network failure it was. */
export function networkSuffix(error: HangarError): string {
  const code = error.details?.networkError;
  return typeof code === 'string' ? ` (${code})` : '';
}
