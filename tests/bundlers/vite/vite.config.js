// Nothing for gateway-checkout; two pages, and a relative base so that dist/ can be served from any path.
import { defineConfig } from 'vite';

export default defineConfig({
  base: './',
  build: { rollupOptions: { input: { index: 'index.html', web: 'web.html', card: 'card.html', setoken: 'setoken.html' } } },
});
