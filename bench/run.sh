#!/usr/bin/env bash
# Side-by-side benchmark of lb against HAProxy and nginx on this machine, over loopback only.
#
#   bench/run.sh                      # the whole run: three rounds, about 15 minutes; prints one table
#   ROUNDS=1 bench/run.sh             # one round, about 6 minutes
#   DURATION=4s bench/run.sh          # shorter load runs
#
# Starts three nginx backends returning a short body, then runs the same wrk load directly against a backend
# (the limit) and through lb, HAProxy and nginx, one at a time, each balancer with the same number of worker
# threads (WORKERS, default 1):
#   http-keepalive   HTTP, connections kept alive         wrk -t1 -c64
#   http-close       HTTP, a new connection per request   wrk -t1 -c64 -H 'Connection: close'
#   tcp              the same keep-alive HTTP load through an L4 (TCP) listener
#   bulk-tcp         64 MB responses through the L4 listener, 4 connections: throughput
# and, per balancer, the resident memory added by 10,000 idle client connections (after twice as many opened and
# closed, unmeasured, to warm the accept path as every load is warmed) and the time from launch to the
# first proxied response. Prints requests/s, p50/p99 latency and CPU per request, each as a ratio to HAProxy.
# Runs are noisy on a small shared machine (a few percent from one run to the next), so all this is done in ROUNDS
# rounds, each starting every balancer afresh, and the table gives the medians, with each round's ratio beside them.
# Memory is measured in the first round only.
#
# Every load is run for WARMUP first, unmeasured, through every target alike: the JVM compiles lb's hot path in
# its first seconds (3s of warm-up measured 35k req/s where 15s gave 53k), and the figures are of a warm server.
# Settings (environment): ROUNDS (3), WORKERS (1), CONNECTIONS (64), DURATION (8s), WARMUP (10s),
# IDLE_CONNECTIONS (10000), BALANCERS ("lb haproxy nginx"; also lb-epoll, lb forced onto epoll, and haproxy-splice,
# HAProxy with option splice-auto), LOADS ("http-keepalive http-close tcp bulk-tcp memory":
# a subset runs only those; memory includes start-up), KEEP_TMP=1 keeps the generated configs and logs.
# Installs haproxy, nginx-light, libnginx-mod-stream and wrk with apt-get when missing (needs root).
# Every process it starts is stopped on exit; every wait has a deadline.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
root="$(cd "$here/.." && pwd)"

WORKERS="${WORKERS:-1}"
CONNECTIONS="${CONNECTIONS:-64}"
DURATION="${DURATION:-8s}"
WARMUP="${WARMUP:-10s}"
IDLE_CONNECTIONS="${IDLE_CONNECTIONS:-}"
BALANCERS="${BALANCERS:-lb haproxy nginx}"
LOADS="${LOADS:-http-keepalive http-close tcp bulk-tcp memory}"
ROUNDS="${ROUNDS:-3}"
[[ "$ROUNDS" =~ ^[1-9][0-9]*$ ]] || { echo "bench: ROUNDS must be a whole number of 1 or more, not '$ROUNDS'" >&2; exit 2; }
BULK_MB=64
# shellcheck source=../tools/java-env.sh
. "$root/tools/java-env.sh"

log() { printf '[bench %s] %s\n' "$(date +%H:%M:%S)" "$*" >&2; }
die() { printf 'bench: %s\n' "$*" >&2; exit 1; }

