#!/usr/bin/env bash
# Interop check run by CI after the Maven build: fedai's CLI (target/fedai.jar) against nostr-tools, directly
# and through CodyTseng's nostr-relay. Installs test-relays/ if needed (idempotent), then runs interop.mjs,
# which prints a PASS/FAIL line per check and `interop: N passed, M failed`; exits non-zero on any failure.
#   test-relays/interop.sh [--only a,b,c,d] [--relay ws://...] [--jar PATH]
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(dirname "$here")
. "$root/scripts/select-jdk.sh"
fedai_select_jdk
"$here/install.sh"
jar="$root/target/fedai.jar"
if [ -z "${FEDAI_CMD:-}" ] && [ ! -f "$jar" ]; then
  echo "test-relays/interop.sh: $jar missing; building it (./mvnw -DskipTests package) ..."
  (cd "$root" && ./mvnw -q -B -ntp -DskipTests package)
fi
echo "test-relays/interop.sh: JDK $JAVA_HOME, node $(node --version)"
cd "$here"
exec node interop.mjs --jar "$jar" "$@"
