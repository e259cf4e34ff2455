#!/usr/bin/env bash
# Runs schemathesis against a running Frontdesk, once per backend: the already-built debug
# binary (target/debug/frontdesk) serves a fresh database with the demo workspace and an admin
# API token, and schemathesis fuzzes /api/v1 from /api/openapi.json, failing on any 5xx and on
# any response that does not match the document (and on any error the server logs).
#
#   .ci/schemathesis.sh [sqlite] [postgres]     (both when none is named)
#
# Needs schemathesis for python3 (.ci/run installs it) and, for PostgreSQL, a server on
# $PG_HOST:$PG_PORT on which $PG_USER may create databases. Logs: target/ci/schemathesis-*.
#
# Generated input can hold URLs (outgoing webhooks, an AI provider's base URL) that the server
# would call, so the server and schemathesis run in a network namespace of their own that has
# only loopback (as root, `unshare --net`). PostgreSQL is reached from there through a Unix
# socket in the run's folder that a small relay outside forwards to $PG_HOST:$PG_PORT.
set -euo pipefail
SELF="$(cd "$(dirname "$0")" && pwd)/$(basename "$0")"
cd "$(dirname "$SELF")/.."

BIN="$PWD/target/debug/frontdesk"
PG_HOST="${PG_HOST:-127.0.0.1}"
PG_PORT="${PG_PORT:-5432}"
PG_USER="${PG_USER:-postgres}"
# Per backend, the whole run stays under 90 s.
ST_MAX_TIME="${ST_MAX_TIME:-75}"
ST_MAX_EXAMPLES="${ST_MAX_EXAMPLES:-25}"
LOG_DIR="$PWD/target/ci"
mkdir -p "$LOG_DIR"

# ---- inside the namespace: `schemathesis.sh --inside BACKEND WORK DATABASE_URL` ----
inside() {
  local backend="$1" work="$2" db="$3"
  if [ -n "${FRONTDESK_ST_NETNS:-}" ]; then
    ip link set lo up
  fi
  # Its command through python3 itself, whatever directory pip put the script in (st.py: the
  # CLI with a workaround for a CPython 3.11 bug that hypothesis can hit).
  local st=(python3 "$(dirname "$SELF")/st.py")
  local port url
  port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
  url="http://127.0.0.1:$port"
  export FRONTDESK__DATABASE__URL="$db"
  export FRONTDESK__DATA_DIR="$work"
  export FRONTDESK__SERVER__BIND="127.0.0.1:$port"
  export FRONTDESK__SERVER__BASE_URL="$url"
  export FRONTDESK__LOG__LEVEL=warn
  local log="$LOG_DIR/schemathesis-$backend-server.log"

  # The demo workspace (a web chat channel, contacts and threads) and an admin token for it.
  "$BIN" serve --demo >"$log" 2>&1 &
  local server=$!
  # shellcheck disable=SC2064
  trap "kill $server 2>/dev/null || true; wait $server 2>/dev/null || true" EXIT
  for _ in $(seq 1 150); do
    curl -fsS "$url/readyz" >/dev/null 2>&1 && grep -q "The inbox:" "$log" && break
    kill -0 "$server" 2>/dev/null || { cat "$log"; echo "the server stopped" >&2; return 1; }
    sleep 0.2
  done
  curl -fsS "$url/readyz" >/dev/null
  local ws token
  ws=$(sed -n 's|.*/w/\([^/]*\)/inbox.*|\1|p' "$log" | head -n 1)
  [ -n "$ws" ] || { cat "$log"; echo "no demo workspace" >&2; return 1; }
  token=$("$BIN" admin create-api-token --workspace "$ws" --name schemathesis --role admin)

  # Routes with ids in their path get ones that exist (the demo's thread, channel and contact,
  # a saved reply and a draft made here), so the run reaches past the 404s; the workspace
  # routes get the token's own workspace.
  python3 - "$url" "$token" "$ws" >"$work/schemathesis.toml" <<'PY'
import json, sys, urllib.request
url, token, ws = sys.argv[1:]
def api(method, path, body=None):
    data = None if body is None else json.dumps(body).encode()
    headers = {"authorization": "Bearer " + token, "content-type": "application/json"}
    with urllib.request.urlopen(urllib.request.Request(url + path, data, headers, method=method), timeout=10) as r:
        return json.load(r)
thread = api("GET", "/api/v1/threads")["threads"][0]
saved = api("POST", "/api/v1/saved-replies", {"shortcut": "hello", "body": "Hello {{first_name}}!"})
draft = api("POST", f"/api/v1/threads/{thread['id']}/drafts")
ids = {
    "threads": thread["id"],
    "channels": thread["channel_id"],
    "contacts": thread["contact"]["id"],
    "saved-replies": saved["id"],
    "drafts": draft["id"],
}
# The demo's payments taken at the desk (refunds of them need no provider).
payments = api("GET", "/api/v1/payments")["payments"]
if payments:
    ids["payments"] = payments[0]["id"]
print(f'[parameters]\n"path.ws" = {json.dumps(ws)}\n')
for kind, id in ids.items():
    regex = "^/api/v1/" + kind + "/\\{id\\}"
    print(f'[[operations]]\ninclude-path-regex = {json.dumps(regex)}\nparameters = {{ "path.id" = {json.dumps(id)} }}\n')
PY

  echo "-- $backend: $url, workspace $ws"
  local rc=0
  # Left out: the operator's routes and the person-only ones (sessions, creating a workspace,
  # notification preferences: a token only gets 401/403/422 there), and revoking API tokens
  # (the run's own).
  # From the run's folder: schemathesis keeps a cache (.schemathesis/) where it runs.
  (cd "$work" && "${st[@]}" --config-file "$work/schemathesis.toml" run "$url/api/openapi.json" \
    --url "$url" \
    --header "Authorization: Bearer $token" \
    --checks not_a_server_error,response_schema_conformance \
    --include-path-regex '^/api/v1/' \
    --exclude-path-regex '^/api/v1/(admin/|sessions|me/notifications)' \
    --exclude-name 'POST /api/v1/workspaces' \
    --exclude-name 'DELETE /api/v1/workspaces/{ws}/api-tokens/{id}' \
    --max-examples "$ST_MAX_EXAMPLES" \
    --max-time "$ST_MAX_TIME" \
    --request-timeout 10 \
    --workers 2 \
    --seed "${ST_SEED:-$RANDOM}" \
    --no-color) \
    2>&1 | tee "$LOG_DIR/schemathesis-$backend.log" || rc=$?
  kill "$server" 2>/dev/null || true
  wait "$server" 2>/dev/null || true
  trap - EXIT
  if grep -q '"level":"ERROR"' "$log"; then
    echo "-- $backend: the server logged errors:" >&2
    grep '"level":"ERROR"' "$log" | head -n 20 >&2
    rc=1
  fi
  return "$rc"
}

