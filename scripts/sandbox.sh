#!/usr/bin/env bash
# start_sandbox LOGFILE [extra flags...]: builds and starts the gateway sandbox on a free loopback port,
# sets SANDBOX_URL and SANDBOX_PID. Sourced by demo.sh and test.sh.
start_sandbox() {
  local log=$1; shift
  cargo build -q -p gateway-sandbox
  "$ROOT/target/debug/gateway-sandbox" --addr "${SANDBOX_ADDR:-127.0.0.1:0}" --www "$ROOT/www" --pkg "$ROOT/pkg" "$@" >"$log" 2>&1 &
  SANDBOX_PID=$!
  for _ in $(seq 1 100); do
    SANDBOX_URL=$(sed -n 's/^sandbox listening on \(http[^ ]*\).*/\1/p' "$log" | head -n1)
    [ -n "$SANDBOX_URL" ] && { export SANDBOX_URL SANDBOX_PID; return 0; }
    kill -0 "$SANDBOX_PID" 2>/dev/null || break
    sleep 0.1
  done
  echo "the sandbox did not start:" >&2; cat "$log" >&2; return 1
}
