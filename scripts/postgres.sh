#!/usr/bin/env bash
# Makes sure a PostgreSQL server answers on 127.0.0.1:5432 with trust auth for local
# TCP connections: starts the local cluster when it is down, installs one when there
# is none. In CI (CI set) an unreachable server is an error; elsewhere a warning
# (the PostgreSQL tests then skip with a visible message).
set -uo pipefail

ready() { pg_isready -q -h 127.0.0.1 -p 5432 2>/dev/null; }

if ! ready; then
  if ! ls /etc/postgresql/*/main >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "==> installing PostgreSQL"
      apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
      for hba in /etc/postgresql/*/main/pg_hba.conf; do
        sed -i '1i host all all 127.0.0.1/32 trust' "$hba"
      done
    fi
  fi
  for version in $(ls /etc/postgresql 2>/dev/null); do
    echo "==> starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start 2>/dev/null || true
  done
  for _ in $(seq 1 30); do ready && break; sleep 1; done
fi

if ready; then
  echo "==> PostgreSQL is ready on 127.0.0.1:5432"
elif [ -n "${CI:-}" ]; then
  echo "error: PostgreSQL is unreachable on 127.0.0.1:5432; CI requires it" >&2
  exit 1
else
  echo "warning: PostgreSQL is unreachable on 127.0.0.1:5432; its tests will be skipped" >&2
fi
