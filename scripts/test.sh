#!/usr/bin/env bash
# Every test: formatting and lints, native tests of the core and the sandbox, the module's build and size
# budget, wasm-bindgen tests in headless Chromium, Firefox ESR, WebKitGTK and Node, and end-to-end tests in Chromium via Playwright.
# Installs what is missing first. Fails on the first failing step.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
source scripts/tools.sh
source scripts/sandbox.sh
ensure_tools
ensure_firefox
ensure_webkit
STARTED=$SECONDS
step() { printf '\n==> [%ss] %s\n' "$((SECONDS - STARTED))" "$*"; }

step "cargo fmt --check"
cargo fmt --all -- --check

step "cargo clippy (native: core, sandbox, module)"
cargo clippy --workspace --all-targets -- -D warnings
step "cargo clippy (wasm32: module)"
cargo clippy -p gateway-checkout --target wasm32-unknown-unknown --all-targets -- -D warnings

step "cargo test (core, sandbox, setoken)"
# The core with its `wallets` feature (as the full module builds it): the wallet flow's tests too.
cargo test -p gateway-checkout-core -p gateway-sandbox -p gateway-checkout-setoken --features gateway-checkout-core/wallets

step "build the module (pkg/) and check the size budget"
scripts/build.sh

mkdir -p target test-artifacts
start_sandbox target/sandbox-test.log --token "${SANDBOX_TOKEN:-sandbox-test-token}"
trap 'kill $SANDBOX_PID 2>/dev/null || true' EXIT
export SANDBOX_TOKEN="${SANDBOX_TOKEN:-sandbox-test-token}"
echo "sandbox for wasm tests: $SANDBOX_URL"

# Chromium gets wasm-bindgen's test page as it is, cross-origin isolated (COOP + COEP): the module's frames are
# credentialless there. Firefox (no credentialless frames) gets a page without isolation, like most merchants'.
step "wasm-pack test --headless --chrome (browser tests in Chromium)"
CHROMEDRIVER=/usr/bin/chromedriver WASM_BINDGEN_TEST_TIMEOUT=120 \
  wasm-pack test --headless --chrome -- --test browser

step "wasm-pack test --headless --firefox (the same browser tests in Firefox ESR)"
GECKODRIVER="$(command -v geckodriver)" WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1 WASM_BINDGEN_TEST_TIMEOUT=120 \
  wasm-pack test --headless --firefox -- --test browser

# WebKitGTK, the engine of Safari: wasm-bindgen's test runner drives it through its Safari slot (SAFARIDRIVER, a W3C
# WebDriver that takes --port=N), on a virtual display (xvfb-run); wasm-pack itself only knows a Mac's safaridriver.
step "browser tests in WebKitGTK (Safari's engine: WebKitWebDriver + MiniBrowser on Xvfb)"
SAFARIDRIVER="$(command -v WebKitWebDriver)" WASM_BINDGEN_TEST_NO_ORIGIN_ISOLATION=1 WASM_BINDGEN_TEST_TIMEOUT=120 \
  WASM_BINDGEN_TEST_ONLY_WEB=1 CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUNNER=wasm-bindgen-test-runner \
  xvfb-run -a cargo test --target wasm32-unknown-unknown --test browser

step "wasm-pack test --node (DOM-free layer)"
wasm-pack test --node -- --test node

kill "$SANDBOX_PID" 2>/dev/null || true

step "end-to-end tests (Playwright + /usr/bin/chromium, puppeteer-core + /usr/bin/firefox-esr, WebKitWebDriver on Xvfb; they start their own sandbox)"
node --test --test-concurrency=1 --test-reporter=spec tests/e2e/

step "the npm package in webpack, Rspack, Vite, Rollup, esbuild, Bun, Parcel, Next.js (and the Vite and Next.js dev servers), Node, Bun, Deno, Jest, Vitest and workerd (scripts/test-bundlers.sh)"
NO_BUILD=1 scripts/test-bundlers.sh

step "all tests passed in $((SECONDS - STARTED))s"
