#!/usr/bin/env bash
# Install what the tests need (only what is missing), then run the whole pytest suite
# twice: on SQLite, then on a real PostgreSQL server.
#
#   bash scripts/test.sh [extra pytest arguments]
#
# PostgreSQL: TEST_DATABASE_URL (or DATABASE_URL if it is a postgres:// URL) names a
# server to use; otherwise a private throw-away cluster is started on a free loopback
# port with Debian's initdb/pg_ctl and removed on exit.
# DANGJIAN_TEST_WORKERS sets the pytest-xdist worker count (default 2, 0 = no xdist).
#
# Dates: DANGJIAN_TEST_TODAY=YYYY-MM-DD runs the suite as if that were today (tests/conftest.py). After the
# two full runs, the tests marked `dates` (periods, compliance, deadlines, the demo) run again on SQLite as of
# each of DANGJIAN_TEST_DATES (default: the eve of the National Day holiday and the first working day after it,
# 31 December, 1 January (the first day of a quarter too), 29 February); DANGJIAN_TEST_DATES="" skips them.
set -uo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/_common.sh"
cd "$REPO_ROOT"
started=$SECONDS

section "Setting up (Debian packages, Python venv, front-end assets)"
set -e
ensure_debian_packages chromium fonts-noto-cjk postgresql libpango-1.0-0 libpangoft2-1.0-0
ensure_venv
ensure_node_modules
set +e

WORK="$(mktemp -d -t dangjian-test.XXXXXX)"
PGDIR=""
PGBIN=""
AS_PG=()

cleanup() {
    if [ -n "$PGDIR" ] && [ -f "$PGDIR/data/postmaster.pid" ]; then
        echo "Stopping the private PostgreSQL cluster"
        (cd "$PGDIR" && "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -m fast -w stop >/dev/null 2>&1)
    fi
    [ -n "$PGDIR" ] && rm -rf "$PGDIR"
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    "$VENV/bin/python" -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# Start a private cluster; sets PG_URL.
start_private_postgres() {
    PGBIN="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)"
    [ -x "$PGBIN/initdb" ] || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin"
    PGDIR="$(mktemp -d -t dangjian-pg.XXXXXX)"
    if [ "$(id -u)" -eq 0 ]; then
        # initdb refuses to run as root: the cluster belongs to the postgres OS user.
        id postgres >/dev/null 2>&1 || die "no 'postgres' OS user to own the test cluster"
        chown postgres: "$PGDIR"
        AS_PG=(runuser -u postgres --)
    fi
    local port
    port="$(free_port)"
    echo "Starting a private PostgreSQL cluster ($("$PGBIN/postgres" --version)) in $PGDIR on 127.0.0.1:$port"
    (
        cd "$PGDIR" &&
            "${AS_PG[@]}" "$PGBIN/initdb" -D "$PGDIR/data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 \
                --no-sync >"$PGDIR/initdb.log" 2>&1 &&
            "${AS_PG[@]}" "$PGBIN/pg_ctl" -D "$PGDIR/data" -l "$PGDIR/server.log" -w -t 60 \
                -o "-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$PGDIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=60" \
                start >/dev/null &&
            "${AS_PG[@]}" "$PGBIN/createdb" -h 127.0.0.1 -p "$port" -U postgres dangjian
    ) || {
        cat "$PGDIR/initdb.log" "$PGDIR/server.log" 2>/dev/null | tail -n 30 >&2
        die "could not start the private PostgreSQL cluster"
    }
    PG_URL="postgres://postgres@127.0.0.1:$port/dangjian"
}

if [ -z "${DANGJIAN_TEST_WORKERS:-}" ]; then
    DANGJIAN_TEST_WORKERS=2
fi
XDIST=()
if [ "$DANGJIAN_TEST_WORKERS" != "0" ]; then
    XDIST=(-n "$DANGJIAN_TEST_WORKERS")
fi

# run_pytest LABEL [env assignments...] -- [pytest args...]: prints the result; returns pytest's code,
# with 5 (no test collected) counted as a success.
run_pytest() {
    local label="$1"
    shift
    local envs=()
    while [ "$1" != "--" ]; do
        envs+=("$1")
        shift
    done
    shift
    local t0=$SECONDS code
    env "${envs[@]}" "$VENV/bin/python" -m pytest --durations=10 "$@"
    code=$?
    if [ "$code" -eq 5 ]; then
        echo "($label: no test selected)"
        code=0
    fi
    echo "($label: pytest exit code $code after $((SECONDS - t0)) s)"
    return "$code"
}

# Each run gets its own data dir (generated secrets, SQLite files, uploads, screenshots stay in the repo).
sqlite_env=(-u DATABASE_URL "DANGJIAN_DATA_DIR=$WORK/data-sqlite" CI="${CI:-}")

section "Tests on SQLite"
run_pytest "SQLite" "${sqlite_env[@]}" -- "${XDIST[@]}" "$@"
sqlite_code=$?

section "Tests on PostgreSQL"
PG_URL="${TEST_DATABASE_URL:-}"
if [ -z "$PG_URL" ] && [[ "${DATABASE_URL:-}" == postgres* ]]; then
    PG_URL="$DATABASE_URL"
fi
if [ -z "$PG_URL" ]; then
    start_private_postgres
else
    echo "Using the PostgreSQL server given by TEST_DATABASE_URL/DATABASE_URL"
fi
pg_env=("DATABASE_URL=$PG_URL" "DANGJIAN_DATA_DIR=$WORK/data-pg" CI="${CI:-}")
run_pytest "PostgreSQL" "${pg_env[@]}" -- "${XDIST[@]}" "$@"
pg_code=$?

# 1 January is also the first day of a quarter; 30 September and 8 October the eve of the National Day holiday
# and the first working day after it.
HARD_DATES="${DANGJIAN_TEST_DATES-2027-09-30 2027-10-08 2027-12-31 2028-01-01 2028-02-29}"
dates_code=0
dates_failed=()
for day in $HARD_DATES; do
    section "Date-sensitive tests as of $day (SQLite)"
    run_pytest "as of $day" -u DATABASE_URL "DANGJIAN_DATA_DIR=$WORK/data-$day" CI="${CI:-}" \
        "DANGJIAN_TEST_TODAY=$day" -- "${XDIST[@]}" -m dates "$@"
    code=$?
    if [ "$code" -ne 0 ]; then
        dates_code=1
        dates_failed+=("$day")
    fi
done

section "Summary"
result() { if [ "$1" -eq 0 ]; then echo "passed"; else echo "FAILED (exit code $1)"; fi; }
echo "SQLite:     $(result "$sqlite_code")"
echo "PostgreSQL: $(result "$pg_code")"
if [ -n "$HARD_DATES" ]; then
    if [ "$dates_code" -eq 0 ]; then
        echo "Dates:      passed as of $HARD_DATES"
    else
        echo "Dates:      FAILED as of ${dates_failed[*]}"
    fi
fi
echo "Total time: $((SECONDS - started)) s"
if [ "$sqlite_code" -ne 0 ] || [ "$pg_code" -ne 0 ] || [ "$dates_code" -ne 0 ]; then
    exit 1
fi
exit 0
