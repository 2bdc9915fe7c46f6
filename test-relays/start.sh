#!/usr/bin/env bash
# Starts the third-party relay (relay.mjs) in the background on 127.0.0.1.
#   test-relays/start.sh [PORT]     PORT defaults to $RELAY_PORT, else 7447; 0 picks a free port.
# Writes the PID to test-relays/.run/relay.pid, the URL to .run/relay.url, the log to .run/relay.log, and
# prints the URL once the relay accepts connections. Stop it with test-relays/stop.sh.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"
port=${1:-${RELAY_PORT:-7447}}
deadline_s=${RELAY_START_TIMEOUT:-20}
run=.run
mkdir -p "$run"

if [ ! -d node_modules/@nostr-relay/core ]; then
  echo "test-relays/start.sh: not installed; run test-relays/install.sh first" >&2
  exit 1
fi
if [ -f "$run/relay.pid" ] && kill -0 "$(cat "$run/relay.pid")" 2>/dev/null; then
  echo "test-relays/start.sh: already running as PID $(cat "$run/relay.pid") at $(cat "$run/relay.url" 2>/dev/null)" >&2
  exit 1
fi
rm -f "$run/relay.pid" "$run/relay.url"

# The relay prints `listening ws://127.0.0.1:PORT` on stdout once its socket is bound; the log keeps both streams.
nohup node relay.mjs --port "$port" --db "${RELAY_DB:-$here/$run/relay.db}" >"$run/relay.log" 2>&1 </dev/null &
pid=$!
echo "$pid" > "$run/relay.pid"

end=$(( $(date +%s) + deadline_s ))
url=""
while [ -z "$url" ]; do
  if ! kill -0 "$pid" 2>/dev/null; then
    echo "test-relays/start.sh: relay exited during start-up; log:" >&2
    cat "$run/relay.log" >&2
    rm -f "$run/relay.pid"
    exit 1
  fi
  if [ "$(date +%s)" -ge "$end" ]; then
    echo "test-relays/start.sh: relay not listening after ${deadline_s}s; stopping PID $pid; log:" >&2
    cat "$run/relay.log" >&2
    kill "$pid" 2>/dev/null || true
    rm -f "$run/relay.pid"
    exit 1
  fi
  url=$(sed -n 's/^listening \(ws:\/\/.*\)$/\1/p' "$run/relay.log" | head -n1)
  [ -n "$url" ] || sleep 0.1
done
echo "$url" > "$run/relay.url"
echo "test-relays/start.sh: relay PID $pid listening on $url (log: $here/$run/relay.log)"