if [ "${1:-}" = "--inside" ]; then
  shift
  inside "$@"
  exit $?
fi

# ---- outside: one fresh database and namespace per backend ----
[ -x "$BIN" ] || { echo "$BIN is missing: cargo build -p frontdesk-server --bin frontdesk" >&2; exit 2; }
python3 -c 'import schemathesis' 2>/dev/null || { echo "schemathesis is not installed for python3" >&2; exit 2; }
ISOLATE=0
if command -v ip >/dev/null && unshare --net true 2>/dev/null; then
  ISOLATE=1
else
  echo "warning: cannot make a network namespace (unshare --net needs root); the server keeps the host's network" >&2
fi

backends=("$@")
[ ${#backends[@]} -gt 0 ] || backends=(sqlite postgres)

WORK=""
PG_DB=""
RELAY=""
cleanup() {
  if [ -n "$RELAY" ]; then
    kill "$RELAY" 2>/dev/null || true
    wait "$RELAY" 2>/dev/null || true
    RELAY=""
  fi
  if [ -n "$PG_DB" ]; then
    dropdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" --if-exists "$PG_DB" || true
    PG_DB=""
  fi
  if [ -n "$WORK" ]; then
    rm -rf "$WORK"
    WORK=""
  fi
}
trap cleanup EXIT

# Forwards connections to the Unix socket $1 to $2:$3 (PostgreSQL then sees a loopback client).
RELAY_PY='
import asyncio, sys
path, host, port = sys.argv[1], sys.argv[2], int(sys.argv[3])
async def pipe(r, w):
    try:
        while data := await r.read(65536):
            w.write(data)
            await w.drain()
    finally:
        w.close()
async def handle(r1, w1):
    try:
        r2, w2 = await asyncio.open_connection(host, port)
    except OSError:
        w1.close()
        return
    await asyncio.gather(pipe(r1, w2), pipe(r2, w1), return_exceptions=True)
async def main():
    async with await asyncio.start_unix_server(handle, path) as server:
        await server.serve_forever()
asyncio.run(main())
'

run_backend() {
  local backend="$1" started db
  started=$(date +%s)
  WORK=$(mktemp -d "${TMPDIR:-/tmp}/frontdesk-schemathesis.XXXXXX")
  case "$backend" in
    sqlite) db="sqlite://$WORK/frontdesk.db" ;;
    postgres)
      PG_DB="frontdesk_schemathesis_$$_$RANDOM"
      createdb -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" "$PG_DB"
      if [ "$ISOLATE" = 1 ]; then
        mkdir "$WORK/pg"
        python3 -c "$RELAY_PY" "$WORK/pg/.s.PGSQL.$PG_PORT" "$PG_HOST" "$PG_PORT" &
        RELAY=$!
        for _ in $(seq 1 50); do [ -S "$WORK/pg/.s.PGSQL.$PG_PORT" ] && break; sleep 0.1; done
        db="postgres://$PG_USER@localhost:$PG_PORT/$PG_DB?host=$WORK/pg"
      else
        db="postgres://$PG_USER@$PG_HOST:$PG_PORT/$PG_DB"
      fi
      ;;
    *) echo "unknown backend $backend (sqlite or postgres)" >&2; return 2 ;;
  esac
  local rc=0
  if [ "$ISOLATE" = 1 ]; then
    FRONTDESK_ST_NETNS=1 unshare --net bash "$SELF" --inside "$backend" "$WORK" "$db" || rc=$?
  else
    bash "$SELF" --inside "$backend" "$WORK" "$db" || rc=$?
  fi
  cleanup
  echo "-- $backend: schemathesis $([ "$rc" -eq 0 ] && echo passed || echo FAILED) in $(($(date +%s) - started))s"
  return "$rc"
}

# Not `run_backend || …`: that would switch `set -e` off inside it.
for b in "${backends[@]}"; do
  run_backend "$b"
done