# --- tools --------------------------------------------------------------------------------------------------------
ensure_tools() {
    local missing=()
    command -v wrk >/dev/null || missing+=(wrk)
    command -v haproxy >/dev/null || missing+=(haproxy)
    command -v nginx >/dev/null || missing+=(nginx-light)
    [ -f /usr/lib/nginx/modules/ngx_stream_module.so ] || missing+=(libnginx-mod-stream)
    command -v curl >/dev/null || missing+=(curl)
    command -v python3 >/dev/null || missing+=(python3)
    if [ ${#missing[@]} -gt 0 ]; then
        [ "$(id -u)" -eq 0 ] || die "missing ${missing[*]}: install them (apt-get install ${missing[*]}) or run as root"
        log "installing ${missing[*]} from Debian's packages"
        timeout 600 apt-get update -qq >&2
        DEBIAN_FRONTEND=noninteractive timeout 600 apt-get install -y -qq "${missing[@]}" >&2
    fi
}

# --- processes ----------------------------------------------------------------------------------------------------
pids=()
tmp=""
cleanup() {
    local pid
    for pid in "${pids[@]}"; do
        kill "$pid" 2>/dev/null || true
    done
    for pid in "${pids[@]}"; do
        # give each up to 5s, then force
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$pid" 2>/dev/null || true
    done
    if [ -n "$tmp" ] && [ "${KEEP_TMP:-0}" != 1 ]; then rm -rf "$tmp"; fi
}
trap cleanup EXIT
trap 'exit 130' INT TERM

stop_pid() {
    local pid="$1"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 100); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.1; done
    kill -9 "$pid" 2>/dev/null || true
    wait "$pid" 2>/dev/null || true
}

free_ports() { # prints N free loopback ports
    python3 - "$1" <<'EOF'
import socket, sys
socks = []
for _ in range(int(sys.argv[1])):
    s = socket.socket(); s.bind(("127.0.0.1", 0)); socks.append(s)
print(" ".join(str(s.getsockname()[1]) for s in socks))
EOF
}

now_ms() { date +%s%3N; }

# Polls URL until it answers 200, up to $2 seconds. Prints the ms it took from $3 (a now_ms taken at launch).
wait_http() {
    local url="$1" limit="$2" since="$3" deadline
    deadline=$(( $(now_ms) + limit * 1000 ))
    while [ "$(now_ms)" -lt "$deadline" ]; do
        if curl -s -o /dev/null --max-time 1 -f "$url"; then
            echo $(( $(now_ms) - since ))
            return 0
        fi
        sleep 0.01
    done
    return 1
}

cpu_ticks() { # utime + stime of a process, in clock ticks
    awk '{ print $14 + $15 }' "/proc/$1/stat"
}
sys_ticks() { awk '{ print $15 }' "/proc/$1/stat"; } # stime alone: the kernel's share

rss_kb() { awk '/^VmRSS:/ { print $2 }' "/proc/$1/status"; }

# The Java heap in use after a full collection, in kB: what live objects take. A JVM's resident size grows little
# per connection once its heap has been touched by load, so this says what the connections really hold.
live_heap_kb() {
    timeout 30 "$JAVA_HOME/bin/jcmd" "$1" GC.run >/dev/null 2>&1 || true
    timeout 30 "$JAVA_HOME/bin/jcmd" "$1" GC.heap_info 2>/dev/null | awk '/used/ { for (i = 1; i <= NF; i++)
        if ($i == "used") { v = $(i + 1); sub(/K.*/, "", v); print v; exit } }'
}

# Whether the balancer NAME is lb (on its default transport, or forced onto epoll)
is_lb() { [ "$1" = lb ] || [ "$1" = lb-epoll ]; }

# Bytes allocated so far by lb's event-loop threads (lb-io-*), from the JVM's per-thread counters: allocation per
# request is free of the machine's noise, unlike times, so it shows a change to the hot path on a busy machine too.
lb_loop_allocated() {
    timeout 30 "$JAVA_HOME/bin/jcmd" "$1" Thread.print -e 2>/dev/null | python3 -c '
import re, sys
units = {"B": 1, "K": 1 << 10, "M": 1 << 20, "G": 1 << 30}
print(sum(float(m.group(1)) * units[m.group(2)] for m in
          (re.match(r"^\"lb-io-[^\"]*\".* allocated=([0-9.]+)([BKMG])", line) for line in sys.stdin) if m))' \
        || true # no figure (0) rather than no run when jcmd cannot attach
}

# --- wrk ----------------------------------------------------------------------------------------------------------
to_ms() { # 1.23ms / 456.00us / 1.20s -> milliseconds
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "us") n /= 1000; else if (u == "s") n *= 1000; else if (u == "m") n *= 60000
        printf "%.3f", n }'
}
to_mb() { # wrk's Transfer/sec: 1.20GB / 512.00MB / 100.00KB -> MB
    awk -v v="$1" 'BEGIN {
        n = v + 0; u = v; sub(/^[0-9.]+/, "", u)
        if (u == "GB") n *= 1024; else if (u == "KB") n /= 1024; else if (u == "B") n /= 1048576
        printf "%.1f", n }'
}

