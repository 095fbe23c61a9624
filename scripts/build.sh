#!/usr/bin/env bash
# Builds the module into pkg/: four wasm-bindgen outputs of one release .wasm, each shrunk with wasm-opt,
# the npm manifest stamped from pkg.json, and a size report.
#   pkg/            bundler target (npm import through webpack/Vite-with-wasm-plugin): `import {Checkout} from 'gateway-checkout'`
#   pkg/web/        ES module with an explicit init (Vite, plain <script type=module>)
#   pkg/script/     no-modules build for a plain <script> tag: defines one global, `GatewayCheckout`
#   pkg/node/       CommonJS for Node and other DOM-free hosts
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/tools.sh
# On a fresh clone, what scripts/test.sh installs: the wasm32 target, wasm-bindgen-cli at the Cargo.toml pin, the
# npm dev packages (binaryen's wasm-opt), and Chromium for `node scripts/bench.mjs`, which runs after this script.
# Each is skipped when already there.
ensure_tools

say "cargo build --release (wasm32)"
cargo build --release --target wasm32-unknown-unknown -p gateway-checkout
WASM="${CARGO_TARGET_DIR:-target}/wasm32-unknown-unknown/release/gateway_checkout.wasm"

rm -rf pkg
bindgen() { # out-dir, extra args...
  local out=$1; shift
  wasm-bindgen "$WASM" --out-dir "$out" --out-name gateway_checkout "$@"
}
bindgen pkg --target bundler
bindgen pkg/web --target web
bindgen pkg/script --target no-modules --no-modules-global GatewayCheckout
bindgen pkg/node --target nodejs

say "wasm-opt -Oz"
for f in pkg/gateway_checkout_bg.wasm pkg/web/gateway_checkout_bg.wasm pkg/script/gateway_checkout_bg.wasm pkg/node/gateway_checkout_bg.wasm; do
  wasm-opt -Oz --strip-debug --strip-producers --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue "$f" -o "$f.opt"
  mv "$f.opt" "$f"
done

# The seToken module (setoken/, RSA in its own .wasm): pkg/setoken/ and pkg/setoken-node/.
"$ROOT/scripts/build-setoken.sh"

node scripts/stamp-package.mjs
cp README.md pkg/README.md
node scripts/size-report.mjs
