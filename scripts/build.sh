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

if [ "${1:-}" = --stable ]; then
  bash scripts/setup.sh
  nightly=()
else
  bash scripts/setup.sh release
  nightly=(--nightly "$WASM_NIGHTLY")
fi

SECONDS=0
cargo xtask front --release "${nightly[@]}"
front=$SECONDS
cargo build --release -p server
printf '==> release build: front end %d s, server %d s\n' "$front" $((SECONDS - front))
