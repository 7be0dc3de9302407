#!/usr/bin/env bash
# Builds the release console and serves it on http://127.0.0.1:3000 with demo data
# (seeded into data/console.db on first start) and demo staff logins.
#
# `scripts/run.sh --billing` also starts a local Stripe-compatible server (localstripe,
# on 127.0.0.1:8420, state in memory), seeds the small demo afresh into data-billing/,
# links it and serves with `--billing stripe`: every subscription shows its provider
# id, and edits are written through to it.
set -euo pipefail
cd "$(dirname "$0")/.."

billing=false
args=()
for a in "$@"; do
  if [ "$a" = --billing ]; then billing=true; else args+=("$a"); fi
done

bash scripts/build.sh
if ! $billing; then
  exec ./target/release/server serve "${args[@]}"
fi

bash scripts/setup.sh >/dev/null
port="${FC_LOCALSTRIPE_PORT:-8420}"
export FC_DATA_DIR=data-billing   # its own: it is replaced at each start
export FC_BILLING=stripe
export FC_STRIPE_API_BASE="http://127.0.0.1:$port"
export FC_STRIPE_API_KEY="${FC_STRIPE_API_KEY:-sk_test_demo}"

scripts/billing/localstripe --port "$port" --from-scratch >/tmp/localstripe.log 2>&1 &
stripe_pid=$!
trap 'kill $stripe_pid 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do
  curl -fs -H "Authorization: Bearer $FC_STRIPE_API_KEY" "$FC_STRIPE_API_BASE/v1/plans" >/dev/null && break
  sleep 0.2
done

# The provider starts empty each time: so does the database it is linked with.
rm -rf "$FC_DATA_DIR" && mkdir -p "$FC_DATA_DIR"
./target/release/server seed --size small
./target/release/server billing link
./target/release/server serve "${args[@]}"
