#!/usr/bin/env bash
# Installs the third-party relay and the nostr-tools interop kit (test-relays/node_modules) from the npm
# registry, exactly as package-lock.json pins them. Idempotent: it skips `npm ci` while node_modules still
# matches the lock file and the Node.js version (better-sqlite3 is a native module built for one Node ABI).
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
cd "$here"

for tool in node npm; do
  command -v "$tool" >/dev/null || { echo "test-relays/install.sh: $tool not found on PATH (need Node.js >= 20.19 with npm)" >&2; exit 1; }
done

stamp_file=node_modules/.fedai-install-stamp
wanted=$( { cat package.json package-lock.json; node --version; } | sha256sum | cut -d' ' -f1)
if [ -f "$stamp_file" ] && [ "$(cat "$stamp_file")" = "$wanted" ]; then
  echo "test-relays/install.sh: node_modules is up to date with package-lock.json ($(node --version)), nothing to do"
  exit 0
fi

# better-sqlite3 is compiled here: its prebuilt-binary download cannot be reached (only the npm registry is),
# so build from source, against the local Node headers when the machine has them (no header download either).
export npm_config_build_from_source=true
if [ -z "${npm_config_nodedir:-}" ] && [ -f /usr/include/node/node.h ] && [ -z "$(npm config get nodedir 2>/dev/null | grep -v '^undefined$')" ]; then
  export npm_config_nodedir=/usr
fi
echo "test-relays/install.sh: npm ci in $here (builds better-sqlite3 from source, about 1-2 minutes) ..."
start=$(date +%s)
npm ci --no-audit --no-fund
echo "$wanted" > "$stamp_file"
echo "test-relays/install.sh: installed in $(( $(date +%s) - start )) s: $(node -p "Object.entries(require('./package.json').dependencies).map(([n, v]) => n + '@' + v).join(' ')")"
