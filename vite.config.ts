import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { metaContentSecurityPolicy } from './electron/common/csp.ts';

/**
 * The CSP as a <meta> first in the built page's head, besides the header both shells send. Build only:
 * Vite's dev server injects inline scripts (React refresh) that the policy rightly refuses.
 */
const cspMeta: Plugin = {
  name: 'edgewise-csp-meta',
  apply: 'build',
  transformIndexHtml: () => [
    {
      tag: 'meta',
      attrs: { 'http-equiv': 'Content-Security-Policy', content: metaContentSecurityPolicy() },
      injectTo: 'head-prepend',
    },
  ],
};

export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react(), cspMeta],
  build: {
    outDir: '../dist/renderer',
    emptyOutDir: true,
    sourcemap: true,
    // Fonts (KaTeX's) stay files: the CSP's font-src is 'self', which a data: URL is not.
    assetsInlineLimit: (file) => (/\.(woff2?|ttf|otf)$/.test(file) ? false : undefined),
  },
});
