import type { HangarError } from '../../src/shared/errors/hangar-error';

/** Everything an error could show or log (message, hint, JSON, stack, cause): where a secret must never appear. */
export function everyTextOf(error: HangarError): string {
  const cause = error.cause instanceof Error ? `${error.cause.name} ${error.cause.message} ${error.cause.stack ?? ''}` : String(error.cause);
  return [error.message, error.hint ?? '', JSON.stringify(error.toJSON()), String(error), error.stack ?? '', cause].join('\n');
}
