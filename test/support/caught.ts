import { isHangarError, type HangarError } from '../../src/shared/errors/hangar-error';

/**
 * Awaits a call that should fail and hands back its HangarError. A call that succeeds, or fails with
 * anything but a HangarError, fails the test (an unmapped error is a defect of the service edge).
 */
export async function caught(promise: Promise<unknown>): Promise<HangarError> {
  const error = await rejectionOf(promise);
  if (!isHangarError(error)) throw new Error(`expected a HangarError, got ${String(error)}`, { cause: error });
  return error;
}

/** Awaits a call that should fail and hands back whatever it was rejected with; a success fails the test. */
async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  const outcome = await promise.then(
    () => ({ failed: false as const }),
    (reason: unknown) => ({ failed: true as const, reason }),
  );
  if (!outcome.failed) throw new Error('expected the call to fail, but it succeeded');
  return outcome.reason;
}
