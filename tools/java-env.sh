# Sourced by ./lb, ./run-tests and the bench scripts: finds a JDK of 21 or later and exports JAVA_HOME and JAVA.
# Looks at JAVA_HOME first, then every JDK under /usr/lib/jvm (LB_JVM_DIR overrides; newest first), then `java`
# on the PATH.

lb_java_feature_version() {
    # Prints the feature version (17, 21, 25, ...) of the java binary $1, or nothing when it does not run.
    # The JDK's `release` file says it without starting a JVM (a tenth of a second or more of every start-up).
    local release="${1%/bin/java}/release" version
    if [ -f "$release" ]; then
        version=$(sed -n 's/^JAVA_VERSION="\(1\.\)\{0,1\}\([0-9][0-9]*\).*/\2/p' "$release" | head -n 1)
        if [ -n "$version" ]; then
            echo "$version"
            return 0
        fi
    fi
    "$1" -XshowSettings:properties -version 2>&1 \
        | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p' | head -n 1
}

lb_find_java() {
    local required=21 candidate version seen=""
    if [ -n "${JAVA_HOME:-}" ]; then
        if [ -x "$JAVA_HOME/bin/java" ]; then
            version=$(lb_java_feature_version "$JAVA_HOME/bin/java")
            if [ -n "$version" ] && [ "$version" -ge "$required" ]; then
                JAVA="$JAVA_HOME/bin/java"
                return 0
            fi
            seen="$seen\n  JAVA_HOME=$JAVA_HOME (Java ${version:-unknown})"
        else
            seen="$seen\n  JAVA_HOME=$JAVA_HOME (no bin/java there)"
        fi
    fi
    local best="" best_version=0
    for candidate in "${LB_JVM_DIR:-/usr/lib/jvm}"/*/bin/java; do
        [ -x "$candidate" ] || continue
        version=$(lb_java_feature_version "$candidate")
        [ -n "$version" ] || continue
        seen="$seen\n  ${candidate%/bin/java} (Java $version)"
        if [ "$version" -ge "$required" ] && [ "$version" -gt "$best_version" ]; then
            best="${candidate%/bin/java}"
            best_version=$version
        fi
    done
    if [ -z "$best" ] && command -v java >/dev/null 2>&1; then
        candidate=$(readlink -f "$(command -v java)")
        version=$(lb_java_feature_version "$candidate")
        if [ -n "$version" ] && [ "$version" -ge "$required" ]; then
            best="${candidate%/bin/java}"
        else
            seen="$seen\n  java on PATH: $candidate (Java ${version:-unknown})"
        fi
    fi
    if [ -z "$best" ]; then
        printf 'error: lb needs a JDK of version %s or later, and found none.\nLooked at:%b\n' "$required" "${seen:-\n  (no JAVA_HOME, nothing under /usr/lib/jvm, no java on PATH)}" >&2
        printf 'Install one (for example Temurin 21 or 25, or openjdk-21-jdk) and run again, or point JAVA_HOME at it.\n' >&2
        return 1
    fi
    export JAVA_HOME="$best"
    JAVA="$JAVA_HOME/bin/java"
}

lb_find_java || exit 1
JAVA_FEATURE_VERSION=$(lb_java_feature_version "$JAVA")
# Netty loads its native epoll library and Guice, Guava and Netty use sun.misc.Unsafe: allow both quietly, so an
# operator's terminal shows the load balancer's log and not JDK warnings about its libraries.
LB_JVM_FLAGS="--enable-native-access=ALL-UNNAMED"
if [ "$JAVA_FEATURE_VERSION" -ge 23 ]; then
    LB_JVM_FLAGS="$LB_JVM_FLAGS --sun-misc-unsafe-memory-access=allow"
fi
export JAVA_HOME JAVA JAVA_FEATURE_VERSION LB_JVM_FLAGS
