#!/usr/bin/env bash
# A throwaway PostgreSQL cluster for newsgraph's tests and benchmarks, on loopback.
#
#   scripts/pg_throwaway.sh start DIR   initialises a cluster in DIR (created when missing),
#                                       starts it on 127.0.0.1 on a free port, creates the
#                                       database `newsgraph` and prints its URL on stdout
#   scripts/pg_throwaway.sh createdb DIR NAME
#                                       creates another database there and prints its URL
#   scripts/pg_throwaway.sh stop DIR    stops it (remove DIR yourself)
#
# Needs PostgreSQL's server binaries (Debian: the `postgresql` package). initdb refuses to run
# as root, so as root the cluster is made and run by the `postgres` user (or `nobody`).
# Extra server settings can be given in PG_OPTS, e.g. PG_OPTS="-c fsync=off" for tests.
set -euo pipefail

cmd=${1:-}
dir=${2:-}
if [[ -z "$cmd" || -z "$dir" ]]; then
  echo "usage: $0 start|stop DIR | createdb DIR NAME" >&2
  exit 2
fi

bindir=""
if command -v pg_ctl >/dev/null 2>&1 && [[ -x "$(dirname "$(command -v pg_ctl)")/initdb" && -x "$(dirname "$(command -v pg_ctl)")/createdb" ]]; then
  bindir=$(dirname "$(command -v pg_ctl)")
else
  for d in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [[ -x "$d/pg_ctl" && -x "$d/initdb" && -x "$d/createdb" ]]; then
      bindir=$d
      break
    fi
  done
fi
if [[ -z "$bindir" ]]; then
  echo "pg_throwaway: no PostgreSQL server binaries (initdb, pg_ctl) found" >&2
  exit 1
fi

as_owner() {
  if [[ $(id -u) -eq 0 ]]; then
    local who=postgres
    id "$who" >/dev/null 2>&1 || who=nobody
    runuser -u "$who" -- "$@"
  else
    "$@"
  fi
}

case "$cmd" in
start)
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  if [[ $(id -u) -eq 0 ]]; then
    who=postgres
    id "$who" >/dev/null 2>&1 || who=nobody
    chown "$who" "$dir"
  fi
  # A free port: ask the kernel for one, then give it back to the server.
  port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])' 2>/dev/null ||
    echo $((20000 + RANDOM % 20000)))
  as_owner "$bindir/initdb" -D "$dir/data" -U newsgraph --auth=trust -E UTF8 --no-locale >"$dir/initdb.log" 2>&1 || {
    cat "$dir/initdb.log" >&2
    exit 1
  }
  as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w -t 60 \
    -o "-c listen_addresses=127.0.0.1 -p $port -k $dir -c max_connections=200 ${PG_OPTS:-}" start >/dev/null || {
    cat "$dir/server.log" >&2
    exit 1
  }
  as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U newsgraph newsgraph
  echo "$port" >"$dir/port"
  echo "postgres://newsgraph@127.0.0.1:$port/newsgraph"
  ;;
createdb)
  name=${3:?usage: $0 createdb DIR NAME}
  port=$(cat "$dir/port")
  as_owner "$bindir/createdb" -h 127.0.0.1 -p "$port" -U newsgraph "$name"
  echo "postgres://newsgraph@127.0.0.1:$port/$name"
  ;;
stop)
  if [[ -d "$dir/data" ]]; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  ;;
*)
  echo "usage: $0 start|stop DIR | createdb DIR NAME" >&2
  exit 2
  ;;
esac
