#!/usr/bin/env bash
# Service registrations per second and their ack latency, etcd 3.4 against Hivemind's catalogue, in
# one run on one box (issue 11, "Figures"): 3 etcd members on loopback, then 3 Hivemind control
# agents and one plain agent on loopback, each driven by the same closed-loop load
# (KvLoadFigures --workload registration: the same registrations in flight, the same JSON document
# of about 200 bytes, fresh instance ids); then one table side by side.
#
#   hivemind-bench/scripts/etcd-vs-registrations.sh [--in-flight 1,16,64] [--seconds 10]
#       [--warmup 3] [--keys 20000] [--services 1000] [--check none|ttl] [--only etcd|hivemind]
#       [--no-control-owner]
#
# A registration, etcd: POST /v3/lease/grant (TTL 300 s, longer than the run: nothing expires
# while it runs), then POST /v3/kv/put of services/bench/bench-<n> bound to that lease, through
# the JSON gateway of Debian's etcd-server (installed with apt-get when missing); acknowledged by
# the put's answer, so its latency covers both calls. Clients spread over the 3 members (etcd's best
# case: each member forwards to the leader). Hivemind: PUT /v1/agent/service/register of bench-<n>
# (no check unless --check ttl) on the plain agent, which owns it (issue 11: accepted locally,
# replicated without a consensus round); then, unless --no-control-owner, the same load on a
# control agent as the owner. Each level registers its own --keys instances (level L: numbers
# L*keys and up), so instances are fresh until a level passes --keys registrations; after that it
# re-registers its own (still a new document: a write counter in the meta changes every time).
# Instance n belongs to service bench-s<n mod SERVICES> (etcd key services/<service>/bench-<n>):
# many services of a few instances, as registries hold; --services 1 puts every instance in one
# service, the worst case for Hivemind's replica, which rebuilds a changed service's list on every
# publish (docs/benchmarks.md). OWNER_JAVA_OPTS, when set, replaces the plain agent's JVM flags
# (HIVEMIND_JAVA_OPTS for it alone; the control agents keep the launcher's).
# Both stores fsync (etcd: every commit; Hivemind's registrations are not in the Raft log at all).
# Columns as etcd-vs-control.sh's: registrations/s ("writes/s"), latency percentiles, errors, the
# members' CPU over the window (server%: the 3 etcd members; Hivemind's 3 control agents and the
# plain agent), their CPU time per registration (us/write) and the load generator's (client%).
# KEEP_WORK=1 keeps the logs and data directories.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=loopback-cluster.sh
source "$root/hivemind-bench/scripts/loopback-cluster.sh"

in_flight=1,16,64
seconds=10
warmup=3
keys=20000
services=1000
check=none
only=""
control_owner=yes
members=3

usage() {
  sed -n '8,10p' "${BASH_SOURCE[0]}" | sed 's/^#  *//' >&2
  exit 2
}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --in-flight) in_flight="${2:?}"; shift ;;
    --seconds) seconds="${2:?}"; shift ;;
    --warmup) warmup="${2:?}"; shift ;;
    --keys) keys="${2:?}"; shift ;;
    --services) services="${2:?}"; shift ;;
    --check) check="${2:?}"; shift ;;
    --only) only="${2:?}"; shift ;;
    --no-control-owner) control_owner=no ;;
    *) usage ;;
  esac
  shift
done

cluster_init etcd-vs-registrations

