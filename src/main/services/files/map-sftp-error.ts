import { cancelledError, HangarError } from '../../../shared/errors/hangar-error';

/** SFTP status codes (draft-ietf-secsh-filexfer-02), as ssh2 puts them on `error.code`. */
const NO_SUCH_FILE = 2;
const PERMISSION_DENIED = 3;

export interface SftpErrorContext {
  /** What was being done, in words that fit "Could not … PATH", e.g. "open", "delete". */
  readonly verb: string;
  readonly path: string;
  /** The login user, named in the permission hint. */
  readonly user: string;
  /** True when the SSH connection is gone: the failure is the link, not the file. */
  readonly connectionClosed: boolean;
}

/** Maps a raw ssh2 SFTP failure to a HangarError that names the path and the next step. */
export function mapSftpError(error: unknown, ctx: SftpErrorContext): HangarError {
  if (error instanceof HangarError) return error;
  if (error instanceof Error && error.name === 'AbortError') return cancelledError();
  const raw = typeof error === 'object' && error !== null ? (error as { code?: unknown; message?: unknown }) : {};
  const text = typeof raw.message === 'string' ? raw.message : String(error);
  const details = { path: ctx.path };
  if (raw.code === NO_SUCH_FILE) {
    return new HangarError({
      code: 'REMOTE_NOT_FOUND',
      message: `${ctx.path} does not exist on the instance.`,
      hint: 'It may have been moved or deleted in the meantime: refresh the folder, or check the path.',
      details,
      cause: error,
    });
  }
  if (raw.code === PERMISSION_DENIED) {
    return new HangarError({
      code: 'REMOTE_PERMISSION_DENIED',
      message: `Could not ${ctx.verb} ${ctx.path}: the user ${ctx.user} is not allowed to.`,
      hint: `It belongs to another user (often root). Work in a folder ${ctx.user} owns, such as the home folder, or in a terminal take ownership with sudo chown, or change the permissions with sudo chmod.`,
      details,
      cause: error,
    });
  }
  if (ctx.connectionClosed) {
    return new HangarError({
      code: 'CONNECTION_LOST',
      message: `The connection to the instance was lost while trying to ${ctx.verb} ${ctx.path}.`,
      hint: 'Check that the instance is still running and your network is up, then refresh.',
      retryable: true,
      details,
      cause: error,
    });
  }
  return new HangarError({
    code: 'REMOTE_FAILED',
    message: `Could not ${ctx.verb} ${ctx.path}: ${text}.`,
    hint: 'The instance refused the operation. Refresh and try again; if it keeps failing, check the disk space and the folder in a terminal.',
    retryable: true,
    details,
    cause: error,
  });
}
