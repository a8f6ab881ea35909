#!/usr/bin/env python3
"""Opens N idle TCP connections to 127.0.0.1:PORT, prints "ready N" once all are open, then holds them.

Used by bench/run.sh to measure a balancer's resident memory per idle client connection. Nothing is sent on the
connections. Holds them until stdin closes or HOLD seconds pass, whichever is first, so it always ends by itself.

    idle_clients.py PORT COUNT HOLD_SECONDS
    idle_clients.py --churn PORT COUNT HOLD_SECONDS

With --churn, opens and closes COUNT connections instead, at most 100 open at a time, then exits: the same work for
the balancer's accept path without holding them, to warm it up before measuring (a JVM compiles the path meanwhile,
and the compiler's working memory must not be counted as the connections').
"""
import select
import socket
import sys
import time


def churn(port, count, deadline):
    opened = 0
    while opened < count:
        if time.monotonic() > deadline:
            sys.exit(f"idle_clients: only {opened} of {count} connections opened and closed before the deadline")
        batch = []
        try:
            for _ in range(min(100, count - opened)):
                batch.append(socket.create_connection(("127.0.0.1", port),
                                                      timeout=max(0.1, deadline - time.monotonic())))
        except OSError as e:
            sys.exit(f"idle_clients: connection {opened + len(batch) + 1} of {count} to 127.0.0.1:{port} failed: {e}")
        opened += len(batch)
        for s in batch:
            s.close()
    print(f"churned {opened}", flush=True)


def main():
    args = sys.argv[1:]
    churning = args[:1] == ["--churn"]
    if churning:
        args = args[1:]
    if len(args) != 3:
        sys.exit("usage: idle_clients.py [--churn] PORT COUNT HOLD_SECONDS")
    port, count, hold = int(args[0]), int(args[1]), float(args[2])
    deadline = time.monotonic() + hold
    if churning:
        churn(port, count, deadline)
        return
    sockets = []
    try:
        for i in range(count):
            if time.monotonic() > deadline:
                sys.exit(f"idle_clients: only {i} of {count} connections opened before the deadline")
            s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            s.settimeout(max(0.1, deadline - time.monotonic()))
            s.connect(("127.0.0.1", port))
            sockets.append(s)
    except OSError as e:
        sys.exit(f"idle_clients: connection {len(sockets) + 1} of {count} to 127.0.0.1:{port} failed: {e}"
                 " (raise `ulimit -n`?)")
    print(f"ready {len(sockets)}", flush=True)
    # Hold until the caller closes our stdin or the deadline passes.
    while time.monotonic() < deadline:
        readable, _, _ = select.select([sys.stdin], [], [], max(0.0, min(1.0, deadline - time.monotonic())))
        if readable and not sys.stdin.readline():
            break
    # Count the connections the balancer closed meanwhile: they make a memory figure meaningless.
    closed = 0
    for s in sockets:
        s.setblocking(False)
        try:
            if s.recv(1) == b"":
                closed += 1
        except BlockingIOError:
            pass
        except OSError:
            closed += 1
        s.close()
    print(f"closed-by-peer {closed}", flush=True)


if __name__ == "__main__":
    main()
