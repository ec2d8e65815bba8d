#!/usr/bin/env bash
# Installs PostgreSQL 15 and builds pgvector when vector.so is missing. Idempotent: a second run
# only checks. pgvector is not packaged for this Debian release, so it is built from the source
# package of the next release (trixie), taking the mirror from this machine's own apt sources.
set -euo pipefail

PG_MAJOR=15
PG_BIN=/usr/lib/postgresql/$PG_MAJOR/bin
PG_CONFIG=$PG_BIN/pg_config
log() { printf '[install-postgres] %s\n' "$*"; }

need_root() {
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1; then SUDO=sudo; else
      echo "install-postgres: run as root (or install sudo) to install PostgreSQL $PG_MAJOR + pgvector" >&2; exit 1
    fi
  else SUDO=""; fi
}

apt_updated=0
apt_update_once() { if [ $apt_updated -eq 0 ]; then $SUDO apt-get update -qq; apt_updated=1; fi; }

if [ ! -x "$PG_BIN/postgres" ]; then
  need_root; apt_update_once
  log "installing postgresql-$PG_MAJOR"
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "postgresql-$PG_MAJOR" >/dev/null
fi

pkglibdir=$("$PG_CONFIG" --pkglibdir 2>/dev/null || echo "/usr/lib/postgresql/$PG_MAJOR/lib")
if [ -f "$pkglibdir/vector.so" ]; then
  log "pgvector present ($pkglibdir/vector.so)"
  exit 0
fi

need_root
# A deb-src entry for trixie, built from the URIs this machine already uses for its main archive.
src_list=/etc/apt/sources.list.d/lumen-pgvector-src.sources
if [ ! -f "$src_list" ]; then
  uri=""
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    uri=$(awk '/^URIs:/ {print $2; exit}' /etc/apt/sources.list.d/debian.sources)
  fi
  if [ -z "$uri" ] && [ -f /etc/apt/sources.list ]; then
    uri=$(awk '$1=="deb" && $0 !~ /security/ {for(i=2;i<=NF;i++) if ($i ~ /^[a-z]+:\/\//) {print $i; exit}}' /etc/apt/sources.list)
  fi
  if [ -z "$uri" ]; then echo "install-postgres: cannot find a Debian mirror URI in the apt sources" >&2; exit 1; fi
  log "adding deb-src trixie from $uri"
  printf 'Types: deb-src\nURIs: %s\nSuites: trixie\nComponents: main\nSigned-By: /usr/share/keyrings/debian-archive-keyring.gpg\n' "$uri" \
    | $SUDO tee "$src_list" >/dev/null
  apt_updated=0
fi
apt_update_once
log "installing build dependencies"
DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq "postgresql-server-dev-$PG_MAJOR" make gcc dpkg-dev >/dev/null

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
( cd "$work" && apt-get source --download-only pgvector >/dev/null 2>&1 ) || {
  echo "install-postgres: could not download the pgvector source package from trixie" >&2; exit 1; }
tarball=$(ls "$work"/pgvector_*.orig.tar.* | head -n 1)
mkdir "$work/src" && tar -xf "$tarball" -C "$work/src" --strip-components=1
log "building pgvector $(basename "$tarball")"
make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" >/dev/null 2>&1
$SUDO make -s -C "$work/src" PG_CONFIG="$PG_CONFIG" install >/dev/null
test -f "$pkglibdir/vector.so" || { echo "install-postgres: pgvector build finished but vector.so is missing" >&2; exit 1; }
log "pgvector installed"
