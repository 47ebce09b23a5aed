import { HangarError } from '../../../shared/errors/hangar-error';
import { JobStopError } from './job-context';
import type { TransferRecord } from './transfer-record';

/** Why a job stopped, in the words the transfers panel shows. */
export function describeFailure(error: unknown): NonNullable<TransferRecord['error']> {
  if (error instanceof JobStopError) return { code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) };
  if (error instanceof HangarError) return { code: error.code, message: error.message, ...(error.hint === undefined ? {} : { hint: error.hint }) };
  const text = error instanceof Error ? error.message : String(error);
  return { code: 'REMOTE_FAILED', message: `The transfer stopped: ${text}`, hint: 'Press Resume to try again.' };
}
