#!/usr/bin/env bash
# Measures one scripted pick against the Java round-robin pick (JMH, average ns per pick), with GraalVM's runtime
# compilation on: GraalVM on the module path and its compiler upgraded, as ./lb runs it.
#   bench/script-pick.sh            all three benchmarks
#   bench/script-pick.sh -f 1 -wi 3 -i 3 scriptCanary    any JMH options and a benchmark filter
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
. "$root/tools/java-env.sh"
cd "$root"

# Each module writes its own test class path to its target/; the script plugin's is the one used.
./mvnw -q -B -DskipTests -pl plugins/script,distribution -am package dependency:build-classpath \
    -Dmdep.includeScope=test -Dmdep.outputFile=target/bench-classpath.txt >&2

# GraalVM goes on the module path only; everything else (JMH, the plugin and its tests) on the class path.
classpath="plugins/script/target/test-classes:plugins/script/target/classes:$(tr ':' '\n' < plugins/script/target/bench-classpath.txt \
    | grep -v '/org/graalvm/' | paste -sd: -)"
modules="distribution/target/lb/modules"
upgrade="distribution/target/lb/upgrade-modules"
flags="--module-path $modules --add-modules org.graalvm.polyglot --enable-native-access=org.graalvm.truffle,ALL-UNNAMED"
flags="$flags -XX:+UnlockExperimentalVMOptions -XX:+EnableJVMCI --upgrade-module-path $upgrade"
flags="$flags --sun-misc-unsafe-memory-access=allow -Dlb.scripts=$root/scripts"

# shellcheck disable=SC2086 # the flag list is split on purpose
exec "$JAVA" $flags -cp "$classpath" org.openjdk.jmh.Main -jvmArgsAppend "$flags" "${@:-ScriptPickBenchmark}"
