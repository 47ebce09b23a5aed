import { describe, expect, it } from 'vitest';
import { redact } from '../../../src/main/services/logging/redact';
import { parseDiscoveryOutput, parseJupyterList } from '../../../src/main/services/tunnels/jupyter-discovery';
import { resolveRemotePath } from '../../../src/main/services/tunnels/remote-launcher';

describe('Jupyter discovery output', () => {
  it('reads `jupyter server list --json` lines (Jupyter Server: root_dir, base_url without slashes)', () => {
    const line = JSON.stringify({ base_url: 'lab', hostname: 'localhost', port: 8890, pid: 42, root_dir: '/home/ubuntu', token: 'abc', sock: '', secure: false });
    const found = parseDiscoveryOutput(`@@server-list\n${line}\n`);
    expect(found).toEqual({
      installed: true,
      servers: [{ port: 8890, host: '127.0.0.1', baseUrl: '/lab/', token: 'abc', hasToken: true, source: 'server-list', rootDir: '/home/ubuntu', pid: 42 }],
    });
  });

  it('reads runtime files (notebook_dir, pretty JSON flattened) and keeps one server per port', () => {
    const a = JSON.stringify({ base_url: '/', hostname: '0.0.0.0', port: 8888, notebook_dir: '/srv', token: '' });
    const b = JSON.stringify({ base_url: '/', hostname: '127.0.0.1', port: 8888, notebook_dir: '/srv', token: '' });
    const found = parseDiscoveryOutput(`noise from a login script\n@@runtime-file\n${a}\n${b}\nnot json\n`);
    expect(found.servers).toHaveLength(1);
    expect(found.servers[0]).toMatchObject({ port: 8888, host: '127.0.0.1', hasToken: false, rootDir: '/srv', source: 'runtime-file' });
  });

  it('skips unix-socket servers and garbage; says when jupyter is missing', () => {
    expect(parseJupyterList(JSON.stringify({ port: 0, sock: '/run/j.sock' }), 'server-list')).toEqual([]);
    expect(parseJupyterList('{"port": "x"}\n{broken', 'notebook-list')).toEqual([]);
    expect(parseDiscoveryOutput('@@NOJUPYTER\n')).toEqual({ installed: false, servers: [] });
    expect(parseDiscoveryOutput('')).toEqual({ installed: true, servers: [] });
  });

  it('keeps a server bound to a specific address on that address', () => {
    const [server] = parseJupyterList(JSON.stringify({ port: 9000, hostname: '10.0.0.5', base_url: '/' }), 'notebook-list');
    expect(server?.host).toBe('10.0.0.5');
  });
});

describe('remote paths and token redaction', () => {
  it('resolves ~ and relative folders from the remote home', () => {
    expect(resolveRemotePath('~', '/home/u')).toBe('/home/u');
    expect(resolveRemotePath('~/runs', '/home/u')).toBe('/home/u/runs');
    expect(resolveRemotePath('work', '/home/u')).toBe('/home/u/work');
    expect(resolveRemotePath('/data', '/home/u')).toBe('/data');
  });

  it('redacts Jupyter tokens in list output, auth headers, start options and URLs', () => {
    const secret = '0f1e2d3c4b5a69788796a5b4c3d2e1f0';
    const text = [
      `{"base_url": "/", "port": 8888, "token": "${secret}"}`,
      `Authorization: token ${secret}`,
      `jupyter notebook --NotebookApp.token=${secret}`,
      `http://127.0.0.1:8888/?token=${secret}`,
    ].join('\n');
    const out = redact(text);
    expect(out).not.toContain(secret);
    expect(out).toContain('"port": 8888');
  });
});
