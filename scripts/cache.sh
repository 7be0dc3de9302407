# Sourced by test.sh and run.sh: what a build compiles that an earlier build on this
# machine already compiled is not compiled again, whichever checkout it is in.
#
# - A checkout without a `target/` directory of its own (a clean clone, as CI makes)
#   builds into one directory per machine, `target` being a link to it: the
#   dependencies' artifacts are reused as they are, and build scripts' output paths
#   (which the compiler cache must match) are the same from every checkout.
# - Every compilation goes through the compiler cache kept on this machine. Incremental
#   state is of no use to a single build, and the cache cannot hold it.
#
# Both scripts build with these settings, so the debug builds run.sh makes are the ones
# test.sh then finds up to date.
source scripts/toolchains.sh
bash scripts/setup.sh cache >/dev/null
if [ -L target ] || [ ! -e target ]; then
  export CARGO_TARGET_DIR="$FC_TOOLS/target"
  mkdir -p "$CARGO_TARGET_DIR"
  ln -sfn "$CARGO_TARGET_DIR" target
fi
export RUSTC_WRAPPER="$SCCACHE_TOOL/bin/sccache" SCCACHE_DIR="$FC_TOOLS/sccache" \
  SCCACHE_CACHE_SIZE="${SCCACHE_CACHE_SIZE:-12G}" CARGO_INCREMENTAL=0
"$RUSTC_WRAPPER" --start-server >/dev/null 2>&1 || true
