#!/bin/bash
# A throwaway PostgreSQL 15 cluster for the tests.
#
#   scripts/pgtmp.sh start      creates a cluster in a new temp directory, on a
#                               free loopback port with its unix socket in that
#                               directory, and prints two lines:
#                                 PGTMP_DIR=<dir>
#                                 PGTMP_URL=<libpq keyword string of database jinzai>
#   scripts/pgtmp.sh stop DIR   stops that cluster and removes DIR.
#   scripts/pgtmp.sh available  exits 0 when initdb and pg_ctl are installed.
#
# initdb refuses to run as root: as root the cluster belongs to the
# `postgres` account that Debian's postgresql-15 package creates.
#
# The cluster keeps the real clock and none of the caller's open files: under
# `make test-dates` the tests run in libfaketime, whose wrapper waits until
# every process holding its pipe has exited, so a server that inherited it
# would hold the run open.
set -eu
if [ -n "${LD_PRELOAD:-}${FAKETIME:-}" ]; then
  exec env -u LD_PRELOAD -u FAKETIME -u FAKETIME_SHARED -u FAKETIME_NO_CACHE "$0" "$@"
fi
for fd in /proc/$$/fd/*; do
  fd=${fd##*/}
  [ "$fd" -gt 2 ] 2>/dev/null && [ "$fd" != 255 ] && eval "exec $fd>&-"
done
BIN=${PG_BIN:-/usr/lib/postgresql/15/bin}

available() { [ -x "$BIN/initdb" ] && [ -x "$BIN/pg_ctl" ]; }

as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

free_port() {
  /usr/bin/python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

case "${1:-}" in
available)
  available
  ;;
start)
  available || { echo "pgtmp: PostgreSQL 15 is not installed ($BIN/initdb); scripts/deps.sh installs postgresql-15" >&2; exit 1; }
  dir=$(mktemp -d "${TMPDIR:-/tmp}/jinzai-pg.XXXXXX")
  chmod 755 "$dir"
  mkdir "$dir/data" "$dir/run"
  [ "$(id -u)" = 0 ] && chown postgres "$dir/data" "$dir/run"
  port=$(free_port)
  as_owner "$BIN/initdb" -D "$dir/data" -U jinzai --auth=trust --encoding=UTF8 --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
    { cat "$dir/initdb.log" >&2; rm -rf "$dir"; exit 1; }
  # Tests only: no fsync, small shared memory, enough connections for the
  # request tests' server threads.
  as_owner "$BIN/pg_ctl" -D "$dir/data" -l "$dir/run/server.log" -w -s \
    -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir/run -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 -c shared_buffers=32MB" \
    start >/dev/null 2>&1 || {
    cat "$dir/run/server.log" >&2
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w -s stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    exit 1
  }
  as_owner "$BIN/psql" -q -h "$dir/run" -p "$port" -U jinzai -d postgres -c "CREATE DATABASE jinzai" >/dev/null || {
    as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w -s stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    exit 1
  }
  echo "PGTMP_DIR=$dir"
  echo "PGTMP_URL='host=$dir/run port=$port user=jinzai dbname=jinzai'"
  ;;
stop)
  dir=${2:?usage: pgtmp.sh stop DIR}
  case "$dir" in */jinzai-pg.*) ;; *) echo "pgtmp: $dir is not a pgtmp directory" >&2; exit 1 ;; esac
  [ -d "$dir/data" ] && as_owner "$BIN/pg_ctl" -D "$dir/data" -m immediate -w -s stop >/dev/null 2>&1 || true
  rm -rf "$dir"
  ;;
*)
  echo "usage: scripts/pgtmp.sh start | stop DIR | available" >&2
  exit 2
  ;;
esac
