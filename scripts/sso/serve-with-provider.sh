#!/usr/bin/env bash
# Serves the console with single sign-on through a fresh local OpenID provider
# (oidc-provider-mock, state in memory): starts the provider, seeds the small demo afresh
# into the data directory and serves with FC_OIDC_* pointing at the provider until
# stopped (the provider stops with it). Groups map to roles as FC_OIDC_ROLE_MAP says;
# the browser tests set each person's claims at the provider (PUT /users/<sub>).
#
# Usage: serve-with-provider.sh <server binary> <console port> <provider port> <data dir>
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
server="$1" port="$2" provider_port="$3" data="$4"

export FC_DATA_DIR="$data"
export FC_OIDC_ISSUER="http://127.0.0.1:$provider_port"
export FC_OIDC_CLIENT_ID=console
export FC_OIDC_CLIENT_SECRET=console-secret
export FC_OIDC_PROVIDER_NAME="Corp ID"
export FC_PUBLIC_URL="http://127.0.0.1:$port"
export FC_OIDC_ROLE_MAP="fc-admins=admin,fc-leads=lead,fc-support=support,fc-billing=billing,fc-sales=sales"

"$here/oidc-provider" --port "$provider_port" --require-nonce true >"$data.provider.log" 2>&1 &
provider_pid=$!
trap 'kill $provider_pid 2>/dev/null || true' EXIT INT TERM
for _ in $(seq 1 150); do
  curl -fs "$FC_OIDC_ISSUER/.well-known/openid-configuration" >/dev/null && break
  sleep 0.2
done

rm -rf "$data" && mkdir -p "$data"
"$server" serve --listen "127.0.0.1:$port" --demo-size small
