#!/usr/bin/env bash
# Builds the release console and serves it on http://127.0.0.1:3000 with demo data
# (seeded into data/console.db on first start) and demo staff logins.
#
# `scripts/run.sh --billing` also starts a local Stripe-compatible server (localstripe,
# on 127.0.0.1:8420, state in memory), seeds the small demo afresh into data-billing/,
# links it, points its webhooks at the console and serves with `--billing stripe`
# (scripts/billing/serve-linked.sh): every subscription shows its provider id, edits
# are written through to it, and its changes come back.
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
exec scripts/billing/serve-linked.sh ./target/release/server "${FC_PORT:-3000}" \
  "${FC_LOCALSTRIPE_PORT:-8420}" data-billing
