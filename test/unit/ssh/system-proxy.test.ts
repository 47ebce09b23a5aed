import { describe, expect, it } from 'vitest';
import { proxyFromEnv, proxyFromPac, systemProxyFor } from '../../../src/main/services/ssh/system-proxy';

describe('system proxy', () => {
  it('takes the first usable entry of a PAC answer, and nothing for DIRECT', () => {
    expect(proxyFromPac('PROXY proxy.campus.edu:3128; DIRECT')).toEqual({ kind: 'http', host: 'proxy.campus.edu', port: 3128 });
    expect(proxyFromPac('SOCKS5 127.0.0.1:1080')).toEqual({ kind: 'socks5', host: '127.0.0.1', port: 1080 });
    expect(proxyFromPac('DIRECT; PROXY p:1')).toBeUndefined();
    expect(proxyFromPac('')).toBeUndefined();
  });

  it('reads ALL_PROXY before HTTPS_PROXY, without credentials, and honours NO_PROXY', () => {
    expect(proxyFromEnv({ ALL_PROXY: 'socks5h://ana:pw@127.0.0.1:1080', HTTPS_PROXY: 'http://p:8080' }, 'x.example')).toEqual({ kind: 'socks5', host: '127.0.0.1', port: 1080 });
    expect(proxyFromEnv({ https_proxy: 'http://proxy.campus.edu:3128/' }, 'x.example')).toEqual({ kind: 'http', host: 'proxy.campus.edu', port: 3128 });
    expect(proxyFromEnv({ HTTPS_PROXY: 'http://p:8080', NO_PROXY: '.internal,10.0.0.5' }, 'ip-10-0-0-5.internal')).toBeUndefined();
    expect(proxyFromEnv({}, 'x')).toBeUndefined();
  });

  it('asks the shell (Chromium) when it can, by an https URL to the host', async () => {
    const asked: string[] = [];
    const spec = await systemProxyFor('2001:db8::1', 22, async (url) => {
      asked.push(url);
      return 'PROXY p.example:8080';
    });
    expect(asked).toEqual(['https://[2001:db8::1]:22/']);
    expect(spec).toEqual({ kind: 'http', host: 'p.example', port: 8080 });
  });
});
