# Sourced by ./fedai, ./test-all and .ci/run: exports JAVA_HOME pointing at a JDK >= 21.
# Prefers an already-set JAVA_HOME, then the newest JDK under /usr/lib/jvm, then `java` on PATH.

java_major() { # prints the feature version of the java binary given, or 0
  "$1" -XshowSettings:properties -version 2>&1 | awk -F'= ' '/java.specification.version/ {print $2; exit}' | cut -d. -f1
}

fedai_select_jdk() {
  local candidate best="" best_major=0 major
  for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/* "$(dirname "$(dirname "$(readlink -f "$(command -v java 2>/dev/null || echo /nonexistent)")")")"; do
    [ -n "$candidate" ] && [ -x "$candidate/bin/java" ] && [ -x "$candidate/bin/javac" ] || continue
    major=$(java_major "$candidate/bin/java")
    [ "${major:-0}" -ge 21 ] 2>/dev/null || continue
    if [ -n "${JAVA_HOME:-}" ] && [ "$candidate" = "$JAVA_HOME" ]; then best=$candidate; best_major=$major; break; fi
    if [ "$major" -gt "$best_major" ]; then best=$candidate; best_major=$major; fi
  done
  if [ -z "$best" ]; then
    echo "fedai: no JDK >= 21 found (looked at JAVA_HOME, /usr/lib/jvm/*, java on PATH). Install one, e.g. Temurin 21+." >&2
    return 1
  fi
  export JAVA_HOME="$best"
  export PATH="$JAVA_HOME/bin:$PATH"
  # Maven's own Guice touches sun.misc.Unsafe, which JDK 24+ warns about on every build.
  if [ "$best_major" -ge 24 ]; then
    case " ${MAVEN_OPTS:-} " in *unsafe-memory-access*) ;; *) export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow" ;; esac
  fi
}
