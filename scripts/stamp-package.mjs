// Stamps pkg.json (the npm manifest's source) onto pkg/package.json, with the crate's version, and writes the
// package's entry points around wasm-bindgen's outputs (every name the glue exports, plus CheckoutError and
// isCheckoutError):
//   index.js        browsers and bundlers (`import … from 'gateway-checkout'`): the web build, initialised by a
//                   top-level await; its .wasm is found with `new URL(…, import.meta.url)`, which webpack, Vite,
//                   Next.js and Parcel turn into an emitted asset with no configuration
//   workerd.js      Cloudflare Workers: the .wasm imported as a module (workerd refuses to compile wasm bytes)
//   node.js         Node's `import` and server bundles (Next.js): the web build, its .wasm inlined (node-wasm.js)
//   node/index.js   Node's `require()`: wasm-bindgen's CommonJS build
//   web/index.js    `gateway-checkout/web`: the web build with its explicit `init()`
// Each has its .d.ts; pkg/gateway_checkout.d.ts is the API's types (wasm-bindgen's, from the Rust sources).
import { readFileSync, writeFileSync } from 'node:fs';

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

// The API's names: what the web glue exports (minus its init functions); the node glue must have the same.
const webGlue = read('web/gateway_checkout.js');
const names = [...webGlue.matchAll(/^export (?:class|function\*?|async function|const|let) (\w+)/gm)].map((m) => m[1]).sort();
if (!names.includes('Checkout') || !names.includes('version')) throw new Error(`web glue exports: ${names}`);
if (!/^export \{ initSync, __wbg_init as default \};?$/m.test(webGlue)) throw new Error('web glue: no init export');
const nodeGlue = read('node/gateway_checkout.js');
for (const n of names) if (!new RegExp(`^exports\\.${n} = `, 'm').test(nodeGlue)) throw new Error(`node glue lacks ${n}`);
const list = names.join(', ');

const HEADER = '// Written by scripts/stamp-package.mjs around the wasm-bindgen output.\n';

// What every rejection of the module is: an Error named CheckoutError with a string code (README "Errors").
// The Rust side throws plain Errors, so `instanceof CheckoutError` is answered by Symbol.hasInstance; this also
// holds across two copies of the package and across frames.
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
export { ${list} } from './web/gateway_checkout.js';
export { CheckoutError, isCheckoutError } from './checkout-error.js';
await init();
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
// `new URL(…, import.meta.url)` finds the .wasm there; a string module survives any bundler.
write('node-wasm.js', `${HEADER}// The bytes of web/gateway_checkout_bg.wasm, base64, for node.js.
export default '${readFileSync(pkg('web/gateway_checkout_bg.wasm')).toString('base64')}';
`);
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

console.log(`pkg/package.json: ${manifest.name}@${version}; entries: index.js workerd.js node.js node/index.js web/index.js (${names.length} names)`);
