#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for the tests (issue 13), from Debian's `postgresql` package.
#   scripts/pg-cluster.sh start DIR   initdb into DIR (created; must not hold a cluster yet), start
#                                     the server on a free 127.0.0.1 port with its unix socket in
#                                     DIR, create database `sfkit`, print its connection URI
#                                     (postgresql://sfkit@127.0.0.1:PORT/sfkit) on stdout.
#                                     SFKIT_PG_FSYNC=on: durable (PostgreSQL's defaults);
#                                     SFKIT_PG_OPTIONS: more `-c name=value` server options.
#   scripts/pg-cluster.sh stop DIR    stop the server (immediate shutdown) and remove DIR.
# PostgreSQL refuses to run as root: as root, the cluster belongs to an unprivileged user
# (`nobody`, or SFKIT_PG_USER) and every command runs through runuser. Trust authentication on
# 127.0.0.1 and the socket only: the cluster is for one test run and dies with it.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [ -z "$cmd" ] || [ -z "$dir" ]; then
  echo "usage: $0 start|stop DIR" >&2
  exit 2
fi

bindir=""
for d in /usr/lib/postgresql/*/bin; do
  if [ -x "$d/initdb" ]; then bindir=$d; fi  # the newest installed version (glob sorts)
done
if [ -z "$bindir" ]; then
  echo "pg-cluster: PostgreSQL server binaries not found (apt-get install postgresql)" >&2
  exit 3
fi

as_owner() {
  if [ "$(id -u)" = 0 ]; then
    runuser -u "${SFKIT_PG_USER:-nobody}" -- "$@"
  else
    "$@"
  fi
}

free_port() {
  python3 - <<'PY' 2>/dev/null || echo $((20000 + RANDOM % 20000))
import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()
PY
}

case "$cmd" in
  start)
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd)
    if [ "$(id -u)" = 0 ]; then
      chown "${SFKIT_PG_USER:-nobody}" "$dir"
    fi
    chmod 700 "$dir"
    as_owner "$bindir/initdb" -D "$dir/data" -U sfkit --auth=trust --encoding=UTF8 \
      --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
      { cat "$dir/initdb.log" >&2; exit 1; }
    for attempt in 1 2 3 4 5; do
      port=$(free_port)
      # No fsync: the tests kill sfkit nodes, never this server, and a test cluster is thrown
      # away (an org's schema is ~100 DDL statements: with fsync each TestOrg took ~3.5 s).
      # SFKIT_PG_FSYNC=on keeps PostgreSQL's defaults (durable: the benchmarks use it, since
      # SQLite runs synchronous=FULL). SFKIT_PG_OPTIONS adds server options after ours
      # (`-c shared_buffers=1GB`; a later -c wins).
      durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
      if [ "${SFKIT_PG_FSYNC:-off}" = on ]; then durability=""; fi
      durability="$durability ${SFKIT_PG_OPTIONS:-}"
      if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 30 \
        -o "-p $port -c listen_addresses=127.0.0.1 -c unix_socket_directories=$dir -c max_connections=400 -c shared_buffers=32MB $durability" \
        start >/dev/null 2>&1; then
        echo "$port" >"$dir/port"
        as_owner "$bindir/createdb" -h "$dir" -p "$port" -U sfkit sfkit
        echo "postgresql://sfkit@127.0.0.1:$port/sfkit"
        exit 0
      fi
      sleep 0.2
      echo "pg-cluster: start on port $port failed (attempt $attempt)" >&2
    done
    cat "$dir/server.log" >&2 || true
    exit 1
    ;;
  stop)
    if [ -d "$dir/data" ]; then
      as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w stop >/dev/null 2>&1 || true
    fi
    rm -rf "$dir"
    ;;
  *)
    echo "usage: $0 start|stop DIR" >&2
    exit 2
    ;;
esac
