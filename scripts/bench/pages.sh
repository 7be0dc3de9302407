#!/usr/bin/env bash
# Full server renders over HTTP (docs/benchmarks.md, "Page renders"): signs in as a
# admin (who may open every page), loads each page N times with curl (the whole HTML document, as a pasted link
# gets it) and prints p50 / p95 / max of curl's total time, twice: each load on a new
# connection, then all N over one kept-alive connection (as a browser does; new
# connections made there are counted, and must be 1). Start a release server first,
# e.g.
#   FC_DATA_DIR=/path/with/large ./target/release/server serve --listen 127.0.0.1:3998 --demo-seed false
# Usage: scripts/bench/pages.sh [base-url] [rounds] [extra paths...]
set -euo pipefail
base="${1:-http://127.0.0.1:3998}"
rounds="${2:-100}"
shift $(( $# > 2 ? 2 : $# ))
jar=$(mktemp)
trap 'rm -f "$jar"' EXIT
curl -s -c "$jar" -o /dev/null "$base/login"
curl -s -b "$jar" -c "$jar" -o /dev/null -X POST "$base/api/login" \
  -H "content-type: application/x-www-form-urlencoded" -H "accept: application/json" \
  --data "email=admin%40example.com&password=demo-password"
grep -q fc_session "$jar" || { echo "sign-in failed" >&2; exit 1; }

pages=(/dashboard /integrity /drift /activity /approvals /extensions "/extensions/new?customer=4242"
  "/?q=acme" /customers/4242 /admin /account "$@")
# p50 / p95 / max in ms of the seconds on standard input.
stats() {
  sort -n | awk '{a[NR]=$1} END {
    split("0.5 0.95 1", q, " ");
    for (k = 1; k <= 3; k++) { i = int(NR*q[k]+0.5); if (i<1) i=1; if (i>NR) i=NR; v[k] = a[i]*1000 }
    printf "p50 %6.1f ms  p95 %6.1f ms  max %6.1f ms", v[1], v[2], v[3] }'
}

for page in "${pages[@]}"; do
  status=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "$base$page")
  fresh=$(for _ in $(seq "$rounds"); do
    curl -s -b "$jar" -o /dev/null -w '%{time_total}\n' "$base$page"
  done | stats)
  # One curl for all N: it keeps the connection open between them.
  urls=()
  for _ in $(seq "$rounds"); do urls+=(-o /dev/null "$base$page"); done
  kept=$(curl -s -b "$jar" -w '%{time_total} %{num_connects}\n' "${urls[@]}")
  connects=$(echo "$kept" | awk '{s += $2} END {print s}')
  printf '%-40s %s  new connections: %s\n%-40s      kept alive:      %s  (%s requests, %s connection)\n' \
    "$page" "$status" "$fresh" "" "$(echo "$kept" | awk '{print $1}' | stats)" "$rounds" "$connects"
done
