import { describe, expect, it } from 'vitest';
import { rdpFileText } from '../../../src/main/services/windows/rdp-file';
import { safeFileName } from '../../../src/main/services/windows/windows-access';

describe('rdpFileText', () => {
  it('names the address and the Administrator user, CRLF lines, no password', () => {
    const text = rdpFileText({ host: '203.0.113.10', user: 'Administrator' });
    expect(text.split('\r\n')).toEqual(expect.arrayContaining(['full address:s:203.0.113.10', 'username:s:Administrator']));
    expect(text).not.toMatch(/password/i);
    expect(text.endsWith('\r\n')).toBe(true);
    expect(rdpFileText({ host: 'ec2-203-0-113-10.compute-1.amazonaws.com', user: 'Administrator', port: 3390 })).toContain(
      'full address:s:ec2-203-0-113-10.compute-1.amazonaws.com:3390\r\n',
    );
  });

  it('refuses a host or user that would inject another setting', () => {
    expect(() => rdpFileText({ host: '1.2.3.4\r\nalternate shell:s:cmd', user: 'Administrator' })).toThrow();
    expect(() => rdpFileText({ host: '1.2.3.4', user: 'Admin\nx' })).toThrow();
  });

  it('names the file after the instance, safely', () => {
    expect(safeFileName('win box/1')).toBe('win-box-1');
    expect(safeFileName('../../etc')).toBe('etc');
    expect(safeFileName('…')).toBe('instance');
  });
});
