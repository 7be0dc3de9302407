#!/usr/bin/env bash
# The release build: the WASM front end (split per page, hashed, precompressed) and the
# server. Installs what it needs first (scripts/setup.sh release).
#
# The front end is compiled by a pinned nightly that rebuilds the standard library for
# size: panics abort on the spot (no message formatting code shipped) and carry no
# source locations. The first chunk every page loads shrank from 259 to 212 KB brotli
# (docs/benchmarks.md, "Build settings and their measured effect"). Debug builds and
# the tests use the stable toolchain.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchains.sh
bash scripts/setup.sh release

# RUSTFLAGS replaces `.cargo/config.toml`'s rustflags, so `--cfg erase_components` is
# repeated here: the server is built erased too, and both sides must agree.
RUSTUP_TOOLCHAIN="$WASM_NIGHTLY" \
  CARGO_UNSTABLE_BUILD_STD=std,panic_abort \
  RUSTFLAGS="--cfg erase_components -Zunstable-options -Cpanic=immediate-abort -Zlocation-detail=none" \
  cargo leptos build --release --split --precompress --frontend-only
cargo leptos build --release --server-only
