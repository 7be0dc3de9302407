#!/usr/bin/env bash
# Serves the console on http://127.0.0.1:3000 with demo data (seeded into
# data/console.db on first start) and demo staff logins.
#
# `scripts/run.sh` serves the debug build, the one the tests run (the server
# unoptimised, the front end at opt-level 1): the quickest way from a fresh machine to a
# working console, and `scripts/test.sh` afterwards finds it built. `scripts/run.sh
# --release` builds and serves the optimised console (scripts/build.sh), the one every
# budget of docs/benchmarks.md is measured on.
#
# `--billing` also starts a local Stripe-compatible server (localstripe, on
# 127.0.0.1:8420, state in memory), seeds the small demo afresh into data-billing/,
# links it, points its webhooks at the console and serves with `--billing stripe`
# (scripts/billing/serve-linked.sh): every subscription shows its provider id, edits
# are written through to it, and its changes come back.
#
# `--sso` also starts a local OpenID provider (oidc-provider-mock, on 127.0.0.1:8430,
# state in memory), seeds the small demo afresh into data-sso/ and serves with single
# sign-on through it (scripts/sso/serve-with-provider.sh): "Sign in with Corp ID" leads
# to the provider's page, where any subject signs in; set their groups first, e.g.
# `curl -X PUT 127.0.0.1:8430/users/ada -H 'content-type: application/json'
# -d '{"email":"ada@corp.example","groups":["fc-leads"]}'`.
set -euo pipefail
cd "$(dirname "$0")/.."

billing=false
sso=false
release=false
args=()
for a in "$@"; do
  case "$a" in
    --billing) billing=true ;;
    --sso) sso=true ;;
    --release) release=true ;;
    *) args+=("$a") ;;
  esac
done

if $release; then
  bash scripts/build.sh
  server=./target/release/server
else
  # The server's build starts first and runs beside the rest (the tools' installation,
  # then the front end's build, in its own target directory), which leave a core idle
  # for much of their time.
  source scripts/cache.sh
  SECONDS=0
  (set -o pipefail; cargo build -p domain -p app -p server --features app/ssr 2>&1 \
    | sed -u 's/^/[server] /') & server_build=$!
  trap 'kill "$server_build" 2>/dev/null || true' EXIT
  bash scripts/setup.sh build
  bash scripts/xtask.sh front
  printf '==> front end built after %d s\n' "$SECONDS"
  wait "$server_build"
  trap - EXIT
  "$RUSTC_WRAPPER" --stop-server >/dev/null 2>&1 || true
  printf '==> debug build done in %d s\n' "$SECONDS"
  server=./target/debug/server
fi

if $sso; then
  bash scripts/setup.sh >/dev/null
  exec scripts/sso/serve-with-provider.sh "$server" "${FC_PORT:-3000}" \
    "${FC_OIDC_PROVIDER_PORT:-8430}" data-sso
fi
if ! $billing; then
  exec "$server" serve "${args[@]}"
fi
bash scripts/setup.sh >/dev/null
exec scripts/billing/serve-linked.sh "$server" "${FC_PORT:-3000}" \
  "${FC_LOCALSTRIPE_PORT:-8420}" data-billing
