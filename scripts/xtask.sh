#!/usr/bin/env bash
# Runs the front end's build task (frontend/xtask) as `cargo xtask` does, from a copy
# compiled once per machine for each version of its source and dependencies: a clean
# checkout (CI) does not spend minutes compiling it again. Without arguments it only
# makes sure the copy exists (scripts/setup.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchains.sh

# The key leaves out the checkout's path (cargo tree prints it for path packages).
key=$({ cargo tree --locked -p xtask -e normal,build --prefix none 2>/dev/null | sed 's| (/.*)||'
        cat rust-toolchain.toml
        find frontend/xtask -path '*/node_modules' -prune -o -type f \( -name '*.rs' -o -name Cargo.toml \) -print \
          | sort | xargs cat; } | sha256sum | cut -c1-16)
bin="$FC_TOOLS/xtask-$key"
if [ ! -x "$bin" ]; then
  cargo build --locked --profile tools -p xtask
  mkdir -p "$FC_TOOLS"
  cp "${CARGO_TARGET_DIR:-target}/tools/xtask" "$bin.partial" && mv "$bin.partial" "$bin"
fi
[ $# -eq 0 ] || exec "$bin" "$@"
