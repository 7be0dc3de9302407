#!/usr/bin/env bash
# Foundation benchmarks (docs/benchmarks.md, "Seeding the data" and "Server memory"):
# WASM size, `seed --size large` time and database size, and server memory at idle over
# the large data. Needs a release build (`bash scripts/build.sh`).
# Usage: scripts/bench/foundation.sh [sqlite|postgres]
set -euo pipefail
cd "$(dirname "$0")/../.."
backend="${1:-sqlite}"
bin=./target/release/server
[ -x "$bin" ] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }

# The main module under its hashed name (hash-files), not its .br/.gz copies.
wasm=$(ls target/site/pkg/console.*.wasm | head -n1)
echo "wasm: $(stat -c %s "$wasm") bytes raw, $(gzip -9 -c "$wasm" | wc -c) bytes gzip, $(brotli -c "$wasm" 2>/dev/null | wc -c || echo n/a) bytes brotli"

work=$(mktemp -d)
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$work"' EXIT
server_pid=
if [ "$backend" = postgres ]; then
  db=fc_bench_large
  psql -h 127.0.0.1 -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $db" -c "CREATE DATABASE $db"
  export DATABASE_URL="postgres://postgres@127.0.0.1:5432/$db"
else
  export FC_DATA_DIR="$work"
fi

start=$(date +%s.%N)
"$bin" seed --size large --quiet
end=$(date +%s.%N)
echo "seed --size large ($backend): $(echo "$end - $start" | bc) s wall"
if [ "$backend" = postgres ]; then
  echo "database size: $(psql -h 127.0.0.1 -U postgres -d postgres -Atc "SELECT pg_size_pretty(pg_database_size('$db'))")"
else
  echo "database size: $(du -sh "$work" | cut -f1) ($(stat -c %s "$work/console.db") bytes)"
fi

"$bin" serve --listen 127.0.0.1:3999 --demo-seed false --site-root target/site >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 60); do curl -sf http://127.0.0.1:3999/readyz >/dev/null && break; sleep 1; done
curl -sf http://127.0.0.1:3999/login >/dev/null
sleep 5
echo "server RSS at idle over large data: $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status)"
