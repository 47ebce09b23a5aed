import { HangarError } from '../../../shared/errors/hangar-error';

/**
 * AWS's error code of whatever the SDK threw: `Code` (EC2's XML errors) or else the error's `name`;
 * '' for anything else. For the few places that react to one code before the error is mapped.
 */
export function awsCodeOf(error: unknown): string {
  if (typeof error !== 'object' || error === null) return '';
  const e = error as { Code?: unknown; name?: unknown };
  return typeof e.Code === 'string' ? e.Code : typeof e.name === 'string' ? e.name : '';
}

/** AWS's error code kept on an error callAws already mapped (details.awsCode); '' when none. */
export function mappedAwsCode(error: unknown): string {
  return String((error instanceof HangarError ? error.details?.awsCode : undefined) ?? '');
}

/** AWS's raw message of an SDK error ('' if none). Scrub it before it goes anywhere a user can see. */
export function awsMessageOf(error: unknown): string {
  const message = typeof error === 'object' && error !== null ? (error as { message?: unknown }).message : undefined;
  return typeof message === 'string' ? message : '';
}
