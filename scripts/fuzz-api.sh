#!/usr/bin/env bash
# Schema-driven fuzzing of the API contract: starts the built server on a fresh SQLite data folder, signs in as the
# province administrator and as a county administrator, and lets schemathesis generate requests for every operation
# of /api/openapi.json with three checks — no server error, responses that match their declared schema, and the
# declared content type. Any failure fails the run. Prints one `fuzz: N passed, N failed` line.
#
#   scripts/fuzz-api.sh [path/to/yanxiu]      (default target/debug/yanxiu; YANXIU_FUZZ_EXAMPLES sets the depth)
set -uo pipefail
cd "$(dirname "$0")/.."

binary="${1:-target/debug/yanxiu}"
examples="${YANXIU_FUZZ_EXAMPLES:-10}"
st="$(command -v schemathesis || command -v st || true)"
if [ -z "$st" ]; then
  echo "schemathesis is not installed (python3 -m pip install schemathesis)" >&2
  echo "fuzz: 0 passed, 1 failed"
  exit 1
fi

work="$(mktemp -d)"
admin_password='Fuzz#Admin2024'
demo_password='Fuzz#Demo2024'
server=
stop_server() { [ -n "$server" ] && kill "$server" 2>/dev/null && wait "$server" 2>/dev/null; server=; }
trap 'stop_server; rm -rf "$work"' EXIT

# One fresh server per role, filled with the demo data (two cities of schools, teachers and accounts), so one
# role's destructive requests (deactivating an account, say) cannot hide the other role's findings.
start_server() {
  local dir="$work/$1" port=$((20000 + RANDOM % 20000))
  base="http://127.0.0.1:${port}"
  export YANXIU_DATA_DIR="$dir/data" YANXIU_BIND="127.0.0.1:${port}" YANXIU_ADMIN_PASSWORD="$admin_password" \
    YANXIU_PUBLIC_URL="$base" YANXIU_LOG=warn YANXIU_STATIC_DIR="$dir/no-spa" YANXIU_DEMO_PASSWORD="$demo_password" \
    YANXIU_LOGIN_RATE_PER_MINUTE=100000 YANXIU_ACCESS_TOKEN_MINUTES=240 \
    YANXIU_MFA_REQUIRED_ROLES= YANXIU_PASSWORD_CHANGE_AT_FIRST_SIGN_IN=false
  # Test settings: the administrators sign in with a password alone (no second factor required, no forced change
  # for the accounts the fuzzing creates).
  unset YANXIU_DATABASE_URL DATABASE_URL YANXIU_CONFIG
  mkdir -p "$dir"
  "$binary" demo-data >"$dir/demo.log" 2>&1 || { cat "$dir/demo.log" >&2; return 1; }
  "$binary" serve >"$dir/server.log" 2>&1 &
  server=$!
  for _ in $(seq 1 120); do
    curl -fs "$base/api/health" >/dev/null 2>&1 && return 0
    sleep 0.5
  done
  echo "the server did not start:" >&2; cat "$dir/server.log" >&2
  return 1
}

login() {
  curl -fs -H 'content-type: application/json' -d "{\"username\":\"$1\",\"password\":\"$2\"}" \
    "$base/api/auth/login" | python3 -c "import json,sys; print(json.load(sys.stdin)['access_token'])"
}

passed=0
failed=0
# Signing out, changing the caller's own password and ending a session by its id are left out: they can end the
# fuzzing session itself and would turn every later request into a 401, hiding real findings (their own tests
# cover them).
for role in province_admin county_admin; do
  echo "== schemathesis as ${role}"
  if ! start_server "$role"; then failed=$((failed + 1)); continue; fi
  if [ "$role" = province_admin ]; then token="$(login admin "$admin_password")"
  else token="$(login jinjiang_admin "$demo_password")"; fi
  if [ -z "$token" ]; then
    echo "could not sign in as ${role}" >&2; failed=$((failed + 1)); stop_server; continue
  fi
  "$st" run "$base/api/openapi.json" \
    --url "$base" \
    --checks not_a_server_error,response_schema_conformance,content_type_conformance \
    --header "Authorization: Bearer ${token}" \
    --max-examples "$examples" \
    --exclude-operation-id logout --exclude-operation-id changePassword --exclude-operation-id endSession \
    --seed 20261206 --workers 2 \
    --no-color 2>&1 | tee "$work/st-${role}.log"
  status=${PIPESTATUS[0]}
  if ! kill -0 "$server" 2>/dev/null; then
    echo "the server died while fuzzing as ${role}:" >&2; tail -50 "$work/$role/server.log" >&2
    status=1
  fi
  stop_server
  # Count test cases: the generated ones that passed, and the unique failures plus errored operations.
  read -r ok bad < <(python3 - "$work/st-${role}.log" <<'PY'
import re, sys
text = open(sys.argv[1], encoding="utf-8", errors="replace").read()
m = re.search(r"(\d+) generated, (.*)", text)
generated = int(m.group(1)) if m else 0
rest = m.group(2) if m else ""
unique = re.search(r"(\d+) unique failure", rest)
errored = re.search(r"(\d+) errored", rest)
bad = (int(unique.group(1)) if unique else 0) + (int(errored.group(1)) if errored else 0)
print(max(generated - bad, 0), bad)
PY
  )
  if [ "$status" -ne 0 ] && [ "${bad:-0}" -eq 0 ]; then bad=1; fi
  passed=$((passed + ${ok:-0})); failed=$((failed + ${bad:-1}))
done

echo "fuzz: ${passed} passed, ${failed} failed"
[ "$failed" -eq 0 ]
