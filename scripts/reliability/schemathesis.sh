#!/usr/bin/env bash
# Schemathesis (PyPI) against /api/v1/openapi.json with a valid admin token, on a
# throwaway server over the small demo data: no request may get a 5xx, and every
# response, refusals included, must match the document (errors: the JSON error shape).
# Usage: scripts/reliability/schemathesis.sh [max-examples per operation] (default 40)
set -euo pipefail
cd "$(dirname "$0")/../.."
examples="${1:-40}"
bin="${FC_SERVER_BIN:-./target/debug/server}"
port="${FC_SCHEMATHESIS_PORT:-3420}"
[ -x "$bin" ] || { echo "build first: cargo xtask front && cargo build -p server" >&2; exit 1; }
if ! command -v schemathesis >/dev/null 2>&1; then
  python3 -m pip install -q --disable-pip-version-check "schemathesis==4.32.5" 2>&1 | grep -v "Running pip as the 'root' user" || true
fi

work=$(mktemp -d)
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$work"' EXIT
export FC_DATA_DIR="$work"
export FC_METRICS_TOKEN="schemathesis-$RANDOM$RANDOM"
unset DATABASE_URL
"$bin" serve --listen "127.0.0.1:$port" --demo-size small --integrity-scan-secs 0 >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do curl -sf "http://127.0.0.1:$port/readyz" >/dev/null && break; sleep 1; done
token=$("$bin" token create --email admin@example.com --label schemathesis)

status=0
schemathesis run "http://127.0.0.1:$port/api/v1/openapi.json" \
  --header "Authorization: Bearer $token" \
  --checks not_a_server_error,status_code_conformance,content_type_conformance,response_schema_conformance \
  --max-examples "$examples" --seed 1 --workers 1 --no-color --warnings off \
  --request-timeout 30 || status=$?
# The server's own count of 5xx answers, from its metrics, whatever schemathesis saw.
metrics=$(curl -sf -H "Authorization: Bearer $FC_METRICS_TOKEN" "http://127.0.0.1:$port/metrics")
server_errors=$(echo "$metrics" | awk '/^http_requests_total\{.*status="5[0-9][0-9]"/ {s += $NF} END {print s + 0}')
answered=$(echo "$metrics" | awk '/^http_requests_total\{/ {s += $NF} END {print s + 0}')
echo "server answered $answered requests, $server_errors with a 5xx status"
[ "$server_errors" = 0 ] || status=1
exit $status
