#!/usr/bin/env bash
# The Java binding (bindings/java): `mvn -B verify` (JUnit 5 against the mock
# binary) on a JDK >= 22, which the Foreign Function & Memory API needs:
# JAVA_HOME if it is one, else the newest under /usr/lib/jvm. Maven's own
# cache is the default ~/.m2, as npm's and Go's are. libeiam.so and
# eiam-mock are the debug builds the other steps use (build_libeiam does
# nothing when they are fresh), loaded through EIAM_LIB.
set -euo pipefail
source "$(dirname "$0")/lib.sh"
cd "$EIAM_ROOT"

command -v mvn >/dev/null || ensure_debs maven
JAVA_HOME="$(find_jdk)"
export JAVA_HOME
log "JDK $(java_release "$JAVA_HOME") at $JAVA_HOME"
# Maven 3.8's bundled Guava calls sun.misc.Unsafe, which JDK 24+ warns about
# on every run; the warning is Maven's, not the binding's.
if [ "$(java_release "$JAVA_HOME")" -ge 24 ]; then
    export MAVEN_OPTS="${MAVEN_OPTS:-} --sun-misc-unsafe-memory-access=allow"
fi
build_libeiam
export EIAM_LIB="$EIAM_ROOT/target/debug/libeiam.so"
export EIAM_MOCK_BIN="$EIAM_ROOT/target/debug/eiam-mock"
cd bindings/java
log "mvn -B verify with EIAM_LIB=$EIAM_LIB"
start=$SECONDS
mvn -q -B verify
log "Java suite passed in $((SECONDS - start)) s"
