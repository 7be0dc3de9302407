# Pinned tool versions, read by setup.sh and build.sh.
CARGO_LEPTOS_VERSION=0.3.11
# The splitter cargo-leptos $CARGO_LEPTOS_VERSION builds in, patched by setup.sh.
WASM_SPLIT_VERSION=0.2.3
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0
# The release front end's compiler (see build.sh); the server and tests use stable.
WASM_NIGHTLY=nightly-2026-10-30
# The Stripe-compatible server the billing tests talk to (PyPI), in a virtualenv of its own.
LOCALSTRIPE_VERSION=1.15.10
LOCALSTRIPE_DIR="${FC_TOOLS_DIR:-$HOME/.cache/fulfillment-console}/localstripe-$LOCALSTRIPE_VERSION"
