import { pathToFileURL } from 'node:url';

/**
 * Where our renderer lives: the built `index.html` on disk, or the electron-vite dev server.
 * Kept free of `electron` so the trust rules are unit-tested in plain Node.
 */
export type RendererLocation =
  | {
      readonly kind: 'file';
      /** Absolute path of out/renderer/index.html, for `loadFile`. */
      readonly indexPath: string;
      /** The same file as a `file:` URL: what Chromium reports as the frame URL. */
      readonly url: string;
      /** Windows file systems are case-insensitive and Chromium may change the drive letter's case. */
      readonly ignoreCase: boolean;
    }
  | {
      readonly kind: 'dev';
      /** ELECTRON_RENDERER_URL, for `loadURL`. */
      readonly url: string;
      readonly origin: string;
    };

/**
 * The dev server is trusted only in an unpackaged run: a packaged app never takes its page from an
 * environment variable, so a stray ELECTRON_RENDERER_URL cannot point it at someone else's site.
 */
export function resolveRendererLocation(options: {
  devUrl: string | undefined;
  isPackaged: boolean;
  indexPath: string;
  platform: NodeJS.Platform;
}): RendererLocation {
  if (options.devUrl && !options.isPackaged) {
    const url = new URL(options.devUrl);
    if (url.protocol !== 'http:' && url.protocol !== 'https:') {
      throw new Error(`ELECTRON_RENDERER_URL must be http(s), got ${url.protocol}`);
    }
    return { kind: 'dev', url: url.href, origin: url.origin };
  }
  return {
    kind: 'file',
    indexPath: options.indexPath,
    url: pathToFileURL(options.indexPath).href,
    ignoreCase: options.platform === 'win32',
  };
}

/** An encoded slash or backslash could make a different path decode to ours. */
const ENCODED_SEPARATOR = /%2f|%5c/i;

function filePath(url: URL): string | undefined {
  if (ENCODED_SEPARATOR.test(url.pathname)) return undefined;
  try {
    return decodeURIComponent(url.pathname);
  } catch {
    return undefined;
  }
}

/**
 * Whether `candidate` (a frame's URL, or a navigation target) is our renderer page. Query and fragment
 * are ignored: they carry in-app routing, not a different document. Everything else — another file,
 * another origin, `data:`, `javascript:`, `about:blank`, `blob:` — is not ours.
 */
export function isTrustedUrl(location: RendererLocation, candidate: string): boolean {
  let url: URL;
  try {
    url = new URL(candidate);
  } catch {
    return false;
  }
  if (location.kind === 'dev') {
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.origin === location.origin;
  }
  if (url.protocol !== 'file:') return false;
  const expected = new URL(location.url);
  if (url.host.toLowerCase() !== expected.host.toLowerCase()) return false;
  const actualPath = filePath(url);
  const expectedPath = filePath(expected);
  if (actualPath === undefined || expectedPath === undefined) return false;
  return location.ignoreCase ? actualPath.toLowerCase() === expectedPath.toLowerCase() : actualPath === expectedPath;
}
