// Stamps pkg.json (the npm manifest's source) onto pkg/package.json, with the crate's version, and writes the
// package's entry points around wasm-bindgen's outputs, one per runtime, each with its .d.ts.
//
// The card module (`gateway-checkout`; every name its glue exports, plus CheckoutError and isCheckoutError):
//   index.js        browsers and bundlers: the web build, initialised by a top-level await; its .wasm is found
//                   with `new URL(…, import.meta.url)`, which webpack, Vite, Next.js and Parcel turn into an
//                   emitted asset with no configuration
//   workerd.js      Cloudflare Workers: the .wasm imported as a module (workerd refuses to compile wasm bytes)
//   node.js         Node's `import` and server bundles (Next.js): the web build, its .wasm inlined (node-wasm.js),
//                   since a server bundle moves the files that __dirname or import.meta.url would find
//   node/index.js   Node's `require()`: wasm-bindgen's CommonJS build, its .wasm inlined (node/wasm.js) and its
//                   snippets required plainly, so that a server bundle carries both
//   web/index.js    `gateway-checkout/web`: the web build with its explicit `init()`
//   card/index.js   `gateway-checkout/card`: the card-only build (Checkout with payCard, payBinding, resume; no
//                   wallets, no primitives), an ES module ready when the import resolves, like index.js;
//                   card/workerd.js the same build for workerd; card/node.js and card/node/index.js the card names
//                   of node.js and node/index.js (in Node bytes cost nothing); card/web/index.js
//                   (`gateway-checkout/card/web`) the card build with its explicit `init()`, as web/ for the full one
// pkg/gateway_checkout.d.ts is the API's types (wasm-bindgen's, from the Rust sources).
//
// The seToken module (`gateway-checkout/setoken`, built by scripts/build-setoken.sh; its `init()` is the caller's
// in browsers, setoken/setoken.js): setoken/workerd.js and setoken/node.js are initialised when loaded, as above,
// and still export `init` (then a no-op) so that the README's `await init()` runs anywhere; `require()` gets
// setoken-node/setoken.js.
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { webGlueExports } from './glue-exports.mjs';

const pkg = (p) => new URL(`../pkg/${p}`, import.meta.url);
const read = (p) => readFileSync(pkg(p), 'utf8');
const write = (p, text) => writeFileSync(pkg(p), text);

const cargo = readFileSync(new URL('../Cargo.toml', import.meta.url), 'utf8');
const version = /\[workspace\.package\][^[]*?version\s*=\s*"([^"]+)"/s.exec(cargo)?.[1];
if (!version) throw new Error('no [workspace.package] version in Cargo.toml');

const manifest = JSON.parse(readFileSync(new URL('../pkg.json', import.meta.url), 'utf8'));
manifest.version = version;
write('package.json', JSON.stringify(manifest, null, 2) + '\n');
// The node build is CommonJS inside an ESM package.
write('node/package.json', '{ "type": "commonjs" }\n');

const HEADER = '// Written by scripts/stamp-package.mjs around the wasm-bindgen output.\n';

/** The names a web glue exports (minus its init functions), checked against its CommonJS twin if it has one. */
function apiNames(webGlue, cjsGlue, must) {
  const web = read(webGlue);
  const names = webGlueExports(web, webGlue);
  for (const n of must) if (!names.includes(n)) throw new Error(`${webGlue} exports ${names}, not ${n}`);
  if (!cjsGlue) return names;
  const cjs = read(cjsGlue);
  for (const n of names) if (!new RegExp(`^exports\\.${n} = `, 'm').test(cjs)) throw new Error(`${cjsGlue} lacks ${n}`);
  return names;
}

/** `<dir>/node-wasm.js`: the bytes of `<dir>/<wasm>`, base64; a string module survives any server bundler. */
function inlineWasm(dir, wasm) {
  write(`${dir}/node-wasm.js`, `${HEADER}// The bytes of ${dir}/${wasm}, base64, for the Node entry next to it.
export default '${readFileSync(pkg(`${dir}/${wasm}`)).toString('base64')}';
`);
}

/** wasm-bindgen's CommonJS glue reads the global TextDecoder and TextEncoder, which some Node hosts lack (Jest's jsdom
 *  environment): the glue gets its own, Node's (the same classes where the globals exist). No global is touched. */
function ownTextCodecs(glue) {
  const line = "const { TextDecoder, TextEncoder } = require('node:util');";
  const src = read(glue);
  if (src.includes(line)) return;
  const at = src.startsWith('/*') ? src.indexOf('\n') + 1 : 0;
  write(glue, `${src.slice(0, at)}${line}\n${src.slice(at)}`);
}

