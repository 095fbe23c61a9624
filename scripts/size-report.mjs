// Prints raw, gzip and brotli bytes of the .wasm and the JS glue of each build, the total a page downloads,
// `twiggy top` of a names-kept build of the same code (so every change shows where the bytes went), and
// enforces the size budget (issue 13).
// Prints the Subresource Integrity values (sha384) of the script-tag build's two files and writes them to
// pkg/script/sri.json: `<script src=… integrity=… crossorigin>` for the glue, `fetch(url, { integrity })`
// for the .wasm (README "Subresource Integrity").
import { createHash } from 'node:crypto';
import { readFileSync, existsSync, writeFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';

// Budget: what a page loads for the script-tag and the web (ES module) builds, wasm + JS glue, gzip -9.
// Issue 13's gate: the build fails above 60 KB (the goal is 45 KB, stretch 25 KB). The build is at 59 037 bytes
// (~57.7 KB; the script tag 59 154) on 2026-11-30, down from ~140 KB; a clean clone builds the same bytes. Never raise it.
const GZIP_BUDGET = 60 * 1024;
const GOAL = 45 * 1024;
// The card-only build (`gateway-checkout/card`, 44 904 bytes (~43.9 KB) on 2026-11-30): under issue 13's 45 KB
// goal, and held there. Never raise it.
const CARD_GZIP_BUDGET = 45 * 1024;

const builds = [
  ['bundler', 'pkg/gateway_checkout_bg.wasm', ['pkg/gateway_checkout.js', 'pkg/gateway_checkout_bg.js']],
  ['web', 'pkg/web/gateway_checkout_bg.wasm', ['pkg/web/gateway_checkout.js']],
  ['script', 'pkg/script/gateway_checkout_bg.wasm', ['pkg/script/gateway_checkout.js']],
  ['card', 'pkg/card/gateway_checkout_card_bg.wasm', ['pkg/card/gateway_checkout_card.js']],
  // The seToken module (scripts/build-setoken.sh), ES module: no budget, shown for what a seToken page loads.
  ['setoken', 'pkg/setoken/setoken_bg.wasm', ['pkg/setoken/setoken.js']],
];
const BUDGETS = { web: GZIP_BUDGET, script: GZIP_BUDGET, card: CARD_GZIP_BUDGET };

const sizes = (path) => {
  const b = readFileSync(path);
  return {
    raw: b.length,
    gzip: gzipSync(b, { level: 9 }).length,
    brotli: brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length,
  };
};
const add = (a, b) => ({ raw: a.raw + b.raw, gzip: a.gzip + b.gzip, brotli: a.brotli + b.brotli });
const pad = (s, n) => String(s).padStart(n);
const row = (label, s) => console.log(`${label.padEnd(22)}${pad(s.raw, 9)}${pad(s.gzip, 9)}${pad(s.brotli, 9)}`);

console.log('size report (bytes)          raw     gzip   brotli');
const over = [];
for (const [name, wasm, glue] of builds) {
  if (!existsSync(wasm)) continue;
  const w = sizes(wasm);
  row(`${name} wasm`, w);
  let total = w;
  for (const g of glue.filter(existsSync)) {
    const s = sizes(g);
    row(`${name} js glue`, s);
    total = add(total, s);
  }
  row(`${name} total`, total);
  if (BUDGETS[name] && total.gzip > BUDGETS[name]) over.push(`${name} ${total.gzip} > ${BUDGETS[name]}`);
}

// Where the bytes go: the same wasm with its function names (scripts/build.sh writes it; never shipped).
const named = process.env.SIZE_NAMED_WASM || `${process.env.CARGO_TARGET_DIR || 'target'}/size-named/named.wasm`;
if (existsSync(named)) {
  try {
    console.log(`\ntwiggy top -n 20 (names-kept build of the same code, ${named}):`);
    console.log(execFileSync('twiggy', ['top', '-n', '20', named], { encoding: 'utf8' }).trimEnd());
  } catch (e) {
    console.log(`(twiggy unavailable: ${e.message.split('\n')[0]}; scripts/tools.sh installs it)`);
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

const limit = `${GZIP_BUDGET} bytes gzip for the web and script builds, ${CARD_GZIP_BUDGET} for the card-only build (wasm + glue; goal ${GOAL})`;
if (over.length) {
  console.error(`size budget exceeded: ${over.join(', ')} (budget: ${limit})`);
  process.exit(1);
}
console.log(`size budget ok: <= ${limit}`);
