#!/usr/bin/env bash
# Builds the JMH benchmarks of the balancing algorithms and runs them.
#
#   bench/jmh/run.sh                          # every algorithm at 3, 100 and 1000 backends, short settings
#   bench/jmh/run.sh -p backends=1000 -p algorithm=peak-ewma -f 1 -wi 3 -w 1s -i 5 -r 1s
#   bench/jmh/run.sh -h                       # JMH's own options
#   bench/jmh/run.sh --ab BASE_JAR CANDIDATE_JAR ALGORITHM[,...] [BACKENDS] [BURSTS]
#                                             # two builds of plugins/algorithms in one JVM (dev.lb.bench.PickAb)
#
# With no arguments it runs: -f 1 -wi 3 -w 1s -i 5 -r 1s (about 12 minutes for the full matrix).
# Needs a JDK 21 or newer: JAVA_HOME if it is one, else the newest under /usr/lib/jvm.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/../.." && pwd)"

java_major() {
  # Prints the feature version of the java binary $1, e.g. 21, or nothing if it does not run.
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java\.specification\.version = \([0-9][0-9]*\).*/\1/p'
}

find_jdk() {
  if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" && -x "$JAVA_HOME/bin/javac" ]]; then
    local v; v="$(java_major "$JAVA_HOME/bin/java")"
    if [[ -n "$v" && "$v" -ge 21 ]]; then
      echo "$JAVA_HOME"; return 0
    fi
    echo "run.sh: JAVA_HOME=$JAVA_HOME is Java ${v:-unknown}, older than 21; looking in /usr/lib/jvm" >&2
  fi
  local best="" best_v=0 dir v
  for dir in /usr/lib/jvm/*/; do
    dir="${dir%/}"
    [[ -x "$dir/bin/java" && -x "$dir/bin/javac" ]] || continue
    v="$(java_major "$dir/bin/java")"
    if [[ -n "$v" && "$v" -ge 21 && "$v" -gt "$best_v" ]]; then
      best="$dir"; best_v="$v"
    fi
  done
  if [[ -z "$best" ]]; then
    echo "run.sh: no JDK 21 or newer found. Set JAVA_HOME to one (java and javac), or install one under /usr/lib/jvm." >&2
    return 1
  fi
  echo "$best"
}

JAVA_HOME="$(find_jdk)"
export JAVA_HOME
echo "run.sh: using JDK at $JAVA_HOME" >&2

cd "$root"
./mvnw -q -B -pl bench/jmh -am package -DskipTests

target="$here/target"
classpath="$target/classes:$(cat "$target/benchmark.classpath")"
if [[ "${1:-}" == "--ab" ]]; then
  shift
  exec "$JAVA_HOME/bin/java" -cp "$classpath" dev.lb.bench.PickAb "$@"
fi
if [[ $# -eq 0 ]]; then
  set -- -f 1 -wi 3 -w 1s -i 5 -r 1s
fi
exec "$JAVA_HOME/bin/java" -cp "$classpath" org.openjdk.jmh.Main "$@"