/** wasm-bindgen's CommonJS glue reads its .wasm from `${__dirname}` and requires its snippets through String.raw:
 *  a server bundled for Node in CommonJS (esbuild --platform=node, as AWS Lambda builds do; webpack's node target)
 *  carries neither, and fails when loaded. The glue gets its .wasm from `<dir>/wasm.js` (base64, a string module any
 *  bundler inlines) and plain `require('…')` calls; the .wasm file then leaves the package. Idempotent. */
function selfContainedCjs(dir, glue, wasm) {
  let src = read(`${dir}/${glue}`);
  src = src.replace(/require\(String\.raw`([^`]+)`\)/g, (_, path) => `require(${JSON.stringify(path)})`);
  const load = `const wasmPath = \`\${__dirname}/${wasm}\`;\nconst wasmBytes = require('fs').readFileSync(wasmPath);\n`;
  const inline = "const wasmBytes = require('node:buffer').Buffer.from(require('./wasm.js'), 'base64');\n";
  if (src.includes(load)) src = src.replace(load, inline);
  if (!src.includes(inline) || /String\.raw|__dirname/.test(src)) throw new Error(`${dir}/${glue}: wasm-bindgen's CommonJS glue changed its loading`);
  write(`${dir}/${glue}`, src);
  if (existsSync(pkg(`${dir}/${wasm}`))) {
    write(`${dir}/wasm.js`, `${HEADER}// The bytes of ${wasm}, base64, for the CommonJS glue next to it.
module.exports = '${readFileSync(pkg(`${dir}/${wasm}`)).toString('base64')}';
`);
    rmSync(pkg(`${dir}/${wasm}`));
  }
}

// ---- The card module.
ownTextCodecs('node/gateway_checkout.js');
selfContainedCjs('node', 'gateway_checkout.js', 'gateway_checkout_bg.wasm');
const names = apiNames('web/gateway_checkout.js', 'node/gateway_checkout.js', ['Checkout', 'version']);
const list = names.join(', ');

// What every rejection of the module is: an Error named CheckoutError with a string code (README "Errors").
// The Rust side throws plain Errors, so `instanceof CheckoutError` is answered by Symbol.hasInstance; this also
// holds across two copies of the package, across frames, and for the seToken module's errors.
const errorsBody = `function isCheckoutError(value) {
  return typeof value === 'object' && value !== null && value.name === 'CheckoutError'
    && typeof value.code === 'string' && typeof value.retryable === 'boolean';
}
class CheckoutError extends Error {
  constructor() {
    super();
    throw new TypeError('CheckoutError is thrown by gateway-checkout, not constructed; use instanceof or isCheckoutError()');
  }
  static [Symbol.hasInstance](value) { return isCheckoutError(value); }
}
`;
write('checkout-error.js', `${HEADER}${errorsBody}export { CheckoutError, isCheckoutError };\n`);

// The browser entries that are ready when their import resolves (index.js, card/index.js) load their .wasm in a
// top-level await, whose failure fails every module that imports them, and for good: a browser never evaluates a
// failed module again, so the merchant's page stays broken until reloaded. A phone's network fails a fetch now and
// then, so a failed load is tried again (after 0.5 s, then 2 s) before the import fails. Code the browser refused
// to compile (a CSP without 'wasm-unsafe-eval') is not: that answer does not change.
write('load.js', `${HEADER}export async function load(init) {
  for (const ms of [500, 2000, 0]) {
    try {
      return await init();
    } catch (e) {
      if (!ms || e instanceof WebAssembly.CompileError || e instanceof WebAssembly.LinkError) throw e;
      await new Promise((r) => setTimeout(r, ms));
    }
  }
}
`);

const errorTypes = (from) => `import type { CheckoutError as CheckoutErrorShape } from '${from}';
/** What every rejected promise and thrown error of the module is (see CheckoutErrorCode). */
export interface CheckoutError extends CheckoutErrorShape {}
/** For \`e instanceof CheckoutError\`; it is thrown by the module, never constructed. */
export declare const CheckoutError: {
  readonly prototype: CheckoutError;
  [Symbol.hasInstance](value: unknown): value is CheckoutError;
};
/** Whether \`value\` is an error of this module (name "CheckoutError", a string code, a boolean retryable). */
export declare function isCheckoutError(value: unknown): value is CheckoutError;
`;

// The API names two DOM types (a container element, an AbortSignal): in a program without the DOM lib (Node)
// they are empty interfaces instead of compile errors; with it (or @types/node) these merge into the real ones.
const domShim = `declare global {
  interface HTMLElement {}
  interface AbortSignal {}
}
`;

