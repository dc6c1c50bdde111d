#!/usr/bin/env bash
# The first stage of `make test`: set up the system prerequisites the tests need, or stop within
# seconds with the exact command to run. Never minutes of checks and then a missing prerequisite.
#
#   - Debian's Chromium at /usr/bin/chromium (the browser e2e/conftest.py drives). Installed
#     here when running as root on Debian; otherwise the command to install it is printed.
#   - PostgreSQL reachable at $POSTGRES_URL (the unit tests run on it as well as on SQLite).
#   - The Python that builds .venv, when .venv is not built yet.
#   - Node.js 20 or later with npm: the single sign-on tests start a real OpenID Connect provider
#     (oidc-provider, installed by `make venv` from its package-lock.json).
set -euo pipefail

POSTGRES_URL=${POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/test}
PYTHON=${PYTHON:-python3.11}
VENV=${VENV:-.venv}
CHROMIUM=/usr/bin/chromium

# fail HEADING [PROSE...] "" [COMMAND...]: the heading and prose, then the commands indented.
fail() {
  printf '\npreflight: %s\n' "$1" >&2
  shift
  while [ $# -gt 0 ] && [ -n "$1" ]; do printf '%s\n' "$1" >&2; shift; done
  for line in "$@"; do
    if [ -n "$line" ]; then printf '    %s\n' "$line" >&2; else printf '\n' >&2; fi
  done
  printf '\n' >&2
  exit 1
}

as_root() { [ "$(id -u)" -eq 0 ]; }
sudo_prefix() { as_root || printf 'sudo '; }
on_debian() { [ -f /etc/debian_version ] && command -v apt-get >/dev/null 2>&1; }

# --- Python, only needed to build .venv --------------------------------------------------------
if [ ! -x "$VENV/bin/python" ] && ! command -v "$PYTHON" >/dev/null 2>&1; then
  if on_debian; then
    fail "$PYTHON is needed to build $VENV. Install it with:" "" \
      "$(sudo_prefix)apt-get install -y python3.11 python3.11-venv"
  fi
  fail "$PYTHON is needed to build $VENV. Install Python 3.11, or name another one:" "" \
    "make test PYTHON=/path/to/python3.11"
fi

# --- Node.js, for the OpenID Connect provider the single sign-on tests start -------------------
node_major=$(node --version 2>/dev/null | sed -E 's/^v([0-9]+).*/\1/' || true)
if ! command -v npm >/dev/null 2>&1 || [ -z "$node_major" ] || [ "$node_major" -lt 20 ]; then
  fail "the single sign-on tests need Node.js 20 or later with npm (found: ${node_major:+v$node_major}${node_major:-none})." \
    "Install Node.js 20 LTS or later from https://nodejs.org or your distribution's packages, for example:" "" \
    "$(sudo_prefix)apt-get install -y nodejs npm   # Debian 13 or later; Debian 12's Node.js is too old"
fi
echo "preflight: Node.js v$node_major"

# --- Chromium ----------------------------------------------------------------------------------
if [ ! -x "$CHROMIUM" ]; then
  if on_debian && as_root; then
    echo "preflight: installing Debian's Chromium (apt-get install chromium)"
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq chromium >/dev/null; }; then
      fail "installing Chromium failed (see above). Try it yourself:" "" \
        "apt-get update && apt-get install -y chromium"
    fi
    [ -x "$CHROMIUM" ] || fail "apt-get installed chromium but $CHROMIUM is still missing."
  elif on_debian; then
    fail "the browser tests need Debian's Chromium at $CHROMIUM. Install it with:" "" \
      "sudo apt-get install -y chromium"
  else
    fail "the browser tests need Chromium at $CHROMIUM (see e2e/conftest.py). On Debian:" "" \
      "sudo apt-get install -y chromium"
  fi
fi
echo "preflight: Chromium $("$CHROMIUM" --version 2>/dev/null | grep -oE '[0-9][0-9.]+' | head -1)"

