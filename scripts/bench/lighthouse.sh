#!/usr/bin/env bash
# Lighthouse 12.2.3 (desktop preset) over every page of the release build, signed in
# (the sign-in page signed out), in Debian's Chromium: prints performance,
# accessibility and best-practices scores, LCP, TTI and bytes per page (docs/benchmarks.md, "Lighthouse"). Reports land in
# target/lighthouse/.
# Needs the release build (scripts/build.sh; scripts/run.sh builds so).
# Usage: scripts/bench/lighthouse.sh [PORT]
set -euo pipefail
cd "$(dirname "$0")/../.."
port="${1:-3998}"
bin=./target/release/server
[ -x "$bin" ] && [ -f target/site/hash.txt ] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }
(cd scripts/bench/lighthouse && { [ -d node_modules ] && npm ls >/dev/null 2>&1 || npm ci --no-audit --no-fund; })

work=$(mktemp -d)
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$work"' EXIT
FC_DATA_DIR="$work" RUST_LOG=warn "$bin" serve --listen "127.0.0.1:$port" --site-root target/site \
  --integrity-scan-secs 0 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 1; done

node scripts/bench/lighthouse/run.mjs "http://127.0.0.1:$port" admin@example.com demo-password target/lighthouse \
  signedout-login=/login search=/ "results=/?q=sara" customer=/customers/42 activity=/activity \
  integrity=/integrity wizard=/extensions/new dashboard=/dashboard approvals=/approvals \
  renewals=/extensions admin=/admin account=/account
