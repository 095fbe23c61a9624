// Minifies wasm-bindgen's JS glue in place (issue 13: the glue is a fifth of what a page downloads). Names
// the glue exports or defines at the top level stay as they are: the script-tag build's `GatewayCheckout`
// global, the ES and CommonJS exports, the wasm's import names. The wasm's URL stays a plain string literal
// in `new URL('…', import.meta.url)`, the form bundlers recognise to emit the .wasm as an asset.
//   node scripts/minify-glue.mjs FILE...
import { readFileSync, writeFileSync } from 'node:fs';
import { minify } from 'rolldown/utils';

for (const file of process.argv.slice(2)) {
  const src = readFileSync(file, 'utf8');
  const { code, errors } = await minify(file, src, { compress: true, mangle: { toplevel: false } });
  if (errors?.length) {
    console.error(`minify ${file}:`, errors);
    process.exit(1);
  }
  // wasm-bindgen's `/* @ts-self-types="…" */` header (how Deno finds the .d.ts) is kept.
  const header = src.match(/^\/\* @ts-self-types="[^"]*" \*\/\n/)?.[0] ?? '';
  writeFileSync(file, header + code.replace(/new URL\(`([^`$\\]*)`,/g, 'new URL("$1",'));
}
