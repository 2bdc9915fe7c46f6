#!/usr/bin/env bash
# Stops the relay started by test-relays/start.sh, by the PID in test-relays/.run/relay.pid.
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
pid_file="$here/.run/relay.pid"
deadline_s=${RELAY_STOP_TIMEOUT:-10}
if [ ! -f "$pid_file" ]; then
  echo "test-relays/stop.sh: no $pid_file; nothing to stop"
  exit 0
fi
pid=$(cat "$pid_file")
if ! kill -0 "$pid" 2>/dev/null; then
  echo "test-relays/stop.sh: PID $pid is not running; removing stale $pid_file"
  rm -f "$pid_file" "$here/.run/relay.url"
  exit 0
fi
# Only signal the process if it is our relay, not an unrelated process that reused the PID.
if ! tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q 'relay\.mjs'; then
  echo "test-relays/stop.sh: PID $pid is not relay.mjs; not touching it; removing stale $pid_file" >&2
  rm -f "$pid_file" "$here/.run/relay.url"
  exit 1
fi
kill -TERM "$pid"
end=$(( $(date +%s) + deadline_s ))
while kill -0 "$pid" 2>/dev/null; do
  if [ "$(date +%s)" -ge "$end" ]; then
    echo "test-relays/stop.sh: PID $pid still running after ${deadline_s}s; sending SIGKILL" >&2
    kill -KILL "$pid" 2>/dev/null || true
    break
  fi
  sleep 0.1
done
rm -f "$pid_file" "$here/.run/relay.url"
echo "test-relays/stop.sh: stopped relay PID $pid"