# run_wrk NAME URL CONNECTIONS PID [extra wrk args...]: appends one result line to $results:
#   name rps p50ms p99ms cpu_us_per_request mb_per_s errors
run_wrk() {
    local name="$1" url="$2" conns="$3" pid="$4"; shift 4
    local out before after sys_before sys_after sys_share=- ticks hz rps p50 p99 cpu mbs errors requests secs
    hz=$(getconf CLK_TCK)
    timeout 60 wrk -t1 -c"$conns" -d"$WARMUP" "$@" "$url" >/dev/null 2>&1 || true
    before=0; sys_before=0; [ "$pid" != - ] && before=$(cpu_ticks "$pid") && sys_before=$(sys_ticks "$pid")
    local alloc_before=""
    is_lb "${name%%/*}" && alloc_before=$(lb_loop_allocated "$pid")
    out=$(timeout 120 wrk -t1 -c"$conns" -d"$DURATION" --latency "$@" "$url" 2>&1) || die "wrk failed for $name: $out"
    after=0; sys_after=0; [ "$pid" != - ] && after=$(cpu_ticks "$pid") && sys_after=$(sys_ticks "$pid")
    echo "$out" > "$tmp/wrk-${name//\//-}.txt"
    rps=$(awk '/^Requests\/sec:/ { print $2 }' <<<"$out")
    requests=$(awk '/requests in/ { print $1 }' <<<"$out")
    p50=$(to_ms "$(awk '$1 == "50%" { print $2 }' <<<"$out")")
    p99=$(to_ms "$(awk '$1 == "99%" { print $2 }' <<<"$out")")
    mbs=$(to_mb "$(awk '/^Transfer\/sec:/ { print $2 }' <<<"$out")")
    errors=$(awk '/Socket errors|Non-2xx/ { printf "%s ", $0 }' <<<"$out")
    ticks=$(( after - before ))
    cpu=-
    if [ "$pid" != - ] && [ "${requests:-0}" -gt 0 ]; then
        cpu=$(awk -v t="$ticks" -v hz="$hz" -v r="$requests" 'BEGIN { printf "%.1f", t / hz * 1e6 / r }')
        [ "$ticks" -gt 0 ] && sys_share=$(( 100 * (sys_after - sys_before) / ticks ))%
    fi
    echo "$round $name ${rps:-0} $p50 $p99 $cpu $mbs ${errors:+\"$errors\"}" >> "$results"
    if [ "${alloc_before:-0}" != 0 ] && [ "${requests:-0}" -gt 0 ]; then
        local alloc
        alloc=$(awk -v a="$(lb_loop_allocated "$pid")" -v b="$alloc_before" -v r="$requests" \
            'BEGIN { printf "%.0f", (a - b) / r }')
        echo "$round $name-alloc $alloc" >> "$results"
        log "$name: ${alloc} bytes allocated per request by lb's event loop"
    fi
    log "$name: ${rps} req/s, p50 ${p50}ms, p99 ${p99}ms, ${mbs} MB/s, cpu ${cpu}us/req (${sys_share} in the kernel) ${errors}"
}

