#!/usr/bin/env bash
# Drives the real ./lb launcher end to end, as a newcomer would: validate the shipped examples, refuse a broken
# config with file:line:column, list the plugins, start the demo, curl it, and stop it with SIGTERM.
# Bounded: every wait has a deadline; all traffic stays on 127.0.0.1.
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"
work="$(mktemp -d)"
demo_pid=""
cleanup() {
    if [ -n "$demo_pid" ] && kill -0 "$demo_pid" 2>/dev/null; then kill -KILL "$demo_pid" 2>/dev/null || true; fi
    rm -rf "$work"
}
trap cleanup EXIT
passed=0
failed=0
check() {  # check NAME COMMAND...: runs the command, counts and reports the outcome
    local name="$1"; shift
    if "$@" >"$work/out" 2>&1; then
        passed=$((passed + 1)); echo "  ok    $name"
    else
        failed=$((failed + 1)); echo "  FAIL  $name"; sed 's/^/        /' "$work/out"
    fi
}
command -v curl >/dev/null 2>&1 || { echo "launcher smoke test: installing curl"; apt-get install -y -q curl >/dev/null; }

echo "launcher smoke test (./lb end to end):"
check "lb validate accepts every shipped example" ./lb validate examples/*.yaml

printf 'listeners:\n  - name: web\n    protocol: tcp\n    bind: 127.0.0.1:8080\n    pool: nowhere\npools:\n  app:\n    backends: [127.0.0.1:9001]\n' > "$work/broken.yaml"
refuses_broken() {
    if ./lb validate "$work/broken.yaml" >"$work/validate.out" 2>&1; then echo "exit 0 on a broken config"; return 1; fi
    grep -E "broken.yaml:5:11: listeners\[0\]\.pool: .*nowhere" "$work/validate.out" || { cat "$work/validate.out"; return 1; }
}
check "lb validate refuses a broken config with file:line:column" refuses_broken

lists_plugins() {
    ./lb plugins >"$work/plugins.out"
    local plugin
    for plugin in round-robin random tcp log; do
        grep -qw -- "$plugin" "$work/plugins.out" || { cat "$work/plugins.out"; return 1; }
    done
}
check "lb plugins lists the built-in plugins" lists_plugins

demo_balances() {
    ./lb demo --port 0 >"$work/demo.out" 2>&1 &
    demo_pid=$!
    local address="" deadline=$((SECONDS + 60))
    while [ -z "$address" ] && [ $SECONDS -lt $deadline ] && kill -0 "$demo_pid" 2>/dev/null; do
        sleep 0.5
        address=$(sed -n 's|.*curl -s http://\(127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$work/demo.out" | head -n 1)
    done
    [ -n "$address" ] || { echo "the demo printed no address to curl:"; cat "$work/demo.out"; return 1; }
    # The first address printed is the HTTP listener's, the second the TCP one's: both must rotate over 3 backends.
    local listener distinct
    [ "$(grep -c 'curl -s http://127' "$work/demo.out")" -eq 2 ] || { echo "expected 2 listeners to curl:"; cat "$work/demo.out"; return 1; }
    for listener in $(sed -n 's|.*curl -s http://\(127\.0\.0\.1:[0-9]*\)/.*|\1|p' "$work/demo.out"); do
        : >"$work/answers"
        for _ in 1 2 3 4 5 6; do curl -s --max-time 5 "http://$listener/" >>"$work/answers"; done
        distinct=$(sed -n 's/^Hello from \([^ ]*\) .*/\1/p' "$work/answers" | sort | uniq -c | awk '$1 == 2' | wc -l)
        [ "$distinct" -eq 3 ] || { echo "expected 3 backends twice each through $listener, got:"; cat "$work/answers"; return 1; }
    done
    kill -TERM "$demo_pid"
    deadline=$((SECONDS + 30))
    while kill -0 "$demo_pid" 2>/dev/null && [ $SECONDS -lt $deadline ]; do sleep 0.2; done
    if kill -0 "$demo_pid" 2>/dev/null; then echo "the demo did not stop within 30s of SIGTERM"; return 1; fi
    demo_pid=""
}
check "lb demo balances curl requests over 3 backends (HTTP and TCP) and stops on SIGTERM" demo_balances

echo "launcher-smoke-test: $passed passed, $failed failed"
[ "$failed" -eq 0 ]
