import type { z } from 'zod';
import { HangarError } from '../../../shared/errors/hangar-error';

const FIELD_NAMES: Record<string, string> = {
  accessKeyId: 'The access key ID',
  secretAccessKey: 'The secret access key',
  sessionToken: 'The session token',
  defaultRegion: 'The default region',
  label: 'The label',
  profile: 'The profile name',
};

/** Schema check at the service edge; messages name the field, never echo the value. */
export function parseAccountInput<S extends z.ZodType>(schema: S, input: unknown): z.output<S> {
  const result = schema.safeParse(input);
  if (result.success) return result.data;
  const issue = result.error.issues[0];
  const field = typeof issue?.path[0] === 'string' ? issue.path[0] : undefined;
  return throwInvalid(field === undefined ? 'Those details' : (FIELD_NAMES[field] ?? `“${field}”`), issue?.message);
}

function throwInvalid(what: string, why: string | undefined): never {
  throw new HangarError({
    code: 'INVALID_ARGUMENT',
    message: `${what} is not valid${why === undefined ? '.' : `: ${why}.`}`,
    hint: 'Copy the value again from the IAM console or your AWS credentials file, then try again.',
  });
}
