// Bundles src/worker.js as wrangler does: esbuild with the conditions workerd, worker, browser, and every .wasm
// import left as a module of its own (wrangler's default CompiledWasm rule), copied next to the bundle.
import { copyFileSync, mkdirSync, rmSync } from 'node:fs';
import { basename } from 'node:path';
import { build } from 'esbuild';

rmSync('dist', { recursive: true, force: true });
mkdirSync('dist');
await build({
  entryPoints: ['src/worker.js'],
  outfile: 'dist/worker.js',
  bundle: true,
  format: 'esm',
  platform: 'neutral',
  target: 'es2022',
  conditions: ['workerd', 'worker', 'browser'],
  mainFields: ['module', 'main'],
  minify: true,
  plugins: [{
    name: 'wasm-modules',
    setup(b) {
      b.onResolve({ filter: /\.wasm$/ }, async (args) => {
        if (args.pluginData === 'resolved') return undefined; // the b.resolve() below
        const { path } = await b.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, importer: args.importer, pluginData: 'resolved' });
        copyFileSync(path, `dist/${basename(path)}`);
        return { path: `./${basename(path)}`, external: true };
      });
    },
  }],
});
