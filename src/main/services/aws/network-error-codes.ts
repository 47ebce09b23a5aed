/**
 * Node socket / DNS error codes that mean "AWS could not be reached" (offline, DNS, proxy, VPN), never
 * "AWS said no". Every AWS-facing service classifies with this one list.
 */
export const NETWORK_ERROR_CODES: readonly string[] = [
  'ECONNREFUSED',
  'ECONNRESET',
  'ENOTFOUND',
  'EAI_AGAIN',
  'ETIMEDOUT',
  'ENETUNREACH',
  'EHOSTUNREACH',
  'EPIPE',
  'ENETDOWN',
];

const NETWORK_SET = new Set(NETWORK_ERROR_CODES);

/** The network code of `error`: Node puts it on the error or, behind SDK wrappers, on a cause a few levels down. */
export function networkErrorCodeOf(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && typeof current === 'object' && current !== null; depth++) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_SET.has(code)) return code;
    current = (current as { cause?: unknown }).cause;
  }
  return undefined;
}
