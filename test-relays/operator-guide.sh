#!/usr/bin/env bash
# Runs the operator guide's quick start as written: the shell blocks of docs/operator-guide.md marked
# <!-- quickstart -->, in one shell, as a new operator would, with RELAY set to the third-party relay from this
# folder (CodyTseng's nostr-relay), so every fedai process (wallet service, router, node, each client) meets the
# others only there, each role paying and paid over its own NWC connection. Then checks from outside:
#   - every request the guide makes was answered with a result (11 of 11, every payment timing);
#   - the wallet balances the guide prints add up: what the client lost is exactly what node and router gained.
# CI runs it from ./test-all after the Maven build.   test-relays/operator-guide.sh [--keep]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
. "$root/scripts/select-jdk.sh"
fedai_select_jdk
"$here/install.sh" > /dev/null
if [ ! -f "$root/target/fedai.jar" ]; then
  (cd "$root" && ./mvnw -q -B -ntp -DskipTests package)
fi

work=$(mktemp -d)
relay_pid=""
guide_pid=""
cleanup() {
  # only what this script started: the relay, and the guide's process group (its background roles)
  [ -n "$guide_pid" ] && kill -- "-$guide_pid" 2>/dev/null || true
  [ -n "$relay_pid" ] && kill "$relay_pid" 2>/dev/null || true
  [ "${1:-}" = --keep ] || rm -rf "$work"
}
trap 'cleanup "${KEEP:-}"' EXIT
[ "${1:-}" = --keep ] && KEEP=--keep && echo "operator-guide: keeping $work"

node "$here/relay.mjs" --port 0 --db "$work/relay.db" > "$work/relay.log" 2>&1 &
relay_pid=$!
url=""
for _ in $(seq 1 200); do
  url=$(sed -n 's/^listening \(ws:\/\/.*\)$/\1/p' "$work/relay.log" | head -n1)
  [ -n "$url" ] && break
  sleep 0.1
done
[ -n "$url" ] || { echo "operator-guide: the third-party relay did not start:"; cat "$work/relay.log"; exit 1; }

# the guide's blocks, in order, as one script
awk '/^<!-- quickstart -->$/ {take = 1; next}
     take && /^```sh$/ {inside = 1; next}
     inside && /^```$/ {inside = 0; take = 0; next}
     inside {print}' "$root/docs/operator-guide.md" > "$work/guide.sh"
blocks=$(grep -c '^<!-- quickstart -->$' "$root/docs/operator-guide.md")
[ "$blocks" -ge 2 ] || { echo "operator-guide: expected the quick start's blocks, found $blocks"; exit 1; }

mkdir -p "$work/home"
echo "operator-guide: running $blocks blocks of docs/operator-guide.md on $url (HOME=$work/home)"
(cd "$root" && HOME="$work/home" RELAY="$url" setsid bash -eu "$work/guide.sh" > "$work/out.txt" 2> "$work/err.txt") &
guide_pid=$!
status=0
wait "$guide_pid" || status=$?
guide_pid=""

fail() {
  echo "operator-guide: FAIL: $1"
  echo "--- stdout"; cat "$work/out.txt"
  echo "--- stderr (last 60 lines)"; tail -n 60 "$work/err.txt"
  exit 1
}
[ "$status" = 0 ] || fail "the guide's commands exited with $status"
results=$(grep -c '^result ' "$work/out.txt" || true)
failures=$(grep -c '^failed ' "$work/out.txt" || true)
[ "$results" = 11 ] && [ "$failures" = 0 ] || fail "$results of 11 requests answered, $failures failed"
mapfile -t balances < <(grep -E '^[0-9]+ msat$' "$work/out.txt" | awk '{print $1}')
[ "${#balances[@]}" = 3 ] || fail "expected three wallet balances, got ${#balances[@]}"
funded=100000000
router_gain=$(( balances[0] - funded )); node_gain=$(( balances[1] - funded )); client_loss=$(( funded - balances[2] ))
[ "$client_loss" -gt 0 ] && [ "$client_loss" = $(( router_gain + node_gain )) ] \
  || fail "balances do not add up: client lost $client_loss, node gained $node_gain, router $router_gain"
echo "operator-guide: 11 of 11 requests answered (before, after, hold, atomic, partial); the client paid $client_loss msat =" \
  "node $node_gain + router $router_gain"
