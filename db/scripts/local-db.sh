#!/usr/bin/env bash
# A private PostgreSQL cluster for Lumen under the project's data dir, on a loopback port.
#   local-db.sh start|stop|status|url
# start is idempotent: it initialises the cluster on first use, starts it if stopped, and makes sure
# the roles, the databases (lumen, lumen_test) and the vector extension exist. Two roles (docs/security.md):
# lumen owns the databases and runs the migrations; lumen_app is what the web app connects as, granted by the
# migrations only what it needs. Authentication: the superuser only over the cluster's own Unix socket (peer:
# the same OS user, and the socket's directory is private to it), everyone else with a password. Clusters made
# by older versions of this script (superuser trusted on 127.0.0.1, no lumen_app) are upgraded in place.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
PG_BIN=${LUMEN_PG_BIN:-/usr/lib/postgresql/15/bin}
DATA_DIR=${LUMEN_DATA_DIR:-$root/.lumen}/postgres
PORT=${LUMEN_DB_PORT:-54329}
ROLE=${LUMEN_DB_USER:-lumen}
PASSWORD=${LUMEN_DB_PASSWORD:-lumen}
APP_ROLE=${LUMEN_DB_APP_USER:-lumen_app}
APP_PASSWORD=${LUMEN_DB_APP_PASSWORD:-lumen_app}
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

# the superuser connects over the Unix socket in the data directory (peer authentication), never over TCP
psql_super() { PGOPTIONS="-c client_min_messages=warning" as_owner "$PG_BIN/psql" -X -q -v ON_ERROR_STOP=1 -h "$DATA_DIR" -p "$PORT" -U "$OWNER" "$@"; }

is_running() { as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" status >/dev/null 2>&1; }

init_cluster() {
  log "initialising cluster in $DATA_DIR"
  mkdir -p "$DATA_DIR"
  chmod 700 "$DATA_DIR"
  [ "$OWNER" = postgres ] && chown postgres:postgres "$DATA_DIR"
  as_owner "$PG_BIN/initdb" -D "$DATA_DIR" -U "$OWNER" --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --locale=C.UTF-8 >/dev/null \
    || as_owner "$PG_BIN/initdb" -D "$DATA_DIR" -U "$OWNER" --auth-local=peer --auth-host=scram-sha-256 --encoding=UTF8 --no-locale >/dev/null
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
  write_hba
}

# The superuser by peer on the private Unix socket only; every role with a password on loopback TCP.
write_hba() {
  cat >"$DATA_DIR/pg_hba.conf" <<HBA
# Lumen (db/scripts/local-db.sh): superuser by peer on the private socket, passwords for everything else
local all $OWNER peer
local all all scram-sha-256
host  all all 127.0.0.1/32 scram-sha-256
HBA
  [ "$OWNER" = postgres ] && chown postgres:postgres "$DATA_DIR/pg_hba.conf"
  return 0
}

# Clusters made by older versions trusted the superuser on 127.0.0.1 without a password: tighten and reload.
upgrade_hba() {
  if grep -qE '^[[:space:]]*(host|local)[[:space:]].*[[:space:]]trust[[:space:]]*$' "$DATA_DIR/pg_hba.conf"; then
    write_hba
    as_owner "$PG_BIN/pg_ctl" -D "$DATA_DIR" reload >/dev/null
    log "pg_hba.conf: the superuser now needs the private socket (peer); passwords for everyone else (reloaded)"
  fi
}

ensure_schema() {
  psql_super -d postgres <<SQL
DO \$\$ BEGIN
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$ROLE') THEN
    CREATE ROLE $ROLE LOGIN PASSWORD '$PASSWORD';
  END IF;
  IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = '$APP_ROLE') THEN
    CREATE ROLE $APP_ROLE LOGIN PASSWORD '$APP_PASSWORD' NOSUPERUSER NOCREATEDB NOCREATEROLE;
  END IF;
END \$\$;
SQL
  for db in "${DATABASES[@]}"; do
    if [ "$(psql_super -d postgres -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'")" != 1 ]; then
      psql_super -d postgres -c "CREATE DATABASE $db OWNER $ROLE"
    fi
    # pgvector is not a trusted extension: only a superuser may create it
    psql_super -d "$db" -c "CREATE EXTENSION IF NOT EXISTS vector"
    # the app role may connect; its table grants come from the migrations (afterMigrate.sql), run as $ROLE
    psql_super -d "$db" -c "GRANT CONNECT, TEMPORARY ON DATABASE $db TO $APP_ROLE"
    # databases where $ROLE already ran the migrations: grant now, so the app role works before the next start
    if [ "$(psql_super -d "$db" -tAc "SELECT count(*) FROM pg_proc WHERE proname = 'grant_app_role'")" != 0 ]; then
      psql_super -d "$db" -c "SET ROLE $ROLE; SELECT grant_app_role('$APP_ROLE')" >/dev/null
    fi
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
    upgrade_hba
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