// Browsers and bundlers.
write('index.js', `${HEADER}// \`import … from 'gateway-checkout'\` in a browser: the web build, ready when the import resolves.
import init from './web/gateway_checkout.js';
import { load } from './load.js';
export { ${list} } from './web/gateway_checkout.js';
export { CheckoutError, isCheckoutError } from './checkout-error.js';
await load(init);
`);
write('index.d.ts', `${HEADER}export * from './gateway_checkout.js';
${errorTypes('./gateway_checkout.js')}${domShim}`);

// Cloudflare Workers (workerd): the .wasm as a compiled module import, instantiated synchronously.
write('workerd.js', `${HEADER}// \`import … from 'gateway-checkout'\` in workerd: the .wasm is imported as a WebAssembly.Module
// (wrangler's default rule for .wasm), since workerd does not compile wasm from bytes.
import module from './web/gateway_checkout_bg.wasm';
import { initSync } from './web/gateway_checkout.js';
export { ${list} } from './web/gateway_checkout.js';
export { CheckoutError, isCheckoutError } from './checkout-error.js';
initSync({ module });
`);

// `gateway-checkout/web`: init() is the caller's.
write('web/index.js', `${HEADER}// \`import init, { … } from 'gateway-checkout/web'\`; call \`await init()\` (or initSync) once before the rest.
export { default, initSync, ${list} } from './gateway_checkout.js';
export { CheckoutError, isCheckoutError } from '../checkout-error.js';
`);
write('web/index.d.ts', `${HEADER}export * from './gateway_checkout.js';
export { default } from './gateway_checkout.js';
${errorTypes('./gateway_checkout.js')}`);

// Node, import: the web build instantiated synchronously from the .wasm's bytes, carried in a JS module. Server
// bundles (Next.js with Turbopack or webpack) move or rename files, so neither __dirname nor
// `new URL(…, import.meta.url)` finds the .wasm there.
inlineWasm('.', 'web/gateway_checkout_bg.wasm');
write('node.js', `${HEADER}// \`import … from 'gateway-checkout'\` in Node and in server bundles: ready when the import resolves.
import { Buffer } from 'node:buffer';
import { initSync } from './web/gateway_checkout.js';
import wasm from './node-wasm.js';
export { ${list} } from './web/gateway_checkout.js';
export { CheckoutError, isCheckoutError } from './checkout-error.js';
initSync({ module: Buffer.from(wasm, 'base64') });
`);

// Node, require(): wasm-bindgen's CommonJS build.
write('node/index.js', `${HEADER}'use strict';
const glue = require('./gateway_checkout.js');
${errorsBody}${names.map((n) => `exports.${n} = glue.${n};`).join('\n')}
exports.CheckoutError = CheckoutError;
exports.isCheckoutError = isCheckoutError;
`);
write('node/index.d.ts', `${HEADER}export * from './gateway_checkout.js';
${errorTypes('./gateway_checkout.js')}${domShim}`);

