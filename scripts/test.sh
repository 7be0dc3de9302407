#!/usr/bin/env bash
# Checks the formatting and clippy's lints (as it builds), and runs every test (the
# layering rules of docs/ARCHITECTURE.md among them): unit and property tests, store,
# HTTP, authorization, concurrency and fault tests on SQLite and PostgreSQL,
# schemathesis against the OpenAPI document, and the browser tests in Chromium.
# Installs what it needs first (idempotent).
set -euo pipefail
cd "$(dirname "$0")/.."

# Each step's time, printed at the end (docs/benchmarks.md, "Builds, tests and CI").
times=()
mark=$SECONDS
took() { times+=("$(printf '%-40s %4d s' "$1" $((SECONDS - mark)))"); mark=$SECONDS; }

echo "==> house rules: formatting (rustfmt.toml)"
cargo fmt --version >/dev/null 2>&1 || rustup component add rustfmt
cargo fmt --all --check

source scripts/cache.sh
bash scripts/setup.sh
took "setup"

log=$(mktemp)
front_log=$(mktemp)
front=
trap 'kill "$front" 2>/dev/null || true; rm -f "$log" "$front_log"; "$RUSTC_WRAPPER" --stop-server >/dev/null 2>&1 || true' EXIT

# Clippy's lints, no warnings, checked inside the two builds the tests need (the way
# `cargo clippy` runs them: clippy-driver in place of rustc for the workspace's own
# crates), instead of a third, check-only build of every dependency.
clippy_driver=$(rustup which clippy-driver 2>/dev/null) || { rustup component add clippy; clippy_driver=$(rustup which clippy-driver); }
linted() { RUSTC_WORKSPACE_WRAPPER="$clippy_driver" CLIPPY_ARGS="-D__CLIPPY_HACKERY__warnings__CLIPPY_HACKERY__" "$@"; }

# The debug front end builds beside the Rust tests' build (its own target directory):
# each spends much of its time in one crate, on one core.
echo "==> the WASM front end, linted (beside the Rust tests; its output follows theirs)"
linted bash scripts/xtask.sh front >"$front_log" 2>&1 &
front=$!

bash scripts/postgres.sh
export FC_TEST_PG_URL="${FC_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
export FC_TEST_LOCALSTRIPE="$PWD/scripts/billing/localstripe"
export FC_TEST_OIDC_PROVIDER="$PWD/scripts/sso/oidc-provider"

echo "==> unit, property, store, HTTP and fault tests (SQLite and PostgreSQL), linted"
# One invocation: the crates share one feature set, so dependencies build once, and
# the server binary it builds (target/debug/server) is the one the later steps run.
linted cargo test -p domain -p app -p server --features app/ssr 2>&1 | tee -a "$log"
took "build (linted) and run the Rust tests"

status=0
wait "$front" || status=$?
front=
cat "$front_log"
[ "$status" -eq 0 ] || { echo "the front end did not build" >&2; exit "$status"; }
took "front end (debug, linted), after them"

echo "==> API fuzzing (schemathesis against /api/v1/openapi.json)"
bash scripts/reliability/schemathesis.sh 20 2>&1 | tee -a "$log"
took "schemathesis"

echo "==> browser tests (Chromium)"
(cd end2end && npx playwright test) 2>&1 | tee -a "$log"
took "browser tests"

# awk alone (no grep): a pattern that matches nothing must not fail the script.
passed=$(awk '/test result: ok\. [0-9]+ passed/ {s += $4} END {print s + 0}' "$log")
e2e_passed=$(awk '/^ +[0-9]+ passed/ {s += $1} END {print s + 0}' "$log")
e2e_failed=$(awk '/^ +[0-9]+ failed/ {s += $1} END {print s + 0}' "$log")
echo
printf '%s\n' "${times[@]}"
echo "summary: $((passed + e2e_passed)) passed, ${e2e_failed} failed"
