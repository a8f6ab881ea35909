#!/usr/bin/env bash
# Makes sure a toxiproxy-server binary is available and prints its absolute path on stdout (all messages go to
# stderr), so callers can do (two statements, so that set -e sees a failure):
#   TOXIPROXY_SERVER="$(tools/install-toxiproxy.sh)"; export TOXIPROXY_SERVER
#
# Looks, in order, at: $TOXIPROXY_SERVER; toxiproxy-server on the PATH; the cached copy
# ${XDG_CACHE_HOME:-~/.cache}/lb/toxiproxy-server (the test harness looks there too). Otherwise builds it with Go
# from the Go module proxy into that cache. Quick and silent when it is already there.
#
# Needs Go to build. Toxiproxy's go.mod asks for Go 1.23.0: an older Go of 1.21 or later fetches a newer toolchain
# by itself (GOTOOLCHAIN=auto); an older one still (Debian 12's golang-go is 1.19) is helped to fetch it as a module.
# Without Go, as root it installs Debian's golang-go; otherwise it says what to run.
set -euo pipefail

readonly version=2.12.0
readonly module=github.com/Shopify/toxiproxy/v2
readonly go_required=1.23.0 # the go directive of toxiproxy v2.12.0's go.mod
readonly cache_dir="${XDG_CACHE_HOME:-$HOME/.cache}/lb"
readonly cached="$cache_dir/toxiproxy-server"

say() { printf 'install-toxiproxy: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

# Prints the version a toxiproxy-server binary reports, or nothing when it does not run.
binary_version() {
    "$1" -version 2>/dev/null | sed -n 's/^toxiproxy-server version //p' | head -n 1
}

# 0 when Go version $1 (e.g. 1.19.8, 1.23.0, 1.26rc1) is at least $2.
go_at_least() {
    local have="${1%%[a-z]*}" want="$2"
    [ "$(printf '%s\n%s\n' "$want" "$have" | sort -V | head -n 1)" = "$want" ]
}

if [ -n "${TOXIPROXY_SERVER:-}" ]; then
    [ -f "$TOXIPROXY_SERVER" ] && [ -x "$TOXIPROXY_SERVER" ] \
        || die "TOXIPROXY_SERVER=$TOXIPROXY_SERVER is not an executable file; unset it to install one, or fix the path."
    [ -n "$(binary_version "$TOXIPROXY_SERVER")" ] \
        || die "TOXIPROXY_SERVER=$TOXIPROXY_SERVER does not run as toxiproxy-server (its -version printed nothing)."
    readlink -f "$TOXIPROXY_SERVER"
    exit 0
fi

if on_path="$(command -v toxiproxy-server 2>/dev/null)" && [ -n "$(binary_version "$on_path")" ]; then
    readlink -f "$on_path"
    exit 0
fi

if [ -x "$cached" ] && [ "$(binary_version "$cached")" = "$version" ]; then
    printf '%s\n' "$cached"
    exit 0
fi

# --- Build it. ---
if ! command -v go >/dev/null 2>&1; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
        say "Go is not installed; installing Debian's golang-go to build toxiproxy-server."
        apt-get update >&2
        DEBIAN_FRONTEND=noninteractive apt-get install -y golang-go >&2
        hash -r
    else
        die "toxiproxy-server is not installed and Go, needed to build it, is not either.
  Install Go (Debian/Ubuntu: sudo apt-get install golang-go; or Go ${go_required} or later from the Go project) and run $0 again,
  or install toxiproxy-server ${version} yourself and set TOXIPROXY_SERVER to its path."
    fi
fi

go_bin="$(command -v go)"
go_version="$("$go_bin" env GOVERSION 2>/dev/null || true)"
go_version="${go_version#go}"
[ -n "$go_version" ] || die "cannot tell the version of $go_bin ('go env GOVERSION' printed nothing)."

build_env=()
if go_at_least "$go_version" "$go_required"; then
    :
elif go_at_least "$go_version" 1.21; then
    # Go 1.21+ fetches the toolchain the module asks for; Debian's go.env may say GOTOOLCHAIN=local, so override.
    say "Go $go_version is older than the $go_required toxiproxy needs; letting it fetch Go $go_required or newer (GOTOOLCHAIN=auto)."
    build_env=(GOTOOLCHAIN=auto)
else
    # Go before 1.21 cannot switch toolchains; fetch the same toolchain module GOTOOLCHAIN=auto would, and use it.
    goos="$("$go_bin" env GOOS)" goarch="$("$go_bin" env GOARCH)"
    toolchain="golang.org/toolchain@v0.0.1-go${go_required}.${goos}-${goarch}"
    say "Go $go_version is older than the $go_required toxiproxy needs and cannot fetch a newer one by itself;"
    say "downloading the Go ${go_required} toolchain module ($toolchain) from the Go module proxy."
    toolchain_dir="$(cd "${TMPDIR:-/tmp}" && GOFLAGS= "$go_bin" mod download -json "$toolchain" \
        | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",*$/\1/p')" \
        || die "could not download $toolchain. Install Go ${go_required} or later and run $0 again."
    [ -f "$toolchain_dir/bin/go" ] \
        || die "the toolchain module has no bin/go (looked in '$toolchain_dir'). Install Go ${go_required} or later and run $0 again."
    # Module zips keep no file modes, so make its programs executable, as GOTOOLCHAIN=auto does itself.
    chmod -R u+w "$toolchain_dir"
    chmod +x "$toolchain_dir"/bin/* "$toolchain_dir"/pkg/tool/*/*
    go_bin="$toolchain_dir/bin/go"
    go_version="$go_required"
    build_env=(GOTOOLCHAIN=local GOROOT="$toolchain_dir")
fi

mkdir -p "$cache_dir"
work="$(mktemp -d "$cache_dir/build.XXXXXX")"
trap 'rm -rf "$work"' EXIT
say "building toxiproxy-server $version with $go_bin ($go_version) into $cache_dir; this is done once..."
started=$SECONDS
# GOFLAGS is cleared so that a caller's -mod=vendor or the like cannot break an install outside any module.
if ! env "${build_env[@]}" GOBIN="$work" CGO_ENABLED=0 GOFLAGS= \
        "$go_bin" install -ldflags "-s -w -X $module.Version=$version" "$module/cmd/server@v$version" >&2; then
    die "'go install $module/cmd/server@v$version' failed (see above). Fix it and run $0 again, or install
  toxiproxy-server ${version} yourself and set TOXIPROXY_SERVER to its path."
fi
[ "$(binary_version "$work/server")" = "$version" ] \
    || die "the freshly built $work/server does not report version $version."
# Rename into place atomically, so a concurrent run never sees half a binary.
mv -f "$work/server" "$cached"
say "built $cached in $((SECONDS - started))s."
printf '%s\n' "$cached"
