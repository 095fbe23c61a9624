// Loads the module's script-tag build (pkg/script, no bundler): the page's
// <script src="/pkg/script/gateway_checkout.js"> defined the global `GatewayCheckout`; this fetches and
// instantiates the .wasm, once, and resolves to the global (Checkout, version() and the primitives).
//
// Subresource Integrity: a page served with `?csp=strict` gets, from the sandbox, `integrity="sha384-…"
// crossorigin="anonymous"` on that <script> and the .wasm's value as `data-wasm-integrity` (both from
// pkg/script/sri.json, which scripts/size-report.mjs writes at build time). The .wasm is then fetched with
// `fetch(url, { integrity })`: the browser refuses either file if a single byte differs, and the module never
// starts. A merchant writes the two values into its own HTML and script instead (README "Subresource
// Integrity").

export const GLUE = '/pkg/script/gateway_checkout.js';
export const WASM = '/pkg/script/gateway_checkout_bg.wasm';

let ready = null;

export function loadScriptBuild() {
  ready ??= (async () => {
    // Undefined when the <script> was refused (integrity mismatch) or failed to load.
    if (typeof GatewayCheckout !== 'function') throw new Error(`${GLUE} did not load.`);
    const tag = document.querySelector(`script[src="${GLUE}"]`);
    const integrity = tag ? tag.dataset.wasmIntegrity : undefined;
    await GatewayCheckout({ module_or_path: integrity ? fetch(WASM, { integrity }) : WASM });
    return GatewayCheckout;
  })();
  return ready;
}
