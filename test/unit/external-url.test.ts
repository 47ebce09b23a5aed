import { describe, expect, it } from 'vitest';
import { checkExternalUrl } from '../../src/main/services/app/external-url';

describe('checkExternalUrl', () => {
  it('lets http and https through', () => {
    expect(checkExternalUrl('https://console.aws.amazon.com/ec2')).toBe('https://console.aws.amazon.com/ec2');
    expect(checkExternalUrl('http://127.0.0.1:8888/lab?token=x')).toBe('http://127.0.0.1:8888/lab?token=x');
  });
  it.each(['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'ms-msdt:/id', 'data:text/html,hi', 'not a url', 'https://user:pw@example.com/'])(
    'refuses %s with a hint',
    (url) => {
      expect(() => checkExternalUrl(url)).toThrowError(expect.objectContaining({ code: 'INVALID_ARGUMENT', hint: expect.any(String) }));
    },
  );
});
