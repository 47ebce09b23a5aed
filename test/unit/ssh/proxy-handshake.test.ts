import { describe, expect, it } from 'vitest';
import {
  httpConnectRequest,
  httpHeadEnd,
  httpStatus,
  socksConnectRequest,
  socksGreeting,
  socksPasswordRequest,
  socksReplyLength,
  socksReplyMessage,
} from '../../../src/main/services/ssh/proxy-handshake';
import { parseJumpHost, parseProxyUrl } from '../../../src/shared/models/ssh-route';

describe('SOCKS5 bytes (RFC 1928 / 1929)', () => {
  it('offers "no authentication", and user/password only when it has a user', () => {
    expect([...socksGreeting(false)]).toEqual([0x05, 0x01, 0x00]);
    expect([...socksGreeting(true)]).toEqual([0x05, 0x02, 0x00, 0x02]);
  });

  it('sends the user and password with their lengths', () => {
    expect([...socksPasswordRequest('ana', 'pw')]).toEqual([0x01, 3, 0x61, 0x6e, 0x61, 2, 0x70, 0x77]);
    expect(() => socksPasswordRequest('a'.repeat(256), '')).toThrow(RangeError);
  });

  it('addresses IPv4, IPv6 and names by their own types, port in network order', () => {
    expect([...socksConnectRequest('10.0.1.5', 22)]).toEqual([5, 1, 0, 1, 10, 0, 1, 5, 0, 22]);
    expect([...socksConnectRequest('2001:db8::1', 2222)]).toEqual([5, 1, 0, 4, 0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 0x08, 0xae]);
    expect([...socksConnectRequest('ip-10-0-1-5.internal', 22)]).toEqual([5, 1, 0, 3, 20, ...Buffer.from('ip-10-0-1-5.internal'), 0, 22]);
  });

  it('knows how long a reply is from its address type', () => {
    expect(socksReplyLength(Buffer.from([5, 0, 0, 1, 127]))).toBe(10);
    expect(socksReplyLength(Buffer.from([5, 0, 0, 4, 0]))).toBe(22);
    expect(socksReplyLength(Buffer.from([5, 0, 0, 3, 9]))).toBe(16);
    expect(socksReplyLength(Buffer.from([5, 0, 0]))).toBeUndefined();
  });

  it('says each refusal code in words', () => {
    expect(socksReplyMessage(0x02)).toContain('rules do not allow');
    expect(socksReplyMessage(0x05)).toContain('refused');
    expect(socksReplyMessage(0x99)).toContain('unknown code 153');
  });
});

describe('HTTP CONNECT', () => {
  it('asks for host:port with Basic proxy authorisation when given', () => {
    expect(httpConnectRequest('10.0.1.5', 22).toString()).toBe('CONNECT 10.0.1.5:22 HTTP/1.1\r\nHost: 10.0.1.5:22\r\n\r\n');
    expect(httpConnectRequest('2001:db8::1', 22, { username: 'ana', password: 'pw' }).toString()).toBe(
      'CONNECT [2001:db8::1]:22 HTTP/1.1\r\nHost: [2001:db8::1]:22\r\nProxy-Authorization: Basic YW5hOnB3\r\n\r\n',
    );
  });

  it('finds the end of the head and reads the status', () => {
    const answer = Buffer.from('HTTP/1.1 407 Proxy Authentication Required\r\nProxy-Authenticate: Basic\r\n\r\nSSH-2.0-OpenSSH');
    const end = httpHeadEnd(answer);
    expect(answer.subarray(end).toString()).toBe('SSH-2.0-OpenSSH');
    expect(httpStatus(answer.subarray(0, end))).toEqual({ code: 407, reason: 'Proxy Authentication Required' });
    expect(httpHeadEnd(Buffer.from('HTTP/1.1 200 OK\r\n'))).toBe(-1);
    expect(httpStatus(Buffer.from('SSH-2.0-x\r\n\r\n'))).toBeUndefined();
  });
});

describe('route fields', () => {
  it('parses jump hosts with and without a port, IPv6 in brackets; refuses the rest', () => {
    expect(parseJumpHost('ec2-user@bastion.lab.edu')).toEqual({ user: 'ec2-user', host: 'bastion.lab.edu', port: 22 });
    expect(parseJumpHost('ubuntu@[2001:db8::1]:2222')).toEqual({ user: 'ubuntu', host: '2001:db8::1', port: 2222 });
    expect(parseJumpHost('bastion.lab.edu')).toBeUndefined();
    expect(parseJumpHost('a@b:70000')).toBeUndefined();
  });

  it('parses socks5 and http proxies with default ports and a user name', () => {
    expect(parseProxyUrl('socks5://ana@127.0.0.1:1080')).toEqual({ kind: 'socks5', host: '127.0.0.1', port: 1080, username: 'ana' });
    expect(parseProxyUrl('http://proxy.campus.edu')).toEqual({ kind: 'http', host: 'proxy.campus.edu', port: 8080 });
    expect(parseProxyUrl('ftp://x')).toBeUndefined();
    expect(parseProxyUrl('socks5://ana:pw@host:1080')).toBeUndefined();
  });
});
