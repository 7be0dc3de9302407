#!/usr/bin/env bash
# Serves the console connected to a fresh local Stripe-compatible server: starts
# localstripe (state in memory), seeds the small demo afresh into the data directory,
# links it, points localstripe's webhooks at the console and serves with
# `--billing stripe` until stopped (localstripe stops with it).
#
# Usage: serve-linked.sh <server binary> <console port> <localstripe port> <data dir>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
server="$1" port="$2" stripe_port="$3" data="$4"

export FC_DATA_DIR="$data"
export FC_BILLING=stripe
export FC_STRIPE_API_BASE="http://127.0.0.1:$stripe_port"
export FC_STRIPE_API_KEY="${FC_STRIPE_API_KEY:-sk_test_demo}"
export FC_STRIPE_WEBHOOK_SECRET="${FC_STRIPE_WEBHOOK_SECRET:-whsec_demo}"

"$here/localstripe" --port "$stripe_port" --from-scratch >"$data.localstripe.log" 2>&1 &
stripe_pid=$!
trap 'kill $stripe_pid 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 150); do
  curl -fs -H "Authorization: Bearer $FC_STRIPE_API_KEY" "$FC_STRIPE_API_BASE/v1/plans" >/dev/null && break
  sleep 0.2
done

# The provider starts empty each time: so does the database it is linked with.
rm -rf "$data" && mkdir -p "$data"
"$server" seed --size small
"$server" billing link
curl -fs -X POST "$FC_STRIPE_API_BASE/_config/webhooks/console" \
  -d "url=http://127.0.0.1:$port/webhooks/stripe" -d "secret=$FC_STRIPE_WEBHOOK_SECRET" >/dev/null
"$server" serve --listen "127.0.0.1:$port" --demo-size small
