// Prints raw, gzip and brotli bytes of the .wasm and the JS glue of each build, and enforces the size budget.
import { readFileSync, existsSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

// Budget for the compressed (brotli) wasm of the script-tag build; raise it deliberately, not by accident.
const WASM_BROTLI_BUDGET = 160 * 1024;

const builds = [
  ['bundler', 'pkg/gateway_checkout_bg.wasm', 'pkg/gateway_checkout_bg.js'],
  ['web', 'pkg/web/gateway_checkout_bg.wasm', 'pkg/web/gateway_checkout.js'],
  ['script', 'pkg/script/gateway_checkout_bg.wasm', 'pkg/script/gateway_checkout.js'],
  ['node', 'pkg/node/gateway_checkout_bg.wasm', 'pkg/node/gateway_checkout.js'],
];
const sizes = (path) => {
  const b = readFileSync(path);
  return {
    raw: b.length,
    gzip: gzipSync(b, { level: 9 }).length,
    brotli: brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const pad = (s, n) => String(s).padStart(n);
console.log('size report (bytes)          raw     gzip   brotli');
let worst = 0;
for (const [name, wasm, glue] of builds) {
  for (const [kind, path] of [['wasm', wasm], ['js glue', glue]]) {
    if (!existsSync(path)) continue;
    const s = sizes(path);
    if (kind === 'wasm') worst = Math.max(worst, s.brotli);
    console.log(`${(name + ' ' + kind).padEnd(22)}${pad(s.raw, 9)}${pad(s.gzip, 9)}${pad(s.brotli, 9)}`);
  }
}
if (worst > WASM_BROTLI_BUDGET) {
  console.error(`size budget exceeded: wasm brotli ${worst} > ${WASM_BROTLI_BUDGET}`);
  process.exit(1);
}
console.log(`size budget ok: wasm brotli ${worst} <= ${WASM_BROTLI_BUDGET}`);
