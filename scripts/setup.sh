#!/usr/bin/env bash
# Installs every tool the build and tests need. Idempotent: each step skips itself
# when its tool is already present at the pinned version. `setup.sh release` also
# installs the nightly toolchain that compiles the release front end (build.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchains.sh

log() { printf '\n==> %s\n' "$*"; }

# Build tools are compiled once per machine: at the usual optimisation level, but
# without the whole-program LTO and single codegen unit their release profiles ask
# for, which cost minutes on a 2-core machine (cargo-leptos: 13 min 23 s; see
# docs/benchmarks.md, "Installing the tools").
tool_profile=(env CARGO_PROFILE_RELEASE_LTO=false CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16)

log "wasm32 target"
rustup target list --installed | grep -q wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown

log "cargo-leptos $CARGO_LEPTOS_VERSION (its WASM splitter patched: scripts/patches/)"
# The splitter inside cargo-leptos makes one WASM chunk per set of pages sharing code;
# the patch merges the small ones (docs/benchmarks.md,
# "Build settings and their measured effect"). A marker named
# after the patch's hash tells whether this cargo-leptos was built with it.
patch_file="$PWD/scripts/patches/wasm_split_cli_support-merge.patch"
marker="${CARGO_HOME:-$HOME/.cargo}/cargo-leptos-$CARGO_LEPTOS_VERSION-$(sha256sum "$patch_file" | cut -c1-12).built"
if ! { cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION" && [ -f "$marker" ]; }; then
  # The registry release pins a dependency that needs a newer rustc: fetch the crate,
  # pin that dependency back, and build it with tools taken from PATH.
  cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked >/dev/null 2>&1 || true
  crate_file() { ls ~/.cargo/registry/cache/index.crates.io-*/"$1.crate" | head -n1; }
  work=$(mktemp -d)
  tar xzf "$(crate_file "cargo-leptos-$CARGO_LEPTOS_VERSION")" -C "$work"
  (cd "$work/cargo-leptos-$CARGO_LEPTOS_VERSION" \
    && cargo update -p cargo-util-schemas --precise 0.14.1 \
    && cargo fetch --locked >/dev/null \
    && tar xzf "$(crate_file "wasm_split_cli_support-$WASM_SPLIT_VERSION")" -C "$work" \
    && patch -d "$work/wasm_split_cli_support-$WASM_SPLIT_VERSION" -p1 <"$patch_file" \
    && printf '\n[patch.crates-io]\nwasm_split_cli_support = { path = "../wasm_split_cli_support-%s" }\n' "$WASM_SPLIT_VERSION" >>Cargo.toml \
    && cargo update -p wasm_split_cli_support \
    && "${tool_profile[@]}" cargo install --path . --locked --force --features no_downloads)
  rm -rf "$work"
  rm -f "${CARGO_HOME:-$HOME/.cargo}"/cargo-leptos-*.built
  touch "$marker"
fi

if [ "${1:-}" = release ]; then
  log "$WASM_NIGHTLY with the standard library's source (release front end)"
  rustup toolchain list | grep -q "^$WASM_NIGHTLY" && rustup component list --toolchain "$WASM_NIGHTLY" --installed | grep -q rust-src \
    || rustup toolchain install "$WASM_NIGHTLY" --profile minimal --component rust-src --target wasm32-unknown-unknown
fi

log "wasm-bindgen-cli $WASM_BINDGEN_VERSION"
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  "${tool_profile[@]}" cargo install wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION"
fi

log "wasm-opt (binaryen $BINARYEN_VERSION from npm)"
if ! wasm-opt --version 2>/dev/null | grep -q "version ${BINARYEN_VERSION%%.*}"; then
  npm install -g "binaryen@$BINARYEN_VERSION"
fi

log "localstripe $LOCALSTRIPE_VERSION (a Stripe-compatible server for the billing tests)"
if [ ! -x "$LOCALSTRIPE_DIR/bin/localstripe" ]; then
  python3 -m venv "$LOCALSTRIPE_DIR"
  "$LOCALSTRIPE_DIR/bin/pip" install -q --disable-pip-version-check "localstripe==$LOCALSTRIPE_VERSION"
fi

log "chromium"
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium
fi

log "end2end npm packages"
if [ -f end2end/package-lock.json ]; then
  (cd end2end && { [ -d node_modules ] && npm ls >/dev/null 2>&1 || npm ci --no-audit --no-fund; })
fi

log "setup done"
