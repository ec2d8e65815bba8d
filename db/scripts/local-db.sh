#!/usr/bin/env bash
# A private PostgreSQL cluster for Lumen under the project's data dir, on a loopback port.
#   local-db.sh start|stop|status|url
# start is idempotent: it initialises the cluster on first use, starts it if stopped, and makes sure
# the role, the databases (lumen, lumen_test) and the vector extension exist.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PG_BIN=${LUMEN_PG_BIN:-/usr/lib/postgresql/15/bin}
DATA_DIR=${LUMEN_DATA_DIR:-$root/.lumen}/postgres
PORT=${LUMEN_DB_PORT:-54329}
ROLE=lumen
PASSWORD=${LUMEN_DB_PASSWORD:-lumen}
DATABASES=(lumen lumen_test)

log() { printf '[local-db] %s\n' "$*"; }
die() { printf 'local-db: %s\n' "$*" >&2; exit 1; }

# PostgreSQL refuses to run as root: as root, the cluster belongs to the 'postgres' system user.
if [ "$(id -u)" -eq 0 ]; then
  id postgres >/dev/null 2>&1 || die "user 'postgres' is missing; run db/scripts/install-postgres.sh first"
  as_owner() { runuser -u postgres -w PGOPTIONS -- "$@"; }
  OWNER=postgres
else
  as_owner() { "$@"; }
  OWNER=$(id -un)
fi

[ -x "$PG_BIN/pg_ctl" ] || die "PostgreSQL 15 is not installed ($PG_BIN/pg_ctl missing); run db/scripts/install-postgres.sh"

psql_super() { PGOPTIONS="-c client_min_messages=warning" as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$PORT" -U "$OWNER" "$@"; }

is_running() { as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; }

init_cluster() {
  log "initialising cluster in $DATA_DIR"
  mkdir -p "$DATA_DIR"
  chmod 700 "$DATA_DIR"
  [ "$OWNER" = postgres ] && chown postgres:postgres "$DATA_DIR"
  as_owner "$PG_BIN/initdb" -D "$DATA_DIR" -U "$OWNER" --auth=trust --encoding=UTF8 --locale=C.UTF-8 >/dev/null \
    || as_owner "$PG_BIN/initdb" -D "$DATA_DIR" -U "$OWNER" --auth=trust --encoding=UTF8 --no-locale >/dev/null
  cat >>"$DATA_DIR/postgresql.conf" <<CONF
# Lumen: private cluster on loopback only
listen_addresses = '127.0.0.1'
port = $PORT
unix_socket_directories = '$DATA_DIR'
max_connections = 200
shared_buffers = 256MB
maintenance_work_mem = 512MB
fsync = on
CONF
  # loopback only: the owner without a password, the lumen role with its password
  cat >"$DATA_DIR/pg_hba.conf" <<HBA
local all $OWNER trust
host  all $OWNER 127.0.0.1/32 trust
host  all all 127.0.0.1/32 scram-sha-256
HBA
}

ensure_schema() {
  psql_super -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
  END IF;
END \$\$;
SQL
  for db in "${DATABASES[@]}"; do
    if [ "$(psql_super -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
      psql_super -d postgres -c "CREATE DATABASE $db OWNER $ROLE"
    fi
    # pgvector is not a trusted extension: only a superuser may create it
    psql_super -d "$db" -c "CREATE EXTENSION IF NOT EXISTS vector"
  done
}

case "${1:-status}" in
  start)
    [ -f "$DATA_DIR/PG_VERSION" ] || init_cluster
    if is_running; then
      log "already running on 127.0.0.1:$PORT"
    else
      as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -l "$DATA_DIR/server.log" -w -t 60 start >/dev/null \
        || die "PostgreSQL did not start; see $DATA_DIR/server.log"
      log "started on 127.0.0.1:$PORT (data: $DATA_DIR)"
    fi
    ensure_schema
    # clusters made by older versions of this script allowed 60 connections: too few for the test suite
    if [ "$(psql_super -d postgres -tAc "SHOW max_connections")" -lt 200 ]; then
      psql_super -d postgres -c "ALTER SYSTEM SET max_connections = 200"
      as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m fast -w restart -l "$DATA_DIR/server.log" >/dev/null
      log "raised max_connections to 200 (restarted)"
    fi
    ;;
  stop)
    if is_running; then as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" -m fast -w stop >/dev/null; log "stopped"; else log "not running"; fi
    ;;
  status)
    if is_running; then log "running on 127.0.0.1:$PORT (data: $DATA_DIR)"; else log "not running (data: $DATA_DIR)"; exit 3; fi
    ;;
  url)
    echo "jdbc:postgresql://127.0.0.1:$PORT/${2:-lumen}"
    ;;
  *)
    die "usage: local-db.sh start|stop|status|url [database]"
    ;;
esac