# idle_memory NAME PID PORT: appends "NAME-idle KB_PER_CONN RSS_BEFORE RSS_WITH [LB_LIVE_HEAP_KB_PER_CONN]"
idle_memory() {
    local name="$1" pid="$2" port="$3" base after fifo reply closed
    # Warm the accept path first, as every other load is warmed: a fresh JVM compiles it during the first thousands
    # of connections, and the compiler's working memory (tens of MB, kept by malloc) is not the connections'.
    timeout 120 python3 "$here/idle_clients.py" --churn "$port" $(( 2 * IDLE_CONNECTIONS )) 100 >/dev/null \
        || die "warming the accept path of $name failed"
    sleep 5
    base=$(rss_kb "$pid")
    fifo="$tmp/idle-$name.fifo"; mkfifo "$fifo"
    # our stdin to the client is the fifo: closing it tells the client to let go
    timeout 150 python3 "$here/idle_clients.py" "$port" "$IDLE_CONNECTIONS" 120 < "$fifo" > "$tmp/idle-$name.out" &
    local client=$!
    pids+=("$client")
    exec 7>"$fifo"
    local deadline=$(( $(now_ms) + 90000 ))
    until grep -q '^ready' "$tmp/idle-$name.out" 2>/dev/null; do
        kill -0 "$client" 2>/dev/null || { exec 7>&-; die "idle client for $name failed: $(cat "$tmp/idle-$name.out")"; }
        [ "$(now_ms)" -lt "$deadline" ] || { exec 7>&-; die "idle client for $name did not open its connections in time"; }
        sleep 0.2
    done
    # let the balancer accept and settle every connection, then take the largest of a few readings
    sleep 3
    after=0
    for _ in 1 2 3; do reply=$(rss_kb "$pid"); [ "$reply" -gt "$after" ] && after=$reply; sleep 0.5; done
    # For lb, also what the connections hold in the Java heap: live heap after a full GC with them, and without.
    # (Taken after the resident sizes: a full GC gives heap back to the OS and would skew them.)
    local heap_with=- heap_without=- heap_per=-
    is_lb "$name" && heap_with=$(live_heap_kb "$pid")
    exec 7>&-
    wait "$client" || true
    closed=$(awk '/^closed-by-peer/ { print $2 }' "$tmp/idle-$name.out")
    [ "${closed:-0}" -eq 0 ] || log "warning: $name closed ${closed} of the idle connections while measured"
    if is_lb "$name"; then
        sleep 2 # the balancer sees the connections close
        heap_without=$(live_heap_kb "$pid")
        heap_per=$(awk -v a="$heap_with" -v b="$heap_without" -v n="$IDLE_CONNECTIONS" 'BEGIN { printf "%.2f", (a - b) / n }')
        log "$name: live heap ${heap_with} kB with ${IDLE_CONNECTIONS} connections, ${heap_without} kB after they closed"
    fi
    echo "$round $name-idle $(awk -v a="$after" -v b="$base" -v n="$IDLE_CONNECTIONS" 'BEGIN { printf "%.2f", (a - b) / n }') $base $after $heap_per" >> "$results"
    log "$name: RSS ${base} kB idle, ${after} kB with ${IDLE_CONNECTIONS} connections"
}

# --- configs ------------------------------------------------------------------------------------------------------
write_backend_conf() {
    mkdir -p "$tmp/backend/logs" "$tmp/backend/html"
    printf 'hello from nginx\n' > "$tmp/backend/html/index.html"
    truncate -s "${BULK_MB}M" "$tmp/backend/html/bulk"
    cat > "$tmp/backend/nginx.conf" <<EOF
daemon off;
master_process off;
worker_processes 1;
error_log $tmp/backend/logs/error.log warn;
pid $tmp/backend/nginx.pid;
worker_rlimit_nofile 20000;
events { worker_connections 16384; }
http {
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 75s;
    sendfile on;
    client_body_temp_path $tmp/backend/tmp;
    proxy_temp_path $tmp/backend/tmp;
    fastcgi_temp_path $tmp/backend/tmp;
    uwsgi_temp_path $tmp/backend/tmp;
    scgi_temp_path $tmp/backend/tmp;
    server {
        listen 127.0.0.1:$B1 reuseport;
        listen 127.0.0.1:$B2 reuseport;
        listen 127.0.0.1:$B3 reuseport;
        root $tmp/backend/html;
        location = / { default_type text/plain; return 200 "hello from nginx\n"; }
    }
}
EOF
}

write_lb_conf() { # write_lb_conf NAME HTTP_PORT TCP_PORT: lb and lb-epoll run side by side, each on its own ports
    cat > "$tmp/$1.yaml" <<EOF
listeners:
  - name: web
    protocol: http
    bind: 127.0.0.1:$2
    pool: app
    idle-timeout: 10m
    http:
      header-timeout: 120s
      max-connections: 20000
      max-backend-connections: 1024
  - name: l4
    protocol: tcp
    bind: 127.0.0.1:$3
    pool: app
    idle-timeout: 10m
pools:
  app:
    algorithm: round-robin
    backends:
      - 127.0.0.1:$B1
      - 127.0.0.1:$B2
      - 127.0.0.1:$B3
EOF
}

