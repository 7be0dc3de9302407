#!/usr/bin/env bash
# The release build: the WASM front end (split per page, optimised, minified, named
# after content, precompressed) into target/site, and the server. Installs what it
# needs first (scripts/setup.sh release).
#
# The front end is compiled by a pinned nightly that rebuilds the standard library for
# size: panics abort on the spot (no message formatting code shipped) and carry no
# source locations; the customer page's first visit is 33 KB smaller
# (docs/benchmarks.md, "Build settings and their measured effect").
# `build.sh --stable` builds it with the stable toolchain alone.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchains.sh

# The server's build starts first and runs beside everything else (its own target
# directory): the tools' installation and the front end spend minutes in steps that use
# one core (downloads, link-time optimisation, wasm-opt), which its parallel compilation
# fills.
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
SECONDS=0
(set -o pipefail; cargo build --release -p server 2>&1 | sed -u 's/^/[server] /') &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT

if [ "${1:-}" = --stable ]; then
  bash scripts/setup.sh build
  nightly=()
else
  bash scripts/setup.sh release
  nightly=(--nightly "$WASM_NIGHTLY")
fi
bash scripts/xtask.sh front --release "${nightly[@]}"
printf '==> front end built after %d s\n' "$SECONDS"
wait "$server"
printf '==> release build done in %d s\n' "$SECONDS"
