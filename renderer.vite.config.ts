import react from '@vitejs/plugin-react';
import { resolve } from 'node:path';
import type { Plugin, UserConfig } from 'vite';

const root = resolve(import.meta.dirname, 'src/renderer');

/**
 * The page's Content-Security-Policy, written into index.html at build time. Strict in builds (no inline
 * script or style, no eval, no remote anything); 'self' also covers the same-origin ws:// of the loopback
 * bridge in the web harness. Vite's dev server injects inline scripts and styles, so dev relaxes exactly those.
 */
export function cspPlugin(): Plugin {
  let dev = false;
  return {
    name: 'hangar-csp',
    configResolved(config) {
      dev = config.command === 'serve';
    },
    transformIndexHtml(html) {
      const inline = dev ? " 'unsafe-inline'" : '';
      const policy = [
        "default-src 'none'",
        `script-src 'self'${inline}`,
        `style-src 'self'${inline}`,
        "img-src 'self' data:",
        "font-src 'self'",
        `connect-src 'self'${dev ? ' ws: http://127.0.0.1:*' : ''}`,
        "base-uri 'none'",
        "form-action 'none'",
        "object-src 'none'",
      ].join('; ');
      return html.replace('%HANGAR_CSP%', policy);
    },
  };
}

/** One renderer config for electron-vite (desktop) and for the web harness / tests. */
export const rendererConfig: UserConfig = {
  root,
  base: './',
  plugins: [react(), cspPlugin()],
  build: {
    outDir: resolve(import.meta.dirname, 'out/renderer'),
    emptyOutDir: true,
    target: 'chrome130',
    rollupOptions: { input: resolve(root, 'index.html') },
  },
};
export default rendererConfig;
