#!/usr/bin/env python3
"""Slow uploads against an agent's HTTP API: many connections each sending most of a large body
slowly, inside the body timeout, so the agent holds all of them at once while they arrive.

  hivemind-bench/scripts/slow-uploads.py [--connections 250] [--bytes 1048576]
                                         [--path /v1/state/m/k] [--port 7361] [--seconds 15]

Each connection sends a PUT head with Content-Length BYTES, then 15/16 of the body in even parts
over SECONDS (the API's body timeout is 20 s), waits 2 s and closes. Watch the agent meanwhile:
VmRSS in /proc/PID/status, and whether it still answers (curl /v1/agent/self). docs/security.md
has the figures. Python's standard library only.
"""
import argparse
import socket
import time


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=250)
    parser.add_argument("--bytes", type=int, default=1024 * 1024)
    parser.add_argument("--path", default="/v1/state/m/k")
    parser.add_argument("--port", type=int, default=7361)
    parser.add_argument("--seconds", type=int, default=15)
    args = parser.parse_args()

    sockets = []
    for i in range(args.connections):
        s = socket.create_connection(("127.0.0.1", args.port))
        head = "PUT %s%d HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % (
            args.path, i, args.bytes)
        s.sendall(head.encode())
        sockets.append(s)
    part = b"x" * (args.bytes // 16)
    refused = 0
    started = time.time()
    for _ in range(15):
        for s in list(sockets):
            try:
                s.sendall(part)
            except OSError:  # answered (503 too_many_uploads, 413) and closed by the agent
                refused += 1
                sockets.remove(s)
        time.sleep(args.seconds / 15)
    print("sent 15/16 of %d bodies of %d bytes in %.1f s; %d connections closed by the agent"
          % (args.connections, args.bytes, time.time() - started, refused))
    time.sleep(2)
    for s in sockets:
        s.close()


if __name__ == "__main__":
    main()
