// Prints raw, gzip and brotli bytes of the .wasm and the JS glue of each build, and enforces the size budget.
// Prints the Subresource Integrity values (sha384) of the script-tag build's two files and writes them to
// pkg/script/sri.json: `<script src=… integrity=… crossorigin>` for the glue, `fetch(url, { integrity })`
// for the .wasm (README "Subresource Integrity").
import { createHash } from 'node:crypto';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
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

// Subresource Integrity of the script-tag build (written before the budget check: the files exist either way).
const SRI_FILES = ['gateway_checkout.js', 'gateway_checkout_bg.wasm'];
if (SRI_FILES.every((f) => existsSync(`pkg/script/${f}`))) {
  const sri = {};
  console.log('subresource integrity (pkg/script/sri.json)');
  for (const f of SRI_FILES) {
    sri[f] = `sha384-${createHash('sha384').update(readFileSync(`pkg/script/${f}`)).digest('base64')}`;
    console.log(`  ${f.padEnd(26)}${sri[f]}`);
  }
  writeFileSync('pkg/script/sri.json', `${JSON.stringify(sri, null, 2)}\n`);
}

if (worst > WASM_BROTLI_BUDGET) {
  console.error(`size budget exceeded: wasm brotli ${worst} > ${WASM_BROTLI_BUDGET}`);
  process.exit(1);
}
console.log(`size budget ok: wasm brotli ${worst} <= ${WASM_BROTLI_BUDGET}`);
