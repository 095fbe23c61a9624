// ES module output (the entry uses top-level await), minified; the .wasm files are copied by the build script.
import { nodeResolve } from '@rollup/plugin-node-resolve';
import terser from '@rollup/plugin-terser';

export default {
  input: { main: 'src/main.js', web: 'src/web.js', card: 'src/card.js', setoken: 'src/setoken.js' },
  output: { dir: 'dist', format: 'es', plugins: [terser()] },
  plugins: [nodeResolve({ browser: true })],
};
