#!/usr/bin/env bash
# Builds the seToken module (setoken/: createSeToken, RSA in wasm) apart from the card module, so the card-only
# bytes never carry RSA:
#   pkg/setoken/        ES module with an explicit init (a <script type=module>, Vite): `import init, {createSeToken} from …`
#   pkg/setoken-node/   CommonJS for Node (tests, DOM-free hosts with globalThis.crypto and fetch)
# each shrunk with wasm-opt as scripts/build.sh does, then prints their raw/gzip/brotli bytes.
# Run after scripts/build.sh, which empties pkg/.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/tools.sh
# What a build needs (no browser): the wasm32 target and rust-src, wasm-bindgen-cli at the pin, wasm-opt from npm.
ensure_rust
ensure_cargo_tool wasm-bindgen wasm-bindgen-cli "$WASM_BINDGEN_VERSION"
ensure_node_modules

# std rebuilt for size like the card module's core (ship_cargo_build in scripts/tools.sh): −10 KB gzip here.
say "cargo build --release (wasm32, std rebuilt for size, gateway-checkout-setoken)"
SHIP_TARGET="${CARGO_TARGET_DIR:-target}/shipped-setoken"
ship_cargo_build "$SHIP_TARGET" std,panic_abort -p gateway-checkout-setoken
WASM="$SHIP_TARGET/wasm32-unknown-unknown/release/gateway_checkout_setoken.wasm"

rm -rf pkg/setoken pkg/setoken-node
wasm-bindgen "$WASM" --out-dir pkg/setoken --out-name setoken --target web
wasm-bindgen "$WASM" --out-dir pkg/setoken-node --out-name setoken --target nodejs
# pkg/package.json says "type": "module"; the nodejs target is CommonJS.
echo '{ "type": "commonjs" }' > pkg/setoken-node/package.json

say "wasm-opt -O2 -Oz"
for f in pkg/setoken/setoken_bg.wasm pkg/setoken-node/setoken_bg.wasm; do
  wasm-opt -O2 -Oz --strip-debug --strip-producers --strip-target-features --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
    --enable-mutable-globals --enable-reference-types --enable-multivalue "$f" -o "$f.opt"
  mv "$f.opt" "$f"
done

# Short names for the hashed imports and closure exports, in the wasm, its glue and type files (as scripts/build.sh
# does; scripts/build.sh also minifies pkg/setoken/setoken.js after stamping the package).
node scripts/shorten-imports.mjs pkg/setoken/setoken_bg.wasm pkg/setoken/setoken.js \
  --types pkg/setoken/setoken_bg.wasm.d.ts pkg/setoken/setoken.d.ts
node scripts/shorten-imports.mjs pkg/setoken-node/setoken_bg.wasm pkg/setoken-node/setoken.js \
  --types pkg/setoken-node/setoken_bg.wasm.d.ts

node --input-type=module - <<'JS'
import { readFileSync } from 'node:fs';
import { gzipSync, brotliCompressSync, constants } from 'node:zlib';
const sizes = (path) => {
  const b = readFileSync(path);
  return [b.length, gzipSync(b, { level: 9 }).length,
    brotliCompressSync(b, { params: { [constants.BROTLI_PARAM_QUALITY]: 11 } }).length];
};
console.log('seToken size (bytes)         raw     gzip   brotli');
const total = [0, 0, 0];
for (const [name, path] of [['setoken wasm', 'pkg/setoken/setoken_bg.wasm'], ['setoken js glue', 'pkg/setoken/setoken.js']]) {
  const s = sizes(path);
  s.forEach((v, i) => { total[i] += v; });
  console.log(name.padEnd(22) + s.map((v) => String(v).padStart(9)).join(''));
}
console.log('setoken total'.padEnd(22) + total.map((v) => String(v).padStart(9)).join(''));
JS