# write_haproxy_conf NAME HTTP_PORT TCP_PORT [splice]: HAProxy's config as NAME, its ports kept for launch; with
# splice, HAProxy moves the bytes between its sockets through kernel pipes where it sees fit (option splice-auto).
# Its pipes take descriptors of their own: 256 of them (more than the loads have connections), so its maxconn leaves
# room for them.
declare -A haproxy_http_port haproxy_tcp_port
write_haproxy_conf() {
    local maxconn=$HA_MAXCONN pipes="" option=""
    haproxy_http_port[$1]=$2; haproxy_tcp_port[$1]=$3
    if [ "${4:-}" = splice ]; then
        maxconn=$(( HA_MAXCONN - 300 )); pipes="maxpipes 256"; option="option splice-auto"
    fi
    cat > "$tmp/$1.cfg" <<EOF
global
    nbthread $WORKERS
    maxconn $maxconn
    $pipes
defaults
    mode http
    timeout connect 3s
    timeout client 10m
    timeout server 10m
    timeout http-request 120s
    timeout http-keep-alive 10m
    $option
frontend web
    bind 127.0.0.1:$2
    option forwardfor
    default_backend app
backend app
    balance roundrobin
    server b1 127.0.0.1:$B1
    server b2 127.0.0.1:$B2
    server b3 127.0.0.1:$B3
listen l4
    mode tcp
    bind 127.0.0.1:$3
    balance roundrobin
    server b1 127.0.0.1:$B1
    server b2 127.0.0.1:$B2
    server b3 127.0.0.1:$B3
EOF
}

write_nginx_conf() {
    mkdir -p "$tmp/nginx/logs" "$tmp/nginx/tmp"
    # With master_process off, nginx runs as one process: WORKERS=1 only (checked below).
    cat > "$tmp/nginx/nginx.conf" <<EOF
load_module /usr/lib/nginx/modules/ngx_stream_module.so;
daemon off;
master_process $( [ "$WORKERS" -eq 1 ] && echo off || echo on );
worker_processes $WORKERS;
error_log $tmp/nginx/logs/error.log warn;
pid $tmp/nginx/nginx.pid;
worker_rlimit_nofile 20000;
events { worker_connections 16384; }
http {
    access_log off;
    keepalive_requests 1000000;
    keepalive_timeout 10m;
    client_header_timeout 120s;
    client_body_temp_path $tmp/nginx/tmp;
    proxy_temp_path $tmp/nginx/tmp;
    fastcgi_temp_path $tmp/nginx/tmp;
    uwsgi_temp_path $tmp/nginx/tmp;
    scgi_temp_path $tmp/nginx/tmp;
    upstream app {
        server 127.0.0.1:$B1;
        server 127.0.0.1:$B2;
        server 127.0.0.1:$B3;
        keepalive 256;
    }
    server {
        listen 127.0.0.1:$NG_HTTP;
        location / {
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Connection "";
            proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
        }
    }
}
stream {
    upstream app { server 127.0.0.1:$B1; server 127.0.0.1:$B2; server 127.0.0.1:$B3; }
    server { listen 127.0.0.1:$NG_TCP; proxy_pass app; }
}
EOF
}

# launch NAME: starts the balancer NAME, sets pid_of/http_port_of/tcp_port_of[NAME], records its start-up ms
declare -A pid_of http_port_of tcp_port_of
launch() {
    local name="$1" t0 ms pid http_port tcp_port
    if [ "$name" = lb ] && [ "$JAVA_FEATURE_VERSION" -lt 25 ] && [ ! -f "$root/distribution/target/lb/lib/lb-run.jsa" ]; then
        # Before Java 25 the first run after a build records the class-data archive (see ./lb) as it exits; the
        # start-up figure is that of the runs after it, as an operator's restarts are. (From Java 25 the launcher
        # records its ahead-of-time cache when it builds, before any run.)
        t0=$(now_ms)
        LB_LOG_LEVEL=WARN "$root/lb" run --workers "$WORKERS" "$tmp/lb.yaml" > "$tmp/lb-first.log" 2>&1 &
        pid=$!; pids+=("$pid")
        ms=$(wait_http "http://127.0.0.1:$LB_HTTP/" 30 "$t0") || die "lb did not answer within 30s; its log: $(tail -20 "$tmp/lb-first.log")"
        log "lb: first launch after a build answered after ${ms} ms; it records the class-data archive on exit"
        stop_pid "$pid"
    fi
    t0=$(now_ms)
    case "$name" in
        lb)
            LB_LOG_LEVEL=WARN "$root/lb" run --workers "$WORKERS" "$tmp/lb.yaml" > "$tmp/lb.log" 2>&1 &
            pid=$!; http_port=$LB_HTTP; tcp_port=$LB_TCP ;;
        lb-epoll)
            LB_LOG_LEVEL=WARN "$root/lb" run --workers "$WORKERS" --transport epoll "$tmp/lb-epoll.yaml" \
                > "$tmp/lb-epoll.log" 2>&1 &
            pid=$!; http_port=$LBE_HTTP; tcp_port=$LBE_TCP ;;
        haproxy|haproxy-splice)
            haproxy -db -f "$tmp/$name.cfg" > "$tmp/$name.log" 2>&1 &
            pid=$!; http_port=${haproxy_http_port[$name]}; tcp_port=${haproxy_tcp_port[$name]} ;;
        nginx)
            nginx -p "$tmp/nginx" -c "$tmp/nginx/nginx.conf" -e "$tmp/nginx/logs/error.log" > "$tmp/nginx.log" 2>&1 &
            pid=$!; http_port=$NG_HTTP; tcp_port=$NG_TCP ;;
    esac
    pids+=("$pid")
    ms=$(wait_http "http://127.0.0.1:$http_port/" 30 "$t0") || die "$name did not answer within 30s; its log: $(tail -20 "$tmp/$name.log")"
    wait_http "http://127.0.0.1:$tcp_port/" 10 "$t0" >/dev/null || die "$name's TCP listener did not answer within 10s"
    pid_of[$name]=$pid; http_port_of[$name]=$http_port; tcp_port_of[$name]=$tcp_port
    echo "$round $name-startup $ms" >> "$results"
    log "$name: first proxied response ${ms} ms after launch (pid $pid)"
}

