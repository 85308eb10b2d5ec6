"""python-consul against a Hivemind agent: what its users call, in the order they call it.

Run by PythonConsulClientIT as `python3 consul-client.py HOST PORT NODE`. Prints one JSON object:
each step's name and what the client returned, made JSON-safe (bytes as text), or {"error": ...}
when the client raised. The test asserts on it; this script asserts nothing itself, so a step that
breaks shows up as its own failure, not as a stack trace.
"""
import base64
import json
import sys
import threading
import time

import consul

host, port, node = sys.argv[1], int(sys.argv[2]), sys.argv[3]
c = consul.Consul(host=host, port=port)
report = {}


def safe(value):
    if isinstance(value, bytes):
        return value.decode("utf-8")
    if isinstance(value, (list, tuple)):
        return [safe(v) for v in value]
    if isinstance(value, dict):
        return {str(k): safe(v) for k, v in value.items()}
    return value


def step(name, call):
    try:
        report[name] = safe(call())
    except Exception as e:  # the test reports which step failed and why
        report[name] = {"error": "%s: %s" % (type(e).__name__, e)}


def index_of(name):
    result = report.get(name)
    return result[0] if isinstance(result, list) else None


# Status and agent: health indicators and tools start here.
step("status.leader", lambda: c.status.leader())
step("agent.self.datacenter", lambda: c.agent.self()["Config"]["Datacenter"])
step("catalog.datacenters", lambda: c.catalog.datacenters())

# KV: put, flags, get, recurse, keys with a separator, check-and-set, blocking get, delete.
step("kv.put", lambda: c.kv.put("app/config/a", "hello"))
step("kv.put.flags", lambda: c.kv.put("app/config/b", "x", flags=42))
step("kv.get", lambda: c.kv.get("app/config/a"))
step("kv.get.recurse", lambda: c.kv.get("app/", recurse=True))
step("kv.get.keys", lambda: c.kv.get("app/", keys=True, separator="/"))
step("kv.get.missing", lambda: c.kv.get("app/none"))
modify = report["kv.get"][1]["ModifyIndex"] if "error" not in report["kv.get"] else 0
step("kv.put.cas.current", lambda: c.kv.put("app/config/a", "v2", cas=modify))
step("kv.put.cas.stale", lambda: c.kv.put("app/config/a", "v3", cas=modify))
index, _ = c.kv.get("app/config/a")
writer = threading.Timer(0.5, lambda: c.kv.put("app/config/a", "woken"))
writer.start()
started = time.monotonic()
step("kv.get.blocking", lambda: c.kv.get("app/config/a", index=index, wait="20s"))
report["kv.get.blocking.seconds"] = time.monotonic() - started
writer.join()
step("kv.delete.recurse", lambda: c.kv.delete("app/", recurse=True))
step("kv.get.deleted", lambda: c.kv.get("app/", recurse=True))

# Transactions: every operation or none; reads see the writes before them; a failed check names
# the operation (python-consul hands a 409's body back as it is).
def b64(text):
    return base64.b64encode(text.encode()).decode()


step(
    "txn.applied",
    lambda: c.txn.put(
        [
            {"KV": {"Verb": "set", "Key": "txn/a", "Value": b64("one")}},
            {"KV": {"Verb": "set", "Key": "txn/b", "Value": b64("two"), "Flags": 7}},
            {"KV": {"Verb": "get", "Key": "txn/a"}},
        ]
    ),
)
def failed_txn(payload):
    """python-consul2 raises ClientError for a 409, keeping Consul's body in its message."""
    try:
        return {"returned": c.txn.put(payload)}
    except consul.base.ClientError as e:
        status, _, body = str(e).partition(" ")
        return {"status": int(status), "body": json.loads(body)}


step(
    "txn.failed",
    lambda: failed_txn(
        [
            {"KV": {"Verb": "set", "Key": "txn/c", "Value": b64("three")}},
            {"KV": {"Verb": "check-not-exists", "Key": "txn/a"}},
        ]
    ),
)
step("txn.get.after_failed", lambda: c.kv.get("txn/c"))
step("txn.get_tree", lambda: c.txn.put([{"KV": {"Verb": "get-tree", "Key": "txn/"}}]))

