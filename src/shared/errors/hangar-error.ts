/**
 * The one error type that crosses the IPC boundary. Services map raw SDK / ssh2 / fs errors into it at
 * their edge, dispatch serialises it, the renderer rebuilds it and shows `message` + `hint`.
 */
export type ErrorCode =
  | 'CANCELLED'
  | 'INVALID_ARGUMENT'
  | 'UNKNOWN_METHOD'
  | 'INTERNAL'
  | 'NOT_FOUND'
  | 'TRANSPORT_CLOSED'
  | 'KEYCHAIN_UNAVAILABLE'
  | 'SETTINGS_CORRUPT'
  | 'AWS_NO_CREDENTIALS'
  | 'AWS_SSO_LOGIN_REQUIRED'
  | 'AWS_PROFILE_INVALID'
  | 'ACCOUNT_NOT_FOUND'
  | 'AWS_INVALID_KEY_ID'
  | 'AWS_BAD_SECRET'
  | 'AWS_CLOCK_SKEW'
  | 'AWS_TOKEN_EXPIRED'
  | 'AWS_UNAUTHORIZED'
  | 'AWS_OPT_IN_REQUIRED'
  | 'AWS_THROTTLED'
  | 'AWS_INCORRECT_STATE'
  | 'AWS_OPERATION_NOT_PERMITTED'
  | 'AWS_NOT_FOUND'
  | 'AWS_REQUEST_FAILED'
  | 'OFFLINE'
  | 'SSH_CONNECT_REFUSED'
  | 'SSH_TIMEOUT'
  | 'SSH_AUTH_FAILED'
  | 'SSH_JUMP_UNREACHABLE'
  | 'SSH_JUMP_AUTH_FAILED'
  | 'SSH_JUMP_HOST_KEY_MISMATCH'
  | 'SSH_JUMP_FORWARD_FAILED'
  | 'SSH_PROXY_UNREACHABLE'
  | 'SSH_PROXY_REFUSED'
  | 'SSH_PROXY_AUTH_REQUIRED'
  | 'SSH_PROXY_AUTH_FAILED'
  | 'SSH_PROXY_FAILED'
  | 'SSH_HOST_KEY_CHANGED'
  | 'SSH_HOST_KEY_UNKNOWN'
  | 'SSH_FAILED'
  | 'SSH_NO_ADDRESS'
  | 'SSH_ONLY_SESSION_MANAGER'
  | 'SSH_KEY_MISSING'
  | 'SSH_KEY_INVALID'
  | 'SSH_KEY_PASSPHRASE_NEEDED'
  | 'SSH_SESSION_NOT_FOUND'
  | 'SSH_INSTANCE_CONNECT_UNSUPPORTED'
  | 'WINDOWS_PASSWORD_NOT_READY'
  | 'WINDOWS_PASSWORD_UNAVAILABLE'
  | 'SSM_AGENT_OFFLINE'
  | 'SSM_SESSION_FAILED'
  | 'SSM_CHANNEL_LOST'
  | 'NOT_IMPLEMENTED'
  | 'TRANSFER_NOT_FOUND'
  | 'TRANSFER_STATE'
  | 'LOCAL_UNREADABLE'
  | 'LOCAL_WRITE_FAILED'
  | 'LOCAL_NOT_FOUND'
  | 'LOCAL_PATH_NOT_GRANTED'
  | 'REMOTE_NOT_FOUND'
  | 'REMOTE_PERMISSION_DENIED'
  | 'REMOTE_EXISTS'
  | 'REMOTE_DISK_FULL'
  | 'REMOTE_FAILED'
  | 'TRANSFER_SIZE_MISMATCH'
  | 'TRANSFER_CHECKSUM_MISMATCH'
  | 'CONNECTION_LOST'
  | 'INSTANCE_STOPPED'
  | 'TUNNEL_PORT_IN_USE'
  | 'TUNNEL_FAILED'
  | 'TUNNEL_NOT_FOUND'
  | 'JUPYTER_NOT_INSTALLED'
  | 'JUPYTER_NOT_RUNNING'
  | 'JUPYTER_START_FAILED'
  | 'TENSORBOARD_NOT_INSTALLED'
  | 'TENSORBOARD_NOT_RUNNING'
  | 'AWS_INSUFFICIENT_CAPACITY'
  | 'AWS_VCPU_LIMIT'
  | 'AWS_KEY_PAIR_NOT_FOUND'
  | 'AWS_ARCH_MISMATCH'
  | 'AWS_NO_DEFAULT_VPC'
  | 'AWS_ALREADY_EXISTS'
  | 'IP_ECHO_UNREACHABLE'
  | 'IDLE_NO_SUDO'
  | 'IDLE_NO_SYSTEMD'
  | 'IDLE_SHUTDOWN_TERMINATES'
  | 'IDLE_INSTALL_FAILED'
  | 'IDLE_CANNOT_STOP'
  | 'AWS_RESOURCE_IN_USE'
  | 'STORAGE_UNKNOWN_FILESYSTEM'
  | 'STORAGE_NOT_MOUNTED'
  | 'STORAGE_NO_SUDO'
  | 'STORAGE_GROWPART_MISSING'
  | 'STORAGE_DISK_NOT_FOUND'
  | 'STORAGE_COMMAND_FAILED'
  | 'STORAGE_SIZE_NOT_SEEN'
  | 'STORAGE_MODIFICATION_RUNNING'
  | 'STORAGE_MODIFICATION_LIMIT'
  | 'STORAGE_ZONE_MISMATCH'
  | 'STORAGE_TYPE_INCOMPATIBLE'
  | 'SLURM_NOT_SET_UP'
  | 'SLURM_REJECTED'
  | 'SLURM_PACKAGES_UNAVAILABLE'
  | 'SLURM_NO_SUDO'
  | 'SLURM_FAILED';