# The load generator: built classes when given, otherwise its JDK-only sources compiled here.
load_classpath() {
  if [[ -n "${KV_LOAD_CLASSPATH:-}" ]]; then
    printf '%s' "$KV_LOAD_CLASSPATH"
    return
  fi
  mkdir -p "$work/classes"
  javac -nowarn -d "$work/classes" "$root"/hivemind-bench/src/main/java/io/hivemind/bench/kv/*.java
  printf '%s' "$work/classes"
}

# run_load SYSTEM ENDPOINTS OUT [KEY_OFFSET]: KvLoadFigures' output, also kept in $work/OUT.out for
# the table.
run_load() {
  echo "== $3 (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  java -XX:+UseParallelGC -cp "$classpath" io.hivemind.bench.kv.KvLoadFigures --system "$1" \
    --workload registration --check "$check" --keys "$keys" --key-offset "${4:-0}" \
    --services "$services" \
    --endpoints "$2" --in-flight "$in_flight" --seconds "$seconds" --warmup-seconds "$warmup" \
    --member-pids "$(IFS=,; echo "${member_pids[*]}")" | tee "$work/$3.out"
}

etcd_half() {
  ensure_etcd
  echo "== starting $members etcd members ($(etcd --version | head -n 1))"
  etcd_start "$members"
  wait_for 30 "$members healthy etcd members" etcd_all_healthy
  run_load etcd "$(etcd_endpoints)" etcd
  stop_members
}

hivemind_all_see_leader() {
  local i
  for i in "${!member_http[@]}"; do hivemind_leader "$i" || return 1; done
}

# Whether control-0's GET /v1/catalog/nodes lists node $1 (admitted by the control plane).
hivemind_admitted() {
  [[ "$(http_request GET "${member_http[0]}" '/v1/catalog/nodes?stale')" == *"\"Node\":\"$1\""* ]]
}

# table_settled MEMBERS: whether control-0's committed table names MEMBERS members and has no move
# in flight. Not hivemind_settled: every agent here is on 127.0.0.1, one host, so the table keeps
# each partition under-replicated (never two replicas on one host) and says so.
table_settled() {
  local info
  info="$(hivemind_get 0 /v1/partitions)" || return 1
  [[ "$info" == *'"MovesInFlight":0'* ]] || return 1
  [[ "$(grep -o '"ID":' <<<"$info" | wc -l)" -eq "$1" ]]
}

# The plain agent that owns the registrations: no control role, seeded with control-0.
plain_http=""
start_plain_agent() {
  local gossip
  free_port && plain_http=$port
  free_port && gossip=$port
  local -a env=()
  [[ -n "${OWNER_JAVA_OPTS+set}" ]] && env=("HIVEMIND_JAVA_OPTS=$OWNER_JAVA_OPTS")
  env "${env[@]}" "$launcher" agent --node owner --env testing --cluster bench \
    --bind "127.0.0.1:$gossip" --http-bind "127.0.0.1:$plain_http" \
    --data-dir "$work/owner" --seed "127.0.0.1:${hivemind_gossip_ports[0]}" \
    >>"$work/owner.log" 2>&1 &
  pids+=($!)
  plain_pid=$!
}

# How many instances the agent on port $1 holds in its replica (its hivemind_catalog_instances).
catalogue_count() {
  curl -sf --max-time 10 "http://127.0.0.1:$1/v1/agent/metrics?format=prometheus" |
    awk '/^hivemind_catalog_instances[{ ]/ { printf "%d", $NF }'
}

# Every agent's count, once they agree (tried 10 times, a second apart): the acknowledged registrations replicated.
print_counts() {
  local i port counts distinct
  for ((i = 0; i < 10; i++)); do
    counts=""
    for port in "${member_http[@]}" "$plain_http"; do counts+=" $(catalogue_count "$port")"; done
    distinct="$(tr ' ' '\n' <<<"$counts" | sed '/^$/d' | sort -u | wc -l)"
    ((distinct == 1)) && break
    sleep 1
  done
  echo "instances in the replicas of control-0..2 and the plain agent after the load:$counts"
}

hivemind_half() {
  if ! hivemind_supported; then
    echo "== hivemind: skipped, this build's agent has no control role"
    return
  fi
  echo "== starting $members Hivemind control agents and one plain agent (the owner)"
  hivemind_start "$members"
  wait_for 90 "every control agent to report a leader" hivemind_all_see_leader
  start_plain_agent
  wait_for 60 "the plain agent's admission" hivemind_admitted owner
  # The partitioned store's first tables move replicas onto each agent as it is admitted: measured
  # before they settle, the first level shared the agents with that work (11 registrations/s at 1
  # in flight, p99 1.5 s, in a run of 2026-12-02).
  wait_for 120 "the partition table to settle on 4 members" table_settled 4
  sleep 3 # its catalogue link and the mesh settle
  member_pids+=("$plain_pid")
  run_load hivemind "http://127.0.0.1:$plain_http" hivemind
  if [[ "$control_owner" == yes ]]; then
    # Levels of its own, numbered after the plain agent's: fresh instances here too.
    run_load hivemind "http://127.0.0.1:${member_http[1]}" hivemind-control \
      "$(($(tr ',' '\n' <<<"$in_flight" | wc -l) * keys))"
  fi
  print_counts
  stop_members
}

# One row a load level: etcd's figures, Hivemind's (file $1), and the ratio of their rates.
side_by_side() {
  local etcd_rows hivemind_rows
  etcd_rows="$(awk '$1 == "etcd" && $2 ~ /^[0-9]+$/' "$work/etcd.out" 2>/dev/null || true)"
  hivemind_rows="$(awk '$1 == "hivemind" && $2 ~ /^[0-9]+$/' "$work/$1.out" 2>/dev/null || true)"
  [[ -n "$hivemind_rows" ]] || return 0
  echo
  echo "== side by side, owner: $2 ($members etcd members; ${seconds} s a level)"
  printf '%-9s | %-45s | %-45s | %s\n' "" "etcd: lease grant + put" "hivemind: agent register" ""
  printf '%-9s | %10s %8s %8s %8s %8s | %10s %8s %8s %8s %8s | %s\n' in-flight regs/s \
    "p50 ms" "p99 ms" "p99.9 ms" "us/reg" regs/s "p50 ms" "p99 ms" "p99.9 ms" "us/reg" \
    "hivemind/etcd"
  # Rows pair up by level and by how many times that level came before (--in-flight 1,16,64,16
  # runs 16 twice: etcd's second 16 beside Hivemind's second 16).
  awk -v hivemind="$hivemind_rows" '
    BEGIN { n = split(hivemind, lines, "\n")
            for (i = 1; i <= n; i++) {
              split(lines[i], f, " "); h[f[2] "#" (++seen[f[2]])] = lines[i] } }
    { level = $2
      key = level "#" (++met[level])
      if (key in h) {
        split(h[key], g, " ")
        printf "%-9s | %10s %8s %8s %8s %8s | %10s %8s %8s %8s %8s | %.2fx\n", level, $3, $4,
          $5, $6, $10, g[3], g[4], g[5], g[6], g[10], ($3 > 0 ? g[3] / $3 : 0)
      } else
        printf "%-9s | %10s %8s %8s %8s %8s | %10s %8s %8s %8s %8s |\n",
          level, $3, $4, $5, $6, $10, "-", "-", "-", "-", "-" }' <<<"$etcd_rows"
}

echo "machine: $(nproc) CPUs, data directories on $(stat -f -c %T "$work") ($work); $(uptime)"
classpath="$(load_classpath)"
[[ "$only" == "" || "$only" == etcd ]] && etcd_half
[[ "$only" == "" || "$only" == hivemind ]] && hivemind_half
if [[ "$only" == "" ]]; then
  side_by_side hivemind "the plain agent"
  [[ "$control_owner" == yes ]] && side_by_side hivemind-control "a control agent"
fi
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
