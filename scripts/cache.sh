# Sourced by test.sh and run.sh: every compilation goes through the compiler cache kept
# on this machine, so what a clean checkout compiles again (the dependencies) comes from
# it. Incremental state is of no use to a single build, and the cache cannot hold it.
# Both scripts build with these settings, so the debug builds run.sh makes are the ones
# test.sh then finds up to date.
source scripts/toolchains.sh
bash scripts/setup.sh cache >/dev/null
export RUSTC_WRAPPER="$SCCACHE_TOOL/bin/sccache" SCCACHE_DIR="$FC_TOOLS/sccache" \
  SCCACHE_CACHE_SIZE="${SCCACHE_CACHE_SIZE:-12G}" CARGO_INCREMENTAL=0
"$RUSTC_WRAPPER" --start-server >/dev/null 2>&1 || true