# run_load TARGET LOAD: one load through TARGET, a balancer or "direct" (a backend itself, the limit)
bulk_conns=4
run_load() {
    local target="$1" load="$2" pid=- http_port=$B1 tcp_port=$B1
    if [ "$target" != direct ]; then
        pid=${pid_of[$target]}; http_port=${http_port_of[$target]}; tcp_port=${tcp_port_of[$target]}
    fi
    case "$load" in
        http-keepalive) run_wrk "$target/$load" "http://127.0.0.1:$http_port/" "$CONNECTIONS" "$pid" ;;
        http-close) run_wrk "$target/$load" "http://127.0.0.1:$http_port/" "$CONNECTIONS" "$pid" -H "Connection: close" ;;
        tcp) [ "$target" = direct ] || run_wrk "$target/$load" "http://127.0.0.1:$tcp_port/" "$CONNECTIONS" "$pid" ;;
        bulk-tcp) run_wrk "$target/$load" "http://127.0.0.1:$tcp_port/bulk" "$bulk_conns" "$pid" ;;
    esac
}

# --- table --------------------------------------------------------------------------------------------------------
print_table() {
    python3 - "$results" "$BALANCERS" <<'EOF'
import collections, statistics, sys
# result lines: ROUND NAME/LOAD rps p50 p99 cpu mbs [errors...] | ROUND NAME-startup ms | ROUND NAME-alloc bytes
#               | ROUND NAME-idle kB/conn rss_before rss_with [live_heap]
runs = collections.defaultdict(dict)   # "lb/tcp" -> round -> fields
extra = collections.defaultdict(dict)  # "lb-startup" -> round -> fields
for line in open(sys.argv[1]):
    rnd, key, *fields = line.split()
    (extra if key.endswith(("-startup", "-alloc", "-idle")) else runs)[key][rnd] = fields
targets = ["direct"] + sys.argv[2].split()

def num(v):
    try: return float(v)
    except (TypeError, ValueError): return None

def median(values):
    values = [v for v in values if v is not None]
    return statistics.median(values) if values else None

def fmt(v, spec, suffix=""):
    return "-" if v is None else f"{v:{spec}}{suffix}"

def ratios(key, ha_key, column):
    """This target's figure over HAProxy's, round by round (only rounds where both ran)."""
    mine, ha = runs.get(key, {}), runs.get(ha_key, {})
    out = []
    for rnd in sorted(mine, key=int):
        a, b = num(mine[rnd][column]), num(ha.get(rnd, [None] * 5)[column])
        if a is not None and b:
            out.append(a / b)
    return out

RPS, P50, P99, CPU, MBS = range(5)
print()
W = max(12, max(len(t) for t in targets) + 2)  # the target column fits the longest name
print(f"{'load':<15}{'target':<{W}}{'req/s':>10}{'p50 ms':>9}{'p99 ms':>9}{'CPU us/req':>12}{'MB/s':>9}"
      f"{'req/s vs HA':>13}{'p99 vs HA':>11}{'CPU vs HA':>11}  by round")
for load in ["http-keepalive", "http-close", "tcp", "bulk-tcp"]:
    ha_key = f"haproxy/{load}"
    for t in targets:
        key = f"{t}/{load}"
        if key not in runs:
            continue
        rounds = runs[key].values()
        col = lambda c: median(num(r[c]) for r in rounds)
        main = ratios(key, ha_key, MBS if load == "bulk-tcp" else RPS)
        p99r = ratios(key, ha_key, P99) if t != "direct" else []
        cpur = ratios(key, ha_key, CPU) if t != "direct" else []
        by_round = " ".join(f"{r:.2f}" for r in main) if len(main) > 1 else ""
        print(f"{load:<15}{t:<{W}}{fmt(col(RPS), '>10.0f')}{fmt(col(P50), '>9.2f')}{fmt(col(P99), '>9.2f')}"
              f"{'-' if t == 'direct' else fmt(col(CPU), '.1f'):>12}{fmt(col(MBS), '>9.1f')}"
              f"{fmt(median(main), '.2f', 'x'):>13}{fmt(median(p99r), '.2f', 'x'):>11}"
              f"{fmt(median(cpur), '.2f', 'x'):>11}  {by_round}")
        for rnd, r in sorted(runs[key].items(), key=lambda kv: int(kv[0])):
            if len(r) > 5:
                print(f"{'':<24}errors in round {rnd}: {' '.join(r[5:])}")
print()
allocs = [f"{k[:-6]} {median(num(v[0]) for v in extra[k].values()):.0f}"
          for k in extra if k.startswith("lb") and k.endswith("-alloc")]
if allocs:
    print("(lb's event loop allocated per request, in bytes: " + ", ".join(allocs) + ")")
print("(bulk-tcp: the ratio column compares MB/s; CPU us/req there is per 64 MB response)")
print("(by round: the req/s ratio to HAProxy in each round, or MB/s for bulk-tcp)")
print("(kB/conn: resident size added per idle connection; live heap kB/conn: lb's Java heap after a full GC, per connection)")
print()
print(f"{'balancer':<{W}}{'start-up ms':>12}{'idle RSS MB':>13}{'with idle MB':>13}{'kB/conn':>9}"
      f"{'start-up vs HA':>16}{'kB/conn vs HA':>15}{'live heap kB/conn':>19}")

def startup(t):
    return median(num(v[0]) for v in extra.get(f"{t}-startup", {}).values())

def idle(t):
    return next(iter(extra.get(f"{t}-idle", {}).values()), None)

ha_s, ha_i = startup("haproxy"), idle("haproxy")
for t in targets[1:]:
    s, i = startup(t), idle(t)
    if s is None or not i:
        continue
    print(f"{t:<{W}}{s:>12.0f}{int(i[1]) / 1024:>13.1f}{int(i[2]) / 1024:>13.1f}{i[0]:>9}"
          f"{fmt(s / ha_s if ha_s else None, '.2f', 'x'):>16}"
          f"{fmt(float(i[0]) / float(ha_i[0]) if ha_i and float(ha_i[0]) else None, '.2f', 'x'):>15}"
          f"{i[3] if len(i) > 3 else '-':>19}")
EOF
}

