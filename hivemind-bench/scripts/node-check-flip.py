#!/usr/bin/env python3
"""How long a node check's change takes to reach every copy on another agent.

    hivemind-bench/scripts/node-check-flip.py SOURCE_HTTP_PORT OTHER_HTTP_PORT SOURCE_NODE [SERVICES]

A node check (PUT /v1/agent/check/register without a ServiceID) is run once by its agent, and each
instance the agent owns carries its status (docs/catalogue-http.md, "Node checks"): a flip is one
change per instance. On a cluster whose SOURCE agent owns instances of the services fp-0 ..
fp-(SERVICES-1) (10 by default, as agent-footprint.sh --instances registers them), this registers a
TTL node check "disk" on SOURCE (critical), passes it, fails it, and for each step prints how long
SOURCE took to answer and when the other agent's /v1/health/service answers first showed every one
of SOURCE's instances carrying the new status. The time includes one full poll of the lookups (tens
of milliseconds from Python), so it is an upper bound. The check is deregistered at the end.
Python 3's standard library only.
"""
import json
import sys
import time
import urllib.request

source, other, owner = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
services = int(sys.argv[4]) if len(sys.argv) > 4 else 10


def call(method, port, path, body=None):
    request = urllib.request.Request(f"http://127.0.0.1:{port}{path}", data=body, method=method)
    with urllib.request.urlopen(request) as response:
        return response.read()


def carrying(status):
    count = 0
    for s in range(services):
        for entry in json.loads(call("GET", other, f"/v1/health/service/fp-{s}")):
            if entry["Node"]["Node"] == owner and any(
                c["CheckID"] == "disk" and c["Status"] == status for c in entry["Checks"]
            ):
                count += 1
    return count


total = len(json.loads(call("GET", source, "/v1/agent/services")))
steps = [
    ("register (critical)", "/v1/agent/check/register", b'{"Name":"disk","TTL":"10m"}', "critical"),
    ("pass", "/v1/agent/check/pass/disk", None, "passing"),
    ("fail", "/v1/agent/check/fail/disk", None, "critical"),
]
try:
    for label, path, body, status in steps:
        start = time.monotonic()
        call("PUT", source, path, body)
        answered = time.monotonic()
        while carrying(status) < total:
            if time.monotonic() - start > 30:
                print(f"{label}: not on every copy after 30 s")
                break
        seen = time.monotonic()
        print(
            f"{label}: answered in {1000 * (answered - start):.1f} ms; all {total} instances of"
            f" {owner} carry it on the other agent within {1000 * (seen - start):.1f} ms"
        )
finally:
    call("PUT", source, "/v1/agent/check/deregister/disk")
