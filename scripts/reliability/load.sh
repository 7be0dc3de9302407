#!/usr/bin/env bash
# Load test (docs/reliability.md): wrk on loopback against search and the customer
# page on `large` data, the server's peak RSS, and a graceful shutdown under load.
# Needs a release build (`bash scripts/build.sh`) and wrk (Debian: apt-get
# install wrk). Seeds `large` into $FC_LOAD_DIR (default /tmp/fc-load) when it is not
# there yet (about 5 minutes). Usage: scripts/reliability/load.sh [seconds] [connections]
set -euo pipefail
cd "$(dirname "$0")/../.."
duration="${1:-30}"
connections="${2:-32}"
bin=./target/release/server
dir="${FC_LOAD_DIR:-/tmp/fc-load}"
port=3410
base="http://127.0.0.1:$port"
[ -x "$bin" ] || { echo "build first: bash scripts/build.sh" >&2; exit 1; }
command -v wrk >/dev/null || { echo "install wrk first (apt-get install wrk)" >&2; exit 1; }
export FC_DATA_DIR="$dir"
export FC_METRICS_TOKEN="load-$RANDOM$RANDOM"
unset DATABASE_URL

if [ ! -f "$dir/console.db" ]; then
  echo "==> seeding large data into $dir"
  "$bin" seed --size large --quiet
fi

work=$(mktemp -d)
trap 'kill $server_pid 2>/dev/null || true; rm -rf "$work"' EXIT
server_pid=
# Scheduled jobs (integrity scans, audit checkpoints) are off: the run measures request handling.
"$bin" serve --listen 127.0.0.1:$port --demo-seed false --integrity-scan-secs 0 --audit-checkpoint-secs 0 --site-root target/site >"$work/server.log" 2>&1 &
server_pid=$!
for _ in $(seq 1 120); do curl -sf "$base/readyz" >/dev/null && break; sleep 1; done

token=$("$bin" token create --email lead@example.com --label load-test)
# What support types, sampled across the data, one file per class: identifiers of
# every kind, the start of a name, and a word inside a name, company or license key.
python3 - "$dir/console.db" "$work" <<'PY'
import random, sqlite3, sys, urllib.parse
db = sqlite3.connect(sys.argv[1])
classes = {
    "identifiers": [
        "SELECT email FROM customers WHERE id % 4999 = 7",
        "SELECT number FROM subscriptions WHERE id % 4999 = 11",
        "SELECT path FROM namespaces WHERE id % 4999 = 13",
        "SELECT number FROM billing_accounts WHERE id % 4999 = 17",
        "SELECT number FROM invoices WHERE id % 49999 = 19",
    ],
    "name-starts": ["SELECT substr(name, 1, 6) FROM customers WHERE id % 9999 = 23"],
    "substrings": [
        "SELECT substr(name, instr(name, ' ') + 1) FROM customers WHERE id % 29999 = 29",
        "SELECT substr(company, 1, instr(company || ' ', ' ') - 1) FROM customers WHERE id % 29999 = 31",
        "SELECT substr(key, 7, 5) FROM licenses WHERE id % 14999 = 37",
    ],
}
mix = []
for name, sqls in classes.items():
    queries = [urllib.parse.quote(r[0], safe="") for sql in sqls for r in db.execute(sql)]
    mix += queries
    with open(f"{sys.argv[2]}/{name}.txt", "w") as f:
        f.write("\n".join(queries) + "\n")
random.Random(7).shuffle(mix)
with open(f"{sys.argv[2]}/mix.txt", "w") as f:
    f.write("\n".join(mix) + "\n")
PY
python3 - "$dir/console.db" >"$work/customers.txt" <<'PY'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for (i,) in db.execute("SELECT id FROM customers WHERE id % 997 = 5"):
    print(i)
PY
echo "==> search queries: $(wc -l <"$work/identifiers.txt") identifiers, $(wc -l <"$work/name-starts.txt") name starts, $(wc -l <"$work/substrings.txt") substrings; $(wc -l <"$work/customers.txt") customers"

cat >"$work/rotate.lua" <<'LUA'
local lines = {}
local i = 0
init = function(args)
  for line in io.lines(args[1]) do lines[#lines + 1] = line end
  i = math.random(#lines)
  wrk.headers["Authorization"] = "Bearer " .. args[2]
end
request = function()
  i = i % #lines + 1
  return wrk.format("GET", string.format(args_path, lines[i]))
end
done = function(summary, latency, requests)
  io.write(string.format("errors: connect %d, read %d, write %d, status %d, timeout %d\n",
    summary.errors.connect, summary.errors.read, summary.errors.write, summary.errors.status, summary.errors.timeout))
  io.write(string.format("p50 %.2f ms, p90 %.2f ms, p99 %.2f ms, max %.2f ms\n",
    latency:percentile(50) / 1000, latency:percentile(90) / 1000, latency:percentile(99) / 1000, latency.max / 1000))
end
LUA

run() { # name path-format file seconds
  local name=$1 fmt=$2 file=$3 secs=$4
  sed "s|args_path|\"${fmt//&/\\&}\"|" "$work/rotate.lua" >"$work/$name.lua"
  echo "==> $name: wrk -t2 -c$connections -d${secs}s"
  wrk -t2 -c"$connections" -d"${secs}s" -s "$work/$name.lua" "$base" -- "$file" "$token" | grep -E "Requests/sec|errors|p50|Non-2xx|Socket"
}
search="/api/v1/search?q=%s&limit=10"
curl -sf -H "Authorization: Bearer $token" "$base/api/v1/search?q=acme" >/dev/null
run search-mix "$search" "$work/mix.txt" "$duration"
for class in identifiers name-starts substrings; do
  run "search-$class" "$search" "$work/$class.txt" $((duration / 2))
done
run customer-page "/customers/%s" "$work/customers.txt" "$duration"
echo "server peak RSS: $(awk '/VmHWM/ {print $2, $3}' /proc/$server_pid/status), now $(awk '/VmRSS/ {print $2, $3}' /proc/$server_pid/status)"

echo "==> graceful shutdown under load: SIGTERM halfway through a 10 s run"
# Requests answered before this run (the /metrics request counts itself once answered).
before=$(curl -sf -H "Authorization: Bearer $FC_METRICS_TOKEN" "$base/metrics" | awk '/^http_requests_total/ {n += $2} END {print n + 1}')
sed "s|args_path|\"/api/v1/search?q=%s\&limit=10\"|" "$work/rotate.lua" >"$work/stop.lua"
wrk -t2 -c"$connections" -d10s -s "$work/stop.lua" "$base" -- "$work/mix.txt" "$token" >"$work/stop.txt" 2>&1 &
wrk_pid=$!
sleep 5
kill -TERM $server_pid
wait $server_pid && echo "server exit status 0" || echo "server exit status $?"
wait $wrk_pid || true
grep -E "requests in|errors|Non-2xx" "$work/stop.txt"
grep -E "stopped cleanly|grace period" "$work/server.log" || true
answered=$(grep -o 'answered=[0-9]*' "$work/server.log" | cut -d= -f2)
unfinished=$(grep -o 'unfinished=[0-9]*' "$work/server.log" | cut -d= -f2)
received=$(grep -oE '[0-9]+ requests in' "$work/stop.txt" | cut -d' ' -f1)
echo "server answered $((answered - before)) requests in this run, left $unfinished accepted ones unanswered; wrk received $received answers"
echo "(wrk's read errors are requests written to a keep-alive connection as the server closed it: never accepted)"