# --- main ---------------------------------------------------------------------------------------------------------
ensure_tools
# HAProxy reserves two descriptors per connection of its maxconn and refuses to start when the hard limit is lower:
# 10,000 idle connections need a hard limit of about 21,100. Below that, use the largest round count that fits.
hard_fds=$(ulimit -Hn); [ "$hard_fds" = unlimited ] && hard_fds=1048576
if [ -z "$IDLE_CONNECTIONS" ]; then
    IDLE_CONNECTIONS=10000
    if [ $(( 2 * (IDLE_CONNECTIONS + 500) + 100 )) -gt "$hard_fds" ]; then
        IDLE_CONNECTIONS=$(( ((hard_fds - 100) / 2 - 500) / 1000 * 1000 ))
        log "note: the hard limit of open files is $hard_fds, too low for HAProxy to hold 10,000 connections;" \
            "measuring memory with $IDLE_CONNECTIONS (raise the hard limit, e.g. ulimit -Hn 65536 as root, for 10,000)"
    fi
fi
HA_MAXCONN=$(( IDLE_CONNECTIONS + 500 ))
ulimit -n "$hard_fds" 2>/dev/null || true
[ "$(ulimit -n)" -ge $(( 2 * HA_MAXCONN + 100 )) ] || [[ " $BALANCERS " != *" haproxy "* ]] \
    || die "ulimit -n is $(ulimit -n): too low for $IDLE_CONNECTIONS idle connections through HAProxy (set IDLE_CONNECTIONS lower)"
