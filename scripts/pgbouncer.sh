#!/usr/bin/env bash
# PgBouncer in front of the local PostgreSQL, for tests and benchmarks that run Yanxiu behind a pooler.
#
#   scripts/pgbouncer.sh start [session|transaction]   start it (default: session) and wait until it answers
#   scripts/pgbouncer.sh stop                          stop it and remove its directory
#   scripts/pgbouncer.sh status                        print its pools (admin console)
#
# PGBOUNCER_PORT (default 6432) is where it listens; the upstream is PGBOUNCER_UPSTREAM_PORT (default 5432) on
# 127.0.0.1. Every database name is forwarded (`* = …`), so the tests' fresh databases work through it. The
# configuration, socket, pid file and log live in a temporary directory owned by the `postgres` OS user, which runs
# it. Yanxiu runs correctly behind it in session mode; see docs/deployment.md for why transaction mode is not
# supported with PgBouncer 1.18.
set -euo pipefail

port="${PGBOUNCER_PORT:-6432}"
upstream_port="${PGBOUNCER_UPSTREAM_PORT:-5432}"
dir="${TMPDIR:-/tmp}/yanxiu-pgbouncer-${port}"
run_as=(runuser -u postgres --)
[ "$(id -un)" = postgres ] && run_as=()

need() {
  command -v "$1" >/dev/null 2>&1 || [ -x "/usr/sbin/$1" ] || {
    echo "pgbouncer.sh: $1 is not installed (Debian: apt-get install $2)" >&2
    exit 1
  }
}

start() {
  local mode="${1:-session}"
  case "$mode" in session | transaction) ;; *) echo "pool mode must be session or transaction" >&2; exit 2 ;; esac
  need pgbouncer pgbouncer
  need psql postgresql-client
  if [ -f "$dir/pgbouncer.pid" ] && kill -0 "$(cat "$dir/pgbouncer.pid")" 2>/dev/null; then
    echo "pgbouncer already runs on port $port ($dir)"
    return 0
  fi
  mkdir -p "$dir"
  # Trust authentication: the user names must still be listed.
  printf '"postgres" ""\n"root" ""\n' >"$dir/userlist.txt"
  cat >"$dir/pgbouncer.ini" <<EOF
[databases]
* = host=127.0.0.1 port=${upstream_port}

[pgbouncer]
listen_addr = 127.0.0.1
listen_port = ${port}
unix_socket_dir = ${dir}
pidfile = ${dir}/pgbouncer.pid
logfile = ${dir}/pgbouncer.log
auth_type = trust
auth_file = ${dir}/userlist.txt
admin_users = postgres
pool_mode = ${mode}
max_client_conn = 2000
default_pool_size = 40
max_db_connections = 60
server_reset_query = DISCARD ALL
; sqlx sends extra_float_digits at start-up; PgBouncer forwards only the parameters it tracks.
ignore_startup_parameters = extra_float_digits
EOF
  if [ ${#run_as[@]} -gt 0 ]; then chown -R postgres: "$dir"; fi
  "${run_as[@]}" pgbouncer -d "$dir/pgbouncer.ini"
  for _ in $(seq 1 50); do
    if psql -h 127.0.0.1 -p "$port" -U postgres -d pgbouncer -Atc 'SHOW VERSION' >/dev/null 2>&1; then
      echo "pgbouncer ($mode mode) on 127.0.0.1:$port -> 127.0.0.1:$upstream_port, directory $dir"
      return 0
    fi
    sleep 0.2
  done
  echo "pgbouncer did not start; its log:" >&2
  cat "$dir/pgbouncer.log" >&2 || true
  exit 1
}

stop() {
  if [ -f "$dir/pgbouncer.pid" ]; then
    local pid
    pid="$(cat "$dir/pgbouncer.pid")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  fi
  rm -rf "$dir"
}

case "${1:-}" in
  start) start "${2:-session}" ;;
  stop) stop ;;
  status) psql -h 127.0.0.1 -p "$port" -U postgres -d pgbouncer -c 'SHOW POOLS' ;;
  *) echo "usage: $0 start [session|transaction] | stop | status" >&2; exit 2 ;;
esac
