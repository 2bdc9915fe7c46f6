#!/usr/bin/env bash
# Builds and runs the JMH benchmarks in src/jmh/java.
# Usage: scripts/jmh.sh [benchmark regex] [JMH options...]   e.g. scripts/jmh.sh Verify -f 1 -wi 2 -i 3
set -euo pipefail
here=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$here"
. scripts/select-jdk.sh
fedai_select_jdk
./mvnw -q -B -Pbench -DskipTests test-compile dependency:build-classpath \
  -Dmdep.includeScope=test -Dmdep.outputFile=target/jmh.classpath >&2
cp="target/test-classes:target/classes:$(cat target/jmh.classpath)"
exec "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED -cp "$cp" org.openjdk.jmh.Main "$@"
