import { describe, expect, it } from 'vitest';
import { createLogger } from '../../src/main/services/logging/logger';
import { redact } from '../../src/main/services/logging/redact';
import { OPENSSH_KEY_HEADER } from '../support/key-headers';

describe('redact', () => {
  it('removes AWS key ids, secrets, tokens and private keys', () => {
    const text = [
      'key AKIAIOSFODNN7EXAMPLE used',
      'aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
      '{"sessionToken":"IQoJb3JpZ2luX2VjEXAMPLE"}',
      'http://127.0.0.1:8888/lab?token=abc123def456',
      'Authorization: AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261123/us-east-1/ec2/aws4_request, SignedHeaders=host, Signature=0123abcd',
      `${OPENSSH_KEY_HEADER}\nb3BlbnNzaC1rZXktdjEAAAAA\n-----END OPENSSH PRIVATE KEY-----`,
    ].join('\n');
    const out = redact(text);
    for (const secret of ['IOSFODNN7EXAMPLE', 'wJalrXUtnFEMI', 'IQoJb3JpZ2luX2VjEXAMPLE', 'abc123def456', '0123abcd', 'b3BlbnNzaC1rZXktdjEAAAAA']) {
      expect(out).not.toContain(secret);
    }
    expect(out).toContain('AKIA****');
    expect(out).toContain('[private key redacted]');
  });

  it('leaves ordinary text alone', () => {
    const text = 'Started i-0123456789abcdef0 in eu-west-1 (t3.micro) at 10.0.0.5';
    expect(redact(text)).toBe(text);
  });

  it('is applied to every log line, errors included', () => {
    const lines: string[] = [];
    const log = createLogger({ sink: (l) => lines.push(l), level: 'debug' });
    log.error('call failed', new Error('bad key AKIAIOSFODNN7EXAMPLE'));
    log.info('opening', { url: 'http://127.0.0.1:9999/?token=supersecret' });
    expect(lines.join('\n')).not.toMatch(/IOSFODNN7EXAMPLE|supersecret/);
    expect(lines).toHaveLength(2);
  });
});
