# Shared helpers for the scripts in this folder; source it, don't run it.

# The repository root, whatever the caller's working directory.
EIAM_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

log() { printf '\n==> %s\n' "$*" >&2; }

# Installs Debian packages that are missing. Needs root (CI and the
# project's machines are root); elsewhere it says what to install.
ensure_debs() {
    local missing=()
    for pkg in "$@"; do
        dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "missing Debian packages: ${missing[*]} (install them, then rerun)" >&2
        return 1
    fi
    log "installing ${missing[*]}"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
}

# Builds libeiam (.so and .a) and the eiam-mock binary (debug), and adds
# the libeiam.so.0 link that the library's SONAME asks the loader for.
build_libeiam() {
    log "building libeiam and eiam-mock"
    (cd "$EIAM_ROOT" && cargo build -p eiam -p eiam-mock --lib --bins)
    ln -sf libeiam.so "$EIAM_ROOT/target/debug/libeiam.so.0"
}

# Starts the embedded mock server (target/debug/eiam-mock must be built)
# and exports EIAM_MOCK_URL, EIAM_MOCK_CLIENT_ID and EIAM_MOCK_CLIENT_SECRET.
# The mock exits when its stdin closes, so it cannot outlive this shell;
# stop_mock closes it explicitly.
start_mock() {
    coproc EIAM_MOCK { exec "$EIAM_ROOT/target/debug/eiam-mock" --exit-on-stdin-eof "$@"; }
    local line
    for _ in 1 2 3; do
        IFS= read -r line <&"${EIAM_MOCK[0]}" || { echo "eiam-mock did not start" >&2; return 1; }
        case "$line" in
            EIAM_MOCK_*=*) export "${line?}" ;;
            *) echo "unexpected line from eiam-mock: $line" >&2; return 1 ;;
        esac
    done
    EIAM_MOCK_STARTED_PID=$EIAM_MOCK_PID
}

stop_mock() {
    if [ -n "${EIAM_MOCK_STARTED_PID:-}" ]; then
        # Closing its stdin ends it; wait so no process is left behind.
        exec {EIAM_MOCK[1]}>&- 2>/dev/null || true
        wait "$EIAM_MOCK_STARTED_PID" 2>/dev/null || true
        EIAM_MOCK_STARTED_PID=
    fi
}

# A JDK >= 22: the Java binding needs the final FFM API (java-tests.sh),
# and the reference's javadoc (docs-reference.sh) one that reads its
# sources. JAVA_HOME if it is one, else the newest under /usr/lib/jvm.
MIN_JAVA=22

# The feature release of the JDK at $1 (its `release` file), or 0.
java_release() {
    sed -n 's/^JAVA_VERSION="\([0-9]*\).*/\1/p' "$1/release" 2>/dev/null || echo 0
}

find_jdk() {
    if [ -n "${JAVA_HOME:-}" ] && [ "$(java_release "$JAVA_HOME")" -ge "$MIN_JAVA" ] 2>/dev/null; then
        echo "$JAVA_HOME"
        return
    fi
    local best="" best_release=0 jdk release
    for jdk in /usr/lib/jvm/*/; do
        jdk="${jdk%/}"
        [ -x "$jdk/bin/javac" ] || continue
        release="$(java_release "$jdk")"
        if [ "${release:-0}" -gt "$best_release" ]; then
            best="$jdk" best_release="$release"
        fi
    done
    if [ "$best_release" -lt "$MIN_JAVA" ]; then
        echo "no JDK >= $MIN_JAVA under /usr/lib/jvm or in JAVA_HOME (the FFM API is final since 22)" >&2
        return 1
    fi
    echo "$best"
}

# toxiproxy (Shopify's fault-injecting TCP proxy) for tests/toxiproxy.rs
# and the latency rows of bench/run: its server and CLI, built from the Go
# module proxy into target/tools/bin (as `server` and `cli`) unless there.
TOXIPROXY_VERSION=v2.5.0
TOXIPROXY_BIN="$EIAM_ROOT/target/tools/bin"
ensure_toxiproxy() {
    [ -x "$TOXIPROXY_BIN/server" ] && [ -x "$TOXIPROXY_BIN/cli" ] && return 0
    command -v go >/dev/null || ensure_debs golang-go
    log "go install toxiproxy $TOXIPROXY_VERSION into $TOXIPROXY_BIN"
    # One command for both: they share a build of the module.
    GOBIN="$TOXIPROXY_BIN" go install "github.com/Shopify/toxiproxy/v2/cmd/server@$TOXIPROXY_VERSION" \
        "github.com/Shopify/toxiproxy/v2/cmd/cli@$TOXIPROXY_VERSION"
}
