# Pinned tool versions, read by setup.sh and build.sh.
CARGO_LEPTOS_VERSION=0.3.11
# The splitter cargo-leptos $CARGO_LEPTOS_VERSION builds in, patched by setup.sh.
WASM_SPLIT_VERSION=0.2.3
WASM_BINDGEN_VERSION=0.2.130
BINARYEN_VERSION=132.0.0
# The release front end's compiler (see build.sh); the server and tests use stable.
WASM_NIGHTLY=nightly-2026-10-30
