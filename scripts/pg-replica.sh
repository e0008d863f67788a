#!/usr/bin/env bash
# A PostgreSQL primary and its streaming replica of their own, for the read-replica tests:
#   scripts/pg-replica.sh start   # initdb a primary, pg_basebackup -R a hot standby, start both; prints the URLs
#   scripts/pg-replica.sh stop    # stops both and removes their directory
#   scripts/pg-replica.sh env     # prints the export lines again
# The pair lives in $YANXIU_PG_REPLICA_DIR (default /tmp/yanxiu-pg-replica) on ports $YANXIU_PG_PRIMARY_PORT (5441)
# and $YANXIU_PG_REPLICA_PORT (5442), listening on 127.0.0.1 with trust authentication, and runs as the `postgres`
# OS user (the server refuses root). `start` writes the URLs to $dir/env for `source`:
#   YANXIU_TEST_PG_PRIMARY_URL=postgres://postgres@127.0.0.1:5441/postgres
#   YANXIU_TEST_PG_REPLICA_URL=postgres://postgres@127.0.0.1:5442/postgres
set -euo pipefail

dir="${YANXIU_PG_REPLICA_DIR:-${TMPDIR:-/tmp}/yanxiu-pg-replica}"
primary_port="${YANXIU_PG_PRIMARY_PORT:-5441}"
replica_port="${YANXIU_PG_REPLICA_PORT:-5442}"

bin="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1 || true)"
if [ -z "$bin" ] || [ ! -x "$bin/initdb" ]; then
    echo "pg-replica: no PostgreSQL server binaries under /usr/lib/postgresql/*/bin (apt-get install postgresql)" >&2
    exit 1
fi

# Run a server tool as the postgres OS user.
as_postgres() {
    if [ "$(id -un)" = postgres ]; then
        "$@"
    else
        runuser -u postgres -- "$@"
    fi
}

running() { [ -f "$1/postmaster.pid" ] && as_postgres "$bin/pg_ctl" -D "$1" status >/dev/null 2>&1; }

print_env() {
    cat "$dir/env"
}

stop() {
    for node in replica primary; do
        if running "$dir/$node"; then
            as_postgres "$bin/pg_ctl" -D "$dir/$node" -m fast -w stop >/dev/null
        fi
    done
    rm -rf "$dir"
    echo "pg-replica: stopped"
}

start() {
    if running "$dir/primary" && running "$dir/replica"; then
        echo "pg-replica: already running" >&2
        print_env
        return
    fi
    stop >/dev/null
    mkdir -p "$dir"
    chown postgres: "$dir" 2>/dev/null || true
    chmod 700 "$dir"

    as_postgres "$bin/initdb" -D "$dir/primary" -U postgres -A trust --no-sync >"$dir/initdb.log"
    cat >>"$dir/primary/postgresql.conf" <<EOF
port = $primary_port
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
wal_level = replica
max_wal_senders = 10
hot_standby = on
# A test pair: durability is not the point, speed is.
fsync = off
synchronous_commit = off
full_page_writes = off
EOF
    cat >>"$dir/primary/pg_hba.conf" <<EOF
host replication all 127.0.0.1/32 trust
host all all 127.0.0.1/32 trust
EOF
    as_postgres "$bin/pg_ctl" -D "$dir/primary" -l "$dir/primary.log" -w start >/dev/null

    # -R writes standby.signal and primary_conninfo: the copy starts as a streaming hot standby.
    as_postgres "$bin/pg_basebackup" -h 127.0.0.1 -p "$primary_port" -U postgres -D "$dir/replica" -R -X stream \
        --no-sync >"$dir/basebackup.log" 2>&1
    echo "port = $replica_port" >>"$dir/replica/postgresql.conf"
    as_postgres "$bin/pg_ctl" -D "$dir/replica" -l "$dir/replica.log" -w start >/dev/null

    # The pair is ready when the primary sees its standby streaming.
    for _ in $(seq 1 60); do
        state=$(as_postgres "$bin/psql" -h 127.0.0.1 -p "$primary_port" -U postgres -d postgres -Atc \
            "SELECT state FROM pg_stat_replication LIMIT 1" 2>/dev/null || true)
        [ "$state" = streaming ] && break
        sleep 0.5
    done
    if [ "${state:-}" != streaming ]; then
        echo "pg-replica: the replica is not streaming; see $dir/primary.log and $dir/replica.log" >&2
        exit 1
    fi

    cat >"$dir/env" <<EOF
export YANXIU_TEST_PG_PRIMARY_URL=postgres://postgres@127.0.0.1:$primary_port/postgres
export YANXIU_TEST_PG_REPLICA_URL=postgres://postgres@127.0.0.1:$replica_port/postgres
EOF
    chmod 644 "$dir/env"
    echo "pg-replica: primary on $primary_port, streaming replica on $replica_port (source $dir/env)" >&2
    print_env
}

case "${1:-}" in
    start) start ;;
    stop) stop ;;
    env) print_env ;;
    *)
        echo "usage: $0 start|stop|env" >&2
        exit 2
        ;;
esac
