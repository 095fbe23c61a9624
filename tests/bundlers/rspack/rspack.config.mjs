// Nothing for gateway-checkout: Rspack, like webpack 5, emits the .wasm from `new URL(…, import.meta.url)` and
// supports the entry's top-level await.
import { fileURLToPath } from 'node:url';

export default {
  entry: { main: './src/main.js', web: './src/web.js', card: './src/card.js', setoken: './src/setoken.js' },
  output: { path: fileURLToPath(new URL('dist', import.meta.url)), filename: '[name].js', clean: true },
  performance: { hints: false },
};
