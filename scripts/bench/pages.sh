#!/usr/bin/env bash
# Full server renders over HTTP (docs/benchmarks.md, "Page renders"): signs in as a
# lead, loads each page N times with curl (the whole HTML document, as a pasted link
# gets it) and prints p50 / p95 / max of curl's total time. Start a release server
# first, e.g.
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
  --data "email=lead%40example.com&password=demo-password"
grep -q fc_session "$jar" || { echo "sign-in failed" >&2; exit 1; }

pages=(/dashboard /integrity /activity /approvals /extensions "/?q=acme" /customers/4242 "$@")
for page in "${pages[@]}"; do
  status=$(curl -s -b "$jar" -o /dev/null -w '%{http_code}' "$base$page")
  times=$(for _ in $(seq "$rounds"); do
    curl -s -b "$jar" -o /dev/null -w '%{time_total}\n' "$base$page"
  done | sort -n)
  pick() { echo "$times" | awk -v q="$1" '{a[NR]=$1} END {i=int(NR*q+0.5); if (i<1) i=1; if (i>NR) i=NR; printf "%.1f", a[i]*1000}'; }
  printf '%-40s %s  p50 %6s ms  p95 %6s ms  max %6s ms  (%s requests)\n' \
    "$page" "$status" "$(pick 0.5)" "$(pick 0.95)" "$(pick 1)" "$rounds"
done
