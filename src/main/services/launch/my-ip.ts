import { HangarError } from '../../../shared/errors/hangar-error';
import { ipv4Schema } from '../../../shared/models/launch';

/** Amazon's own echo service: answers with the caller's public IPv4 and a newline. */
export const DEFAULT_IP_ECHO_URL = 'https://checkip.amazonaws.com';

const MANUAL_HINT =
  'Check your internet connection, or type your public IP address yourself (search "what is my IP" on another device on the same network).';

/** Asks the IP echo service for this computer's public IPv4. Fails fast (5 s) with IP_ECHO_UNREACHABLE. */
export async function learnPublicIp(url: string, signal?: AbortSignal, timeoutMs = 5_000): Promise<string> {
  const timeout = AbortSignal.timeout(timeoutMs);
  const combined = signal === undefined ? timeout : AbortSignal.any([signal, timeout]);
  let text: string;
  try {
    const response = await fetch(url, { signal: combined, redirect: 'error' });
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    text = (await response.text()).slice(0, 100).trim();
  } catch (error) {
    if (signal?.aborted) throw new HangarError({ code: 'CANCELLED', message: 'Cancelled.', retryable: true, cause: error });
    throw new HangarError({
      code: 'IP_ECHO_UNREACHABLE',
      message: 'Hangar could not learn your public IP address.',
      hint: MANUAL_HINT,
      retryable: true,
      details: { url },
      cause: error,
    });
  }
  if (!ipv4Schema.safeParse(text).success) {
    throw new HangarError({
      code: 'IP_ECHO_UNREACHABLE',
      message: 'The IP echo service did not answer with an IPv4 address.',
      hint: MANUAL_HINT,
      details: { url },
    });
  }
  return text;
}