export interface SerializedError {
  readonly name: 'HangarError';
  readonly code: ErrorCode;
  readonly message: string;
  readonly hint?: string;
  readonly retryable: boolean;
  /** Plain, non-secret facts for the UI (e.g. the AWS action that was denied). */
  readonly details?: Readonly<Record<string, string | number | boolean>>;
}

export interface HangarErrorInit {
  code: ErrorCode;
  message: string;
  hint?: string;
  retryable?: boolean;
  details?: Record<string, string | number | boolean>;
  cause?: unknown;
}

export class HangarError extends Error {
  override readonly name = 'HangarError' as const;
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly retryable: boolean;
  readonly details: Readonly<Record<string, string | number | boolean>> | undefined;

  constructor(init: HangarErrorInit) {
    super(init.message, init.cause === undefined ? undefined : { cause: init.cause });
    this.code = init.code;
    this.hint = init.hint;
    this.retryable = init.retryable ?? false;
    this.details = init.details;
  }

  toJSON(): SerializedError {
    return {
      name: 'HangarError',
      code: this.code,
      message: this.message,
      ...(this.hint === undefined ? {} : { hint: this.hint }),
      retryable: this.retryable,
      ...(this.details === undefined ? {} : { details: this.details }),
    };
  }

  static fromJSON(data: SerializedError): HangarError {
    return new HangarError({
      code: data.code,
      message: data.message,
      ...(data.hint === undefined ? {} : { hint: data.hint }),
      retryable: data.retryable,
      ...(data.details === undefined ? {} : { details: { ...data.details } }),
    });
  }
}

export function isHangarError(value: unknown): value is HangarError {
  return value instanceof HangarError;
}

/** Cancellation is recognised by code (and by the DOM's AbortError name), never by message text. */
export function isCancelled(value: unknown): boolean {
  if (value instanceof HangarError) return value.code === 'CANCELLED';
  return value instanceof Error && value.name === 'AbortError';
}

export function cancelledError(): HangarError {
  return new HangarError({ code: 'CANCELLED', message: 'Cancelled.', retryable: true });
}
