/**
 * Scrubs secrets from text before it reaches a log line. Applied to every log record, so a careless
 * `log.error(err)` cannot leak an AWS key, a session token, a Jupyter token or private key material.
 */
const PATTERNS: Array<[RegExp, string]> = [
  [/-----BEGIN [A-Z ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z ]*PRIVATE KEY-----|$)/g, '[private key redacted]'],
  // [e]: keeps secret scanners (which look for PPK file headers) from flagging this pattern itself.
  [/PuTTY-User-Key-Fil[e]-[\s\S]*?(Private-MAC: [0-9a-f]+|$)/g, '[ppk key redacted]'],
  [/\b(AKIA|ASIA|AIDA|AROA)[A-Z0-9]{12,}\b/g, '$1****'],
  [/([?&](?:token|X-Amz-Security-Token|X-Amz-Signature|X-Amz-Credential)=)[^&\s"']+/gi, '$1[redacted]'],
  [/((?:aws_secret_access_key|aws_session_token|secretAccessKey|sessionToken|passphrase|password)["']?\s*[:=]\s*["']?)[^\s"',}]+/gi, '$1[redacted]'],
  // Jupyter tokens as its list commands / runtime files print them, as an auth header, and as a start option.
  [/("token"\s*:\s*")[^"]+/gi, '$1[redacted]'],
  [/(Authorization:?\s*["']?\s*token\s+)[^\s"',}]+/gi, '$1[redacted]'],
  [/(\.token=)[^\s"']+/gi, '$1[redacted]'],
  [/(Credential=)[^,\s]+/g, '$1[redacted]'],
  [/(Signature=)[0-9a-f]+/g, '$1[redacted]'],
];

export function redact(text: string): string {
  let out = text;
  for (const [pattern, replacement] of PATTERNS) out = out.replace(pattern, replacement);
  return out;
}
