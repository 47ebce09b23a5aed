import { describe, expect, it } from 'vitest';
import { isTrustedUrl, resolveRendererLocation, type RendererLocation } from '../../../src/main/electron/is-trusted-url';

const prod = resolveRendererLocation({
  devUrl: undefined,
  isPackaged: true,
  indexPath: '/opt/Hangar/resources/app.asar/out/renderer/index.html',
  platform: 'linux',
});
const dev = resolveRendererLocation({
  devUrl: 'http://localhost:5173/',
  isPackaged: false,
  indexPath: '/work/out/renderer/index.html',
  platform: 'linux',
});

describe('resolveRendererLocation', () => {
  it('loads the built file when packaged, even if ELECTRON_RENDERER_URL is set', () => {
    const location = resolveRendererLocation({
      devUrl: 'http://evil.example/',
      isPackaged: true,
      indexPath: '/opt/Hangar/out/renderer/index.html',
      platform: 'linux',
    });
    expect(location).toMatchObject({ kind: 'file', url: 'file:///opt/Hangar/out/renderer/index.html' });
  });

  it('uses the dev server origin in an unpackaged run', () => {
    expect(dev).toMatchObject({ kind: 'dev', origin: 'http://localhost:5173' });
  });

  it('refuses a dev URL that is not http(s)', () => {
    expect(() =>
      resolveRendererLocation({ devUrl: 'file:///tmp/x.html', isPackaged: false, indexPath: '/x', platform: 'linux' }),
    ).toThrow(/http/);
  });

  it('encodes unusual characters in the install path like Chromium does', () => {
    const spaced = resolveRendererLocation({ devUrl: undefined, isPackaged: true, indexPath: '/Applications/My Apps/Hangar.app/index.html', platform: 'darwin' });
    expect(isTrustedUrl(spaced, 'file:///Applications/My%20Apps/Hangar.app/index.html')).toBe(true);
  });
});

describe('isTrustedUrl', () => {
  it('trusts our own file, with or without in-app routing', () => {
    expect(isTrustedUrl(prod, 'file:///opt/Hangar/resources/app.asar/out/renderer/index.html')).toBe(true);
    expect(isTrustedUrl(prod, 'file:///opt/Hangar/resources/app.asar/out/renderer/index.html#/instances')).toBe(true);
    expect(isTrustedUrl(prod, 'file:///opt/Hangar/resources/app.asar/out/renderer/index.html?x=1')).toBe(true);
  });

  it('does not trust a different file', () => {
    expect(isTrustedUrl(prod, 'file:///tmp/index.html')).toBe(false);
    expect(isTrustedUrl(prod, 'file:///opt/Hangar/resources/app.asar/out/renderer/other.html')).toBe(false);
    expect(isTrustedUrl(prod, 'file:///opt/Hangar/resources/app.asar/out/renderer/')).toBe(false);
    expect(isTrustedUrl(prod, 'file://server/opt/Hangar/resources/app.asar/out/renderer/index.html')).toBe(false);
  });

  it('does not let encoded separators or dot segments smuggle another path in', () => {
    expect(isTrustedUrl(prod, 'file:///opt/Hangar%2Fresources/app.asar/out/renderer/index.html')).toBe(false);
    expect(isTrustedUrl(prod, 'file:///opt/Hangar/resources/app.asar/out/renderer/x/../index.html')).toBe(true);
    expect(isTrustedUrl(prod, 'file:///tmp/../opt/Hangar/resources/app.asar/out/renderer/index.html')).toBe(true);
    expect(isTrustedUrl(prod, 'file:///opt/Hangar/resources/app.asar/out/renderer/index.html/..')).toBe(false);
  });

  it('trusts only the dev server origin in dev', () => {
    expect(isTrustedUrl(dev, 'http://localhost:5173/')).toBe(true);
    expect(isTrustedUrl(dev, 'http://localhost:5173/src/index.html#/x')).toBe(true);
    expect(isTrustedUrl(dev, 'http://localhost:5174/')).toBe(false);
    expect(isTrustedUrl(dev, 'https://localhost:5173/')).toBe(false);
    expect(isTrustedUrl(dev, 'http://localhost.evil.example:5173/')).toBe(false);
    expect(isTrustedUrl(dev, 'file:///work/out/renderer/index.html')).toBe(false);
  });

  it('never trusts data:, javascript:, blob:, about: or garbage', () => {
    for (const location of [prod, dev]) {
      expect(isTrustedUrl(location, 'data:text/html,<script>alert(1)</script>')).toBe(false);
      expect(isTrustedUrl(location, 'javascript:alert(1)')).toBe(false);
      expect(isTrustedUrl(location, 'blob:http://localhost:5173/0d3f')).toBe(false);
      expect(isTrustedUrl(location, 'about:blank')).toBe(false);
      expect(isTrustedUrl(location, '')).toBe(false);
      expect(isTrustedUrl(location, 'not a url')).toBe(false);
    }
  });

  it('ignores case on Windows only', () => {
    const windows: RendererLocation = {
      kind: 'file',
      indexPath: 'C:\\Program Files\\Hangar\\resources\\app.asar\\out\\renderer\\index.html',
      url: 'file:///C:/Program%20Files/Hangar/resources/app.asar/out/renderer/index.html',
      ignoreCase: true,
    };
    expect(isTrustedUrl(windows, 'file:///c:/program%20files/Hangar/resources/app.asar/out/renderer/index.html')).toBe(true);
    expect(isTrustedUrl(windows, 'file:///D:/Program%20Files/Hangar/resources/app.asar/out/renderer/index.html')).toBe(false);
    expect(isTrustedUrl(prod, 'file:///OPT/Hangar/resources/app.asar/out/renderer/index.html')).toBe(false);
  });
});