// ---- The card-only build (browsers and bundlers): the names its glue exports, Checkout and version among them.
const cardNames = apiNames('card/gateway_checkout_card.js', null, ['Checkout', 'version']);
for (const n of cardNames) if (!names.includes(n)) throw new Error(`card build exports ${n}, which the full build lacks`);
write('card/index.js', `${HEADER}// \`import … from 'gateway-checkout/card'\` in a browser: the card-only build, ready when the import resolves.
import init from './gateway_checkout_card.js';
import { load } from '../load.js';
export { ${cardNames.join(', ')} } from './gateway_checkout_card.js';
export { CheckoutError, isCheckoutError } from '../checkout-error.js';
await load(init);
`);
// Every type of the API (options, outcomes), the values this build has.
write('card/index.d.ts', `${HEADER}export type * from './gateway_checkout_card.js';
export { ${cardNames.join(', ')} } from './gateway_checkout_card.js';
${errorTypes('./gateway_checkout_card.js')}${domShim}`);
// \`gateway-checkout/card/web\`: the card build with the caller's init(), for builds that refuse a top-level await (a
// Zone.js Angular app, an ES2020 target), as web/ is for the full build. A directory with an index.js: Parcel reads
// no \`exports\` unless told to.
mkdirSync(pkg('card/web'), { recursive: true });
write('card/web/index.js', `${HEADER}// \`import init, { … } from 'gateway-checkout/card/web'\`; call \`await init()\` (or initSync) once before the rest.
export { default, initSync, ${cardNames.join(', ')} } from '../gateway_checkout_card.js';
export { CheckoutError, isCheckoutError } from '../../checkout-error.js';
`);
write('card/web/index.d.ts', `${HEADER}export * from '../gateway_checkout_card.js';
export { default } from '../gateway_checkout_card.js';
${errorTypes('../gateway_checkout_card.js')}`);
// Off the browser, bytes cost nothing and a server bundle moves the .wasm that `new URL(…, import.meta.url)` would
// fetch (Next.js renders every client component on the server too): Node gets the card names of the full build's
// Node entries, ready when loaded; workerd imports the card build's own .wasm as a module.
const cardList = `${cardNames.join(', ')}, CheckoutError, isCheckoutError`;
write('card/node.js', `${HEADER}// \`import … from 'gateway-checkout/card'\` in Node and in server bundles: the card names of the full build's
// Node entry (its .wasm inlined), ready when the import resolves.
export { ${cardList} } from '../node.js';
`);
// Its types: the full build's, without the web build's InitInput (DOM names a Node program may lack).
write('card/node.d.ts', `${HEADER}export type * from '../gateway_checkout.js';
export { ${cardList} } from '../index.js';
`);
mkdirSync(pkg('card/node'), { recursive: true });
write('card/node/package.json', '{ "type": "commonjs" }\n');
write('card/node/index.js', `${HEADER}'use strict';
// \`require('gateway-checkout/card')\` in Node: the card names of the full build's CommonJS entry.
const full = require('../../node/index.js');
${cardList.split(', ').map((n) => `exports.${n} = full.${n};`).join('\n')}
`);
write('card/node/index.d.ts', `${HEADER}export type * from '../../node/gateway_checkout.js';
export { ${cardList} } from '../../node/index.js';
`);
write('card/workerd.js', `${HEADER}// \`import … from 'gateway-checkout/card'\` in workerd: the card build's .wasm imported as a WebAssembly.Module.
import module from './gateway_checkout_card_bg.wasm';
import { initSync } from './gateway_checkout_card.js';
export { ${cardNames.join(', ')} } from './gateway_checkout_card.js';
export { CheckoutError, isCheckoutError } from '../checkout-error.js';
initSync({ module });
`);

// ---- The seToken module (absent from a build without it).
let setoken = 0;
if (existsSync(pkg('setoken/setoken.js'))) {
  ownTextCodecs('setoken-node/setoken.js');
  selfContainedCjs('setoken-node', 'setoken.js', 'setoken_bg.wasm');
  const seNames = apiNames('setoken/setoken.js', 'setoken-node/setoken.js', ['createSeToken']);
  setoken = seNames.length;
  const seList = seNames.join(', ');
  write('setoken/workerd.js', `${HEADER}// \`gateway-checkout/setoken\` in workerd: initialised when loaded (the .wasm imported as a module);
// \`init()\` then resolves at once.
import module from './setoken_bg.wasm';
import { initSync } from './setoken.js';
export { default, initSync, ${seList} } from './setoken.js';
initSync({ module });
`);
  inlineWasm('setoken', 'setoken_bg.wasm');
  write('setoken/node.js', `${HEADER}// \`gateway-checkout/setoken\` in Node and in server bundles: initialised when loaded; \`init()\` then
// resolves at once.
import { Buffer } from 'node:buffer';
import { initSync } from './setoken.js';
import wasm from './node-wasm.js';
export { default, initSync, ${seList} } from './setoken.js';
initSync({ module: Buffer.from(wasm, 'base64') });
`);
  // For resolvers that read no \`exports\` (Parcel 2 unless told to, TypeScript's node10 resolution): the directory's
  // index, the browser build, as web/ and card/ have.
  write('setoken/index.js', `${HEADER}// \`gateway-checkout/setoken\` for a resolver that reads no \`exports\`: the browser build.
export { default, initSync, ${seList} } from './setoken.js';
`);
  write('setoken/index.d.ts', `${HEADER}export * from './setoken.js';
export { default } from './setoken.js';
`);
  // Its types without the web build's InitInput (RequestInfo, Response: DOM names a Node program may lack).
  write('setoken/node.d.ts', `${HEADER}export * from '../setoken-node/setoken.js';
/** Already done when the module loaded; kept so that \`await init()\` written for browsers runs here too. */
export default function init(options?: unknown): Promise<unknown>;
/** Already done when the module loaded. */
export declare function initSync(options?: unknown): unknown;
`);
}

console.log(`pkg/package.json: ${manifest.name}@${version}; entries: index.js workerd.js node.js node/index.js web/index.js (${names.length} names) card/index.js card/web/index.js card/workerd.js card/node.js card/node/index.js (${cardNames.length})${setoken ? `; setoken/workerd.js setoken/node.js setoken/index.js (${setoken})` : ''}`);