if [ "$WORKERS" -ne 1 ] && [[ " $BALANCERS " == *" nginx "* ]]; then
    log "note: with WORKERS=$WORKERS nginx runs a master process; its CPU figure counts the master only"
fi

# build lb first, so its start-up is the launcher's and not Maven's
if [[ " $BALANCERS " == *" lb"* ]]; then
    log "building lb (when sources changed)"
    "$root/lb" --help >/dev/null
fi

tmp=$(mktemp -d /tmp/lb-bench.XXXXXX)
results="$tmp/results"
: > "$results"
read -r B1 B2 B3 LB_HTTP LB_TCP LBE_HTTP LBE_TCP HA_HTTP HA_TCP HAS_HTTP HAS_TCP NG_HTTP NG_TCP <<<"$(free_ports 13)"
write_backend_conf; write_lb_conf lb "$LB_HTTP" "$LB_TCP"; write_lb_conf lb-epoll "$LBE_HTTP" "$LBE_TCP"
write_haproxy_conf haproxy "$HA_HTTP" "$HA_TCP"; write_haproxy_conf haproxy-splice "$HAS_HTTP" "$HAS_TCP" splice
write_nginx_conf

log "machine: $(nproc) cores, $(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo); load: $(cut -d' ' -f1-3 /proc/loadavg)"
log "versions: $(haproxy -v | head -1 | cut -d' ' -f1-3), $(nginx -v 2>&1 | cut -d' ' -f3), $("$JAVA" -version 2>&1 | head -1)"

nginx -p "$tmp/backend" -c "$tmp/backend/nginx.conf" -e "$tmp/backend/logs/error.log" > "$tmp/backend.log" 2>&1 &
backend=$!
pids+=("$backend")
for port in $B1 $B2 $B3; do
    wait_http "http://127.0.0.1:$port/" 10 "$(now_ms)" >/dev/null || die "backend nginx on $port did not start: $(cat "$tmp/backend.log")"
done

# Each round starts every balancer afresh (a JVM's compiled code differs from one start to the next) and runs each
# load through every target back to back, so that the runs compared are minutes apart at most; the balancers take
# turns at going first. The table gives the median of the rounds.
selected() { [[ " $LOADS " == *" $1 "* ]]; }
read -ra balancers <<<"$BALANCERS"
for round in $(seq "$ROUNDS"); do
    shift_by=$(( (round - 1) % ${#balancers[@]} ))
    order=("${balancers[@]:shift_by}" "${balancers[@]:0:shift_by}")
    log "round $round of $ROUNDS: ${order[*]}"
    # Each starts on a quiet machine (a JVM keeps compiling for a moment after its first answer); the balancers
    # then wait idle while the others are measured (an idle lb used 0.25% of a core, measured over 20 s).
    for name in "${order[@]}"; do sleep 2; launch "$name"; done
    for load in http-keepalive http-close tcp bulk-tcp; do
        selected "$load" || continue
        for target in direct "${order[@]}"; do run_load "$target" "$load"; done
    done
    if [ "$round" = 1 ] && selected memory; then
        for name in "${order[@]}"; do idle_memory "$name" "${pid_of[$name]}" "${http_port_of[$name]}"; done
    fi
    for name in "${order[@]}"; do stop_pid "${pid_of[$name]}"; done
done

echo
echo "lb benchmark, $(date -u '+%Y-%m-%d %H:%M UTC'), $(nproc) cores ($(awk -F': ' '/model name/ { print $2; exit }' /proc/cpuinfo)), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "wrk -t1 -c$CONNECTIONS -d$DURATION (after a $WARMUP warm-up), $WORKERS worker thread(s) per balancer, 3 nginx backends"
echo "median of $ROUNDS round(s), each ratio taken against HAProxy in the same round"
echo "memory: resident size with $IDLE_CONNECTIONS idle client connections on the HTTP listener, minus before"
print_table
