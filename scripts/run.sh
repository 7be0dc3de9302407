#!/usr/bin/env bash
# Builds the release console and serves it on http://127.0.0.1:3000 with demo data
# (seeded into data/console.db on first start) and demo staff logins.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/build.sh
exec ./target/release/server serve "$@"
