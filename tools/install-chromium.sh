#!/usr/bin/env bash
# Makes sure a headless-capable Chromium is available and prints its absolute path on stdout (messages go to stderr):
#   CHROMIUM="$(tools/install-chromium.sh)"; export CHROMIUM
#
# Looks at $CHROMIUM, then chromium / chromium-browser on the PATH. Otherwise, as root, installs Debian's `chromium`
# package (apt-get update, then apt-get install --no-install-recommends chromium); not as root, it says what to run.
# The status-page test (test-harness, dev.lb.harness.admin) uses it.
set -euo pipefail

say() { printf 'install-chromium: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

find_chromium() {
    if [[ -n "${CHROMIUM:-}" && -x "${CHROMIUM}" ]]; then
        printf '%s\n' "$CHROMIUM"
        return 0
    fi
    local name
    for name in chromium chromium-browser; do
        if command -v "$name" >/dev/null 2>&1; then
            command -v "$name"
            return 0
        fi
    done
    return 1
}

if found="$(find_chromium)"; then
    printf '%s\n' "$found"
    exit 0
fi
if [[ "$(id -u)" -ne 0 ]]; then
    die "chromium is not installed; run as root: apt-get update && apt-get install -y --no-install-recommends chromium"
fi
command -v apt-get >/dev/null 2>&1 || die "chromium is not installed and apt-get is missing: install Chromium and set CHROMIUM=/path/to/chromium"
say "installing Debian's chromium package"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq --no-install-recommends chromium >&2
found="$(find_chromium)" || die "apt-get installed chromium but no chromium binary is on the PATH"
printf '%s\n' "$found"
