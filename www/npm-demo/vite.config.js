// The npm-import checkout, bundled by Vite. `gateway-checkout/web` is the package's ES-module build; here
// it resolves to this repository's pkg/ (a merchant would `npm install gateway-checkout` instead).
// Build: npx vite build --config www/npm-demo/vite.config.js   → www/npm-demo/dist/, served at /npm-demo/dist/
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const here = (p) => fileURLToPath(new URL(p, import.meta.url));

export default defineConfig({
  root: here('./'),
  base: '/npm-demo/dist/',
  publicDir: false,
  logLevel: 'warn',
  resolve: {
    alias: [
      { find: /^gateway-checkout\/web$/, replacement: here('../../pkg/web/gateway_checkout.js') },
    ],
  },
  build: {
    outDir: here('./dist'),
    emptyOutDir: true,
    target: 'es2020',
    assetsInlineLimit: 0, // keep the .wasm a separate file
    rollupOptions: {
      input: { index: here('./index.html'), return: here('./return.html') },
    },
  },
  server: { fs: { allow: [here('../..')] } },
});
