# Starts a throw-away PostgreSQL server for the tests and exports TEST_DATABASE_URL. Source it:
#   source .ci/startPostgres.sh && npm test
# The server is Debian's `postgresql` package, installed when missing (CI machines start without it).
# PostgreSQL refuses to run as root, so as root the cluster belongs to the `postgres` user the package
# creates. The data lives in a temporary folder, with fsync off: nothing here needs to survive a crash.
# An EXIT trap stops the server and removes the folder, so call it from a script, not your login shell,
# or run stop_test_postgres yourself.

pg_bin_dir() {
  local dir
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
    if [ -x "$dir/postgres" ]; then
      echo "$dir"
      return 0
    fi
  done
  return 1
}

if ! pg_bin_dir >/dev/null; then
  echo "startPostgres: installing Debian's postgresql package" >&2
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null
fi
PG_BIN="$(pg_bin_dir)" || { echo "startPostgres: no PostgreSQL server binaries after installing" >&2; return 1 2>/dev/null || exit 1; }

TEST_PG_DIR="$(mktemp -d /tmp/storybot-pg.XXXXXX)"
if [ "$(id -u)" = 0 ]; then
  chown postgres: "$TEST_PG_DIR"
  as_pg() { runuser -u postgres -- "$@"; }
else
  as_pg() { "$@"; }
fi

# A free port on the loopback interface, chosen by the kernel.
TEST_PG_PORT="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"

as_pg "$PG_BIN/initdb" -D "$TEST_PG_DIR/data" -U storybot --auth=trust -E UTF8 --no-locale >"$TEST_PG_DIR/initdb.log" 2>&1 ||
  { cat "$TEST_PG_DIR/initdb.log" >&2; return 1 2>/dev/null || exit 1; }
as_pg "$PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -l "$TEST_PG_DIR/server.log" -w -t 60 \
  -o "-c listen_addresses=127.0.0.1 -p $TEST_PG_PORT -k $TEST_PG_DIR -c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=300" \
  start >/dev/null ||
  { cat "$TEST_PG_DIR/server.log" >&2; return 1 2>/dev/null || exit 1; }

stop_test_postgres() {
  as_pg "$PG_BIN/pg_ctl" -D "$TEST_PG_DIR/data" -m immediate stop >/dev/null 2>&1 || true
  rm -rf "$TEST_PG_DIR"
}
trap stop_test_postgres EXIT

# Tests create (and drop) one database each through this administrative connection.
export TEST_DATABASE_URL="postgres://storybot@127.0.0.1:$TEST_PG_PORT/postgres"
echo "startPostgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on port $TEST_PG_PORT" >&2
