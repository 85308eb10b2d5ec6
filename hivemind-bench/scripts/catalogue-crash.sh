#!/usr/bin/env bash
# Agent crash → its instances gone everywhere (issue 11: "agent crash → gone everywhere ≤ committed
# removal + 1 s"), on real agent processes: 3 control agents and PLAIN plain agents on loopback.
# Each round registers INSTANCES instances of a service of its own on one plain agent (their
# owner), waits until every agent lists them, then kill -9's the owner and polls, every 20 ms and
# concurrently, control-0's GET /v1/catalog/nodes (the committed removal: the owner leaves it once
# the control plane commits it) and every other agent's GET /v1/catalog/service/NAME (the instances
# gone). Prints, for each kill, kill → committed removal, then committed removal → instances gone
# on the first and on the last agent; then p50 and max of each over the rounds.
#
#   hivemind-bench/scripts/catalogue-crash.sh [PLAIN] [KILLS] [INSTANCES]     (defaults 4, 3, 10)
#
# Each round kills another plain agent (so KILLS < PLAIN: the rest keep watching). Needs python3
# and curl. Each figure is late by up to 20 ms plus one HTTP round trip; a negative "removal → gone"
# would mean an agent dropped the instances before control-0 applied the removal (the two are
# independent replicas applying the same commit). KEEP_WORK=1 keeps the logs.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=loopback-cluster.sh
source "$root/hivemind-bench/scripts/loopback-cluster.sh"

plain=${1:-4}
kills=${2:-3}
instances=${3:-10}
((kills < plain)) || { echo "KILLS ($kills) must be below PLAIN ($plain)" >&2; exit 2; }
cluster_init catalogue-crash
hivemind_supported || { echo "this build's agent has no control role" >&2; exit 1; }

echo "machine: $(nproc) CPUs; $(uptime)"
hivemind_start 3
wait_for 60 "a leader" hivemind_leader 0

plain_http=() plain_pids=()
for ((i = 0; i < plain; i++)); do
  free_port && http=$port
  free_port && gossip=$port
  "$launcher" agent --node "plain-$i" --env testing --cluster bench \
    --bind "127.0.0.1:$gossip" --http-bind "127.0.0.1:$http" \
    --data-dir "$work/plain-$i" --seed "127.0.0.1:${hivemind_gossip_ports[0]}" \
    >>"$work/plain-$i.log" 2>&1 &
  pids+=($!)
  plain_pids+=($!)
  plain_http+=("$http")
done

admitted() {
  local nodes
  nodes="$(http_request GET "${member_http[0]}" '/v1/catalog/nodes?stale')" || return 1
  [[ "$(grep -o '"Node":' <<<"$nodes" | wc -l)" -ge "$1" ]]
}
wait_for 120 "$((plain + 3)) admitted members" admitted "$((plain + 3))"
sleep 3 # catalogue links settle

register() { # PORT SERVICE COUNT
  local n
  for ((n = 0; n < $3; n++)); do
    curl -sf -X PUT --max-time 5 "http://127.0.0.1:$1/v1/agent/service/register" \
      -d "{\"ID\":\"$2-$n\",\"Name\":\"$2\",\"Address\":\"127.0.0.1\",\"Port\":$((9000 + n))}" >/dev/null
  done
}

count_on() { # PORT SERVICE
  curl -sf --max-time 2 "http://127.0.0.1:$1/v1/catalog/service/$2?stale" | grep -o '"ServiceID":' | wc -l
}

# The other agents (every control agent, every plain agent still running but the victim).
watchers() { # VICTIM_INDEX
  local j
  printf '%s ' "${member_http[@]}"
  for ((j = $1 + 1; j < plain; j++)); do printf '%s ' "${plain_http[j]}"; done
}

everywhere() { # SERVICE COUNT VICTIM_INDEX
  local port
  for port in $(watchers "$3") "${plain_http[$3]}"; do
    [[ "$(count_on "$port" "$1")" == "$2" ]] || return 1
  done
}

# Kills PID and polls; prints "committed_ms first_gone_ms last_gone_ms" (the last two from the kill).
kill_and_watch() { # PID NODE SERVICE CONTROL_PORT WATCHER_PORTS...
  python3 - "$@" <<'PY'
import http.client, json, os, signal, sys, threading, time
pid, node, service, control = int(sys.argv[1]), sys.argv[2], sys.argv[3], int(sys.argv[4])
ports = [int(p) for p in sys.argv[5:]]
deadline = 60.0
result = {}

def get(conn, path):
    conn.request("GET", path)
    response = conn.getresponse()
    body = response.read()
    return json.loads(body) if response.status == 200 else None

def poll(key, port, path, done):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
    while time.monotonic() - start < deadline:
        try:
            answer = get(conn, path)
            if answer is not None and done(answer):
                result[key] = (time.monotonic() - start) * 1000
                return
        except (OSError, http.client.HTTPException, ValueError):
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        time.sleep(0.02)

start = time.monotonic()
os.kill(pid, signal.SIGKILL)
threads = [threading.Thread(target=poll, args=("committed", control, "/v1/catalog/nodes?stale",
           lambda nodes: all(n.get("Node") != node for n in nodes)))]
for port in ports:
    threads.append(threading.Thread(target=poll, args=(port, port,
        "/v1/catalog/service/%s?stale" % service, lambda entries: len(entries) == 0)))
for t in threads: t.start()
for t in threads: t.join()
missing = [k for k in ["committed"] + ports if k not in result]
if missing:
    print("not done within %d s: %s" % (deadline, missing), file=sys.stderr)
    sys.exit(1)
gone = [result[p] for p in ports]
print("%d %d %d" % (result["committed"], min(gone), max(gone)))
PY
}

committed_all=() last_all=() first_all=()
printf '%-8s %9s %14s %12s %12s\n' victim instances kill→commit commit→first commit→last
for ((k = 0; k < kills; k++)); do
  victim="plain-$k"
  service="crash-$k"
  register "${plain_http[k]}" "$service" "$instances"
  wait_for 30 "$instances instances of $service everywhere" everywhere "$service" "$instances" "$k"
  read -r committed first last < <(kill_and_watch "${plain_pids[k]}" "$victim" "$service" \
    "${member_http[0]}" $(watchers "$k"))
  wait "${plain_pids[k]}" 2>/dev/null || true # reaped here, so bash prints no "Killed" notice
  printf '%-8s %9d %11d ms %9d ms %9d ms\n' "$victim" "$instances" "$committed" \
    $((first - committed)) $((last - committed))
  committed_all+=("$committed")
  first_all+=($((first - committed)))
  last_all+=($((last - committed)))
  sleep 2
done

stats() { sort -n | awk '{a[NR]=$1} END {printf "p50 %d ms, max %d ms (n=%d)", a[int((NR+1)/2)], a[NR], NR}'; }
echo "kill → committed removal:                  $(printf '%s\n' "${committed_all[@]}" | stats)"
echo "committed removal → gone on the first agent: $(printf '%s\n' "${first_all[@]}" | stats)"
echo "committed removal → gone on the last agent:  $(printf '%s\n' "${last_all[@]}" | stats)"
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
