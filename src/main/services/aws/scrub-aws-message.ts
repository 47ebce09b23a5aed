// AWS messages never contain our secret, but a 40-character key-like run is redacted anyway, and the
// multi-kilobyte "encoded authorization failure" blobs are cut short.
const KEY_LIKE = /(?<![A-Za-z0-9/+])[A-Za-z0-9/+]{40}(?![A-Za-z0-9/+])/g;
const MAX_LENGTH = 500;

/** AWS's own error text made safe to show and keep: secret-key-like runs redacted, at most 500 characters. */
export function scrubAwsMessage(message: string): string {
  const redacted = message.replace(KEY_LIKE, '[redacted]');
  return redacted.length > MAX_LENGTH ? `${redacted.slice(0, MAX_LENGTH)}…` : redacted;
}
