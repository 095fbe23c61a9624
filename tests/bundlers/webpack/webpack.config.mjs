// Nothing for gateway-checkout: webpack 5 emits its .wasm from `new URL(…, import.meta.url)` and supports the
// entry's top-level await by default.
import { fileURLToPath } from 'node:url';

export default {
  entry: { main: './src/main.js', web: './src/web.js', card: './src/card.js', setoken: './src/setoken.js' },
  output: { path: fileURLToPath(new URL('dist', import.meta.url)), filename: '[name].js', clean: true },
  performance: { hints: false },
};