# Sessions and locks (leader election as python-consul's users write it): two sessions, one takes
# the lock, the other cannot; the holder renews, reads itself back, gives the lock up by being
# destroyed; the lock delay keeps the other out for a second, then it takes the lock.
s1 = c.session.create(name="one", lock_delay=1, ttl=15)
s2 = c.session.create(name="two", lock_delay=0, behavior="delete")
report["session.create"] = [s1, s2]
step("kv.acquire.first", lambda: c.kv.put("locks/leader", "one", acquire=s1))
step("kv.acquire.second", lambda: c.kv.put("locks/leader", "two", acquire=s2))
step("kv.get.locked", lambda: c.kv.get("locks/leader"))
step("kv.release.not_holder", lambda: c.kv.put("locks/leader", "x", release=s2))
step("session.renew", lambda: c.session.renew(s1))
step("session.info", lambda: c.session.info(s1))
step("session.node", lambda: c.session.node(node))
step("session.list", lambda: c.session.list())
step("session.destroy", lambda: c.session.destroy(s1))
step("kv.acquire.in_lock_delay", lambda: c.kv.put("locks/leader", "two", acquire=s2))
time.sleep(1.5)
step("kv.acquire.after_lock_delay", lambda: c.kv.put("locks/leader", "two", acquire=s2))
step("kv.get.relocked", lambda: c.kv.get("locks/leader"))
step("session.destroy.delete", lambda: c.session.destroy(s2))
step("kv.get.deleted_with_session", lambda: c.kv.get("locks/leader"))
step("session.info.destroyed", lambda: c.session.info(s2))

# Services: register with a TTL check, report it, put it in maintenance and out, look it up every
# way, then fail and remove it.
step(
    "agent.service.register",
    lambda: c.agent.service.register(
        "web",
        service_id="web-1",
        address="10.0.0.1",
        port=8080,
        tags=["a", "b"],
        check=consul.Check.ttl("30s"),
    ),
)
step("agent.services", lambda: c.agent.services())
step("agent.check.ttl_pass", lambda: c.agent.check.ttl_pass("service:web-1", notes="fine"))
step("agent.service.maintenance.on", lambda: c.agent.service.maintenance("web-1", "true", "deploy"))
step("health.service.passing.maintenance", lambda: c.health.service("web", passing=True))
step("health.checks.maintenance", lambda: c.health.checks("web"))
step("agent.service.maintenance.off", lambda: c.agent.service.maintenance("web-1", "false"))
step("agent.maintenance.on", lambda: c.agent.maintenance("true", "rack move"))
step("health.service.passing.node.maintenance", lambda: c.health.service("web", passing=True))
step("health.node.maintenance", lambda: c.health.node(node))
step("agent.maintenance.off", lambda: c.agent.maintenance("false"))
step("agent.check.register.node", lambda: c.agent.check.register("disk", check=consul.Check.ttl("30s")))
step("health.service.passing.node.check", lambda: c.health.service("web", passing=True))
step("agent.check.ttl_pass.node", lambda: c.agent.check.ttl_pass("disk", notes="space left"))
step("health.node.node.check", lambda: c.health.node(node))
step("agent.check.deregister.node", lambda: c.agent.check.deregister("disk"))
step("agent.checks", lambda: c.agent.checks())
step("catalog.services", lambda: c.catalog.services())
step("catalog.service", lambda: c.catalog.service("web"))
step("catalog.service.tag", lambda: c.catalog.service("web", tag="b"))
step("catalog.nodes", lambda: c.catalog.nodes())
step("catalog.node", lambda: c.catalog.node(node))
step("catalog.node.unknown", lambda: c.catalog.node("no-such-node"))
step("health.node", lambda: c.health.node(node))
step("health.service.passing", lambda: c.health.service("web", passing=True))
step("health.checks", lambda: c.health.checks("web"))
step("health.state.passing", lambda: c.health.state("passing"))
step("agent.check.ttl_fail", lambda: c.agent.check.ttl_fail("service:web-1", notes="down"))
step("health.service.passing.failed", lambda: c.health.service("web", passing=True))
step("health.service.all.failed", lambda: c.health.service("web"))
step("agent.service.deregister", lambda: c.agent.service.deregister("web-1"))
step("catalog.service.deregistered", lambda: c.catalog.service("web"))

# The catalogue's persistent side and the event log.
step(
    "catalog.register",
    lambda: c.catalog.register(
        "ext-db", "10.1.1.1", service={"Service": "postgres", "ID": "pg-1", "Port": 5432}
    ),
)
step("catalog.service.external", lambda: c.catalog.service("postgres"))
step("catalog.deregister", lambda: c.catalog.deregister("ext-db"))
step("event.fire", lambda: c.event.fire("deploy", "v1"))
step("event.list", lambda: c.event.list(name="deploy"))

print(json.dumps(report))
