#!/usr/bin/env bash
# Checks whether Netty's epoll splice can carry lb's TCP relay (see SpliceTailCheck.java and bench/README.md, splice):
# relays a stream that the backend closes after SIZE bytes, ROUNDS times by copying and ROUNDS times by splicing, on
# loopback, and prints how many connections lost bytes each way. Run it again after a Netty upgrade.
#   bench/splice/check.sh            SIZE=8000000 ROUNDS=20
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
. "$root/tools/java-env.sh"
SIZE="${SIZE:-8000000}"
ROUNDS="${ROUNDS:-20}"
"$root/lb" --help >/dev/null # builds lb when its sources changed; its Netty is the one checked
for mode in copy splice; do
    "$JAVA" --enable-native-access=ALL-UNNAMED -cp "$root/distribution/target/lb/lib/*" \
        "$root/bench/splice/SpliceTailCheck.java" "$mode" "$SIZE" "$ROUNDS"
done