# --- PostgreSQL --------------------------------------------------------------------------------
# host and port from postgres://user:password@host:port/name (for the messages and the fallback).
address=${POSTGRES_URL#*://}
address=${address%%/*}
address=${address##*@}
pg_host=${address%%:*}
pg_port=5432
[ "$address" != "$pg_host" ] && pg_port=${address##*:}
[ -n "$pg_host" ] || pg_host=localhost

start_postgres_hint() {
  local version cluster
  version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1 || true)
  if [ -n "$version" ]; then
    cluster=$(ls "/etc/postgresql/$version" 2>/dev/null | head -n 1 || true)
    fail "PostgreSQL is not accepting connections at $pg_host:$pg_port ($POSTGRES_URL)." \
      "Start it (first command) or run the tests against another server (second):" "" \
      "$(sudo_prefix)pg_ctlcluster --skip-systemctl-redirect $version ${cluster:-main} start" \
      "make test POSTGRES_URL=postgres://user@host:port/dbname"
  fi
  fail "PostgreSQL is not accepting connections at $pg_host:$pg_port ($POSTGRES_URL)." \
    "Start your PostgreSQL server, or run the tests against another one:" "" \
    "make test POSTGRES_URL=postgres://user@host:port/dbname"
}

if command -v pg_isready >/dev/null 2>&1; then
  pg_isready -q -t 3 -d "$POSTGRES_URL" || start_postgres_hint
elif ! timeout 3 bash -c "exec 3<>/dev/tcp/$pg_host/$pg_port" 2>/dev/null; then
  start_postgres_hint
fi
# The server is up; can the tests sign in to it and open the database? (psql comes with the
# server on Debian; without it, `make unit-postgres` checks this again before its tests.)
if command -v psql >/dev/null 2>&1; then
  if ! error=$(PGCONNECT_TIMEOUT=5 psql -X -w -q -d "$POSTGRES_URL" -c 'select 1' 2>&1 >/dev/null); then
    fail "PostgreSQL is up at $pg_host:$pg_port but the tests cannot use $POSTGRES_URL:" \
      "$error" \
      "Create the database or fix the server's access rules, or point the tests elsewhere:" "" \
      "make test POSTGRES_URL=postgres://user:password@host:port/dbname"
  fi
fi
echo "preflight: PostgreSQL reachable at $pg_host:$pg_port"

# The backup round trip (pg_dump, pg_restore) and the test that stops a PostgreSQL of its own
# (initdb, pg_ctl) need the server's programs, of the server's major version. Debian's
# PostgreSQL packages put them in /usr/lib/postgresql/<major>/bin.
server_major=""
if command -v psql >/dev/null 2>&1; then
  server_major=$(PGCONNECT_TIMEOUT=5 psql -X -w -At -d "$POSTGRES_URL" -c 'show server_version_num' 2>/dev/null | cut -c1-2 || true)
fi
if [ -n "$server_major" ]; then
  missing=""
  for program in pg_dump pg_restore initdb pg_ctl; do
    [ -x "/usr/lib/postgresql/$server_major/bin/$program" ] || missing="$missing $program"
  done
  if [ -n "$missing" ]; then
    if on_debian && as_root; then
      echo "preflight: installing PostgreSQL $server_major's programs (missing:$missing)"
      export DEBIAN_FRONTEND=noninteractive
      apt-get update -qq && apt-get install -y -qq "postgresql-$server_major" "postgresql-client-$server_major" >/dev/null ||
        fail "installing PostgreSQL $server_major's programs failed (see above). Try it yourself:" "" \
          "apt-get install -y postgresql-$server_major postgresql-client-$server_major"
    else
      fail "the backup and database-outage tests need PostgreSQL $server_major's programs (missing:$missing). Install them with:" "" \
        "$(sudo_prefix)apt-get install -y postgresql-$server_major postgresql-client-$server_major"
    fi
  fi
  echo "preflight: PostgreSQL $server_major's programs (pg_dump, pg_restore, initdb, pg_ctl)"
fi
