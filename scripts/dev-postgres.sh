#!/usr/bin/env bash
# Starts the PostgreSQL the store's tests and benchmarks use: a cluster of Debian's `postgresql`
# package, owned by the `postgres` user (initdb refuses root), listening on 127.0.0.1 only, with
# a database and a login role for the tests. Idempotent: an initialised cluster is reused, a
# running server is left running, existing role and database are kept.
#
#   STACKWRIGHT_PG_DATA  cluster directory      (default /var/lib/stackwright-pg)
#   STACKWRIGHT_PG_PORT  TCP port on 127.0.0.1  (default 55432)
#
# Tests connect to jdbc:postgresql://127.0.0.1:55432/stackwright as stackwright/stackwright (a
# test-only credential of a server that listens on loopback only); override with
# -Dstackwright.test.postgres.url=... or STACKWRIGHT_TEST_POSTGRES_URL (see orchestrator-store).
set -euo pipefail

log() { printf '[dev-postgres] %s\n' "$*" >&2; }
die() { printf '[dev-postgres] ERROR: %s\n' "$*" >&2; exit 1; }

data=${STACKWRIGHT_PG_DATA:-/var/lib/stackwright-pg}
port=${STACKWRIGHT_PG_PORT:-55432}
db=stackwright
role=stackwright
password=stackwright

bin=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)
[ -n "$bin" ] && [ -x "$bin/initdb" ] || die "PostgreSQL is not installed (Debian: apt-get install -y postgresql)."

# The server runs as `postgres`; a non-root user runs it as themselves.
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || die "the postgresql package created no 'postgres' user"
  as_pg() { runuser -u postgres -- "$@"; }
  owner=postgres
else
  as_pg() { "$@"; }
  owner=$(id -un)
fi

if [ ! -s "$data/PG_VERSION" ]; then
  log "initdb $data ($($bin/postgres --version))"
  mkdir -p "$data"
  chown "$owner" "$data"
  chmod 700 "$data"
  as_pg "$bin/initdb" -D "$data" -U postgres -E UTF8 --no-locale \
    --auth-local=trust --auth-host=scram-sha-256 >/dev/null
fi

# Unix socket inside the cluster directory: /var/run/postgresql may not exist here.
if ! as_pg "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
  log "starting PostgreSQL on 127.0.0.1:$port (log: $data/server.log)"
  as_pg "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -c unix_socket_directories=$data" start >/dev/null
fi

psql_pg() { as_pg "$bin/psql" -X -q -v ON_ERROR_STOP=1 -h "$data" -p "$port" -U postgres -d postgres "$@"; }
if [ "$(psql_pg -tAc "SELECT 1 FROM pg_roles WHERE rolname = '$role'")" != 1 ]; then
  log "creating role $role"
  psql_pg -c "CREATE ROLE $role LOGIN PASSWORD '$password'"
fi
if [ "$(psql_pg -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
  log "creating database $db"
  psql_pg -c "CREATE DATABASE $db OWNER $role"
fi
log "PostgreSQL ready: jdbc:postgresql://127.0.0.1:$port/$db (user $role)"
