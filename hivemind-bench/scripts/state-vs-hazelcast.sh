#!/usr/bin/env bash
# Partitioned state's put/get throughput and latency, Hazelcast 5 against Hivemind, in one run on
# one box (issue 13, "Figures"): 3 Hazelcast members in 3 JVMs on loopback (an IMap with one
# synchronous backup, TCP-IP join, no multicast), then 3 Hivemind control agents on loopback (the
# store's default of one synchronous backup), each driven by the same closed-loop load
# (StateFigures: the same keys, value size, put:get mix and calls in flight, through each system's
# own routing client: Hazelcast's smart client, HivemindClient.state); then one table side by side.
#
#   hivemind-bench/scripts/state-vs-hazelcast.sh [--concurrency 1,16,64] [--seconds 10]
#       [--warmup 3] [--keys 10000] [--value-bytes 100] [--mix 50:50] [--only hazelcast|hivemind]
#
# Hazelcast: com.hazelcast:hazelcast 5.7.0 (Maven Central, in benchmarks.jar), members started as
# `java $HAZELCAST_JAVA_OPTS -cp benchmarks.jar io.hivemind.bench.HazelcastMember`, default
# "-XX:+UseSerialGC -Xmx256m": the agents' heap cap and collector (the launcher's flags; the agents
# also run C1 only, which Hazelcast's members do not). Hivemind: `./hivemind agent --role control
# --bootstrap-expect 3` (loopback-cluster.sh), measured once GET /v1/partitions/owners names an
# owner for every partition and GET /v1/partitions shows no move in flight. Both backends preload every key once, so gets find a value (the
# get rows count misses: 0 expected). The load generator runs in its own JVM on the same cores:
# on a small box every figure includes its CPU; the load average is printed before each half.
# benchmarks.jar is built (./mvnw package -pl hivemind-bench -am) when missing; STATE_FIGURES_JAR
# names another; STATE_FIGURES_JAVA_OPTS replaces the load generator's JVM flags (default
# -XX:+UseParallelGC; add a flight recording there to profile the client). KEEP_WORK=1 keeps the
# logs.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=loopback-cluster.sh
source "$root/hivemind-bench/scripts/loopback-cluster.sh"

concurrency=1,16,64
seconds=10
warmup=3
keys=10000
value_bytes=100
mix=50:50
only=""
members=3

usage() {
  sed -n '9,10p' "${BASH_SOURCE[0]}" | sed 's/^#  *//' >&2
  exit 2
}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --concurrency) concurrency="${2:?}"; shift ;;
    --seconds) seconds="${2:?}"; shift ;;
    --warmup) warmup="${2:?}"; shift ;;
    --keys) keys="${2:?}"; shift ;;
    --value-bytes) value_bytes="${2:?}"; shift ;;
    --mix) mix="${2:?}"; shift ;;
    --only) only="${2:?}"; shift ;;
    *) usage ;;
  esac
  shift
done

cluster_init state-vs-hazelcast

# run_load BACKEND ENDPOINTS: StateFigures' output, also kept in $work/BACKEND.out for the table.
run_load() {
  echo "== $1 (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  # shellcheck disable=SC2086 # the options are words
  java ${STATE_FIGURES_JAVA_OPTS:--XX:+UseParallelGC} -cp "$jar" io.hivemind.bench.StateFigures --backend "$1" \
    --endpoints "$2" --concurrency "$concurrency" --seconds "$seconds" \
    --warmup-seconds "$warmup" --keys "$keys" --value-bytes "$value_bytes" --mix "$mix" |
    tee "$work/$1.out"
}

# --- Hazelcast -----------------------------------------------------------------------------------

hazelcast_ports=()

hazelcast_start() {
  local i list="" opts="${HAZELCAST_JAVA_OPTS:--XX:+UseSerialGC -Xmx256m}"
  member_pids=() hazelcast_ports=()
  for ((i = 0; i < members; i++)); do free_port && hazelcast_ports+=("$port"); done
  for ((i = 0; i < members; i++)); do list+="${list:+,}127.0.0.1:${hazelcast_ports[i]}"; done
  for ((i = 0; i < members; i++)); do
    # shellcheck disable=SC2086 # the options are words
    java $opts -cp "$jar" io.hivemind.bench.HazelcastMember bench "${hazelcast_ports[i]}" "$list" \
      >>"$work/hazelcast-$i.log" 2>&1 &
    pids+=($!)
    member_pids[i]=$!
  done
}

# Whether every member's log shows a cluster of all members.
hazelcast_formed() {
  local i
  for ((i = 0; i < members; i++)); do
    grep -q "Members {size:$members," "$work/hazelcast-$i.log" || return 1
  done
}

hazelcast_endpoints() {
  local port list=""
  for port in "${hazelcast_ports[@]}"; do list+="${list:+,}127.0.0.1:$port"; done
  printf '%s' "$list"
}

hazelcast_half() {
  echo "== starting $members Hazelcast members (hazelcast 5.7.0)"
  hazelcast_start
  wait_for 120 "a cluster of $members Hazelcast members" hazelcast_formed
  run_load hazelcast "$(hazelcast_endpoints)"
  stop_members
}

# --- Hivemind ------------------------------------------------------------------------------------

hivemind_half() {
  if ! hivemind_supported; then
    echo "== hivemind: skipped, this build's agent has no control role"
    return
  fi
  echo "== starting $members Hivemind control agents"
  hivemind_start_hosts "$members"
  wait_for 90 "every control agent to report a leader" hivemind_all_see_leader
  wait_for 60 "a partition table with an owner for every partition" hivemind_owners_ready
  # A new cluster's first table names one owner for all; balancing and filling the backups takes
  # minutes at 16,384 partitions (docs/benchmarks.md).
  wait_for 900 "every partition's backup filled (no move in flight)" hivemind_settled
  sleep 2 # the agents' state connections and leases settle
  run_load hivemind "http://$(hivemind_host 0):${member_http[0]}"
  stop_members
}

# One row a level and operation: Hazelcast's figures, Hivemind's, and the ratio of their rates.
side_by_side() {
  local hazelcast_rows hivemind_rows
  hazelcast_rows="$(awk '$1 == "hazelcast" && $2 ~ /^[0-9]+$/' "$work/hazelcast.out" 2>/dev/null || true)"
  hivemind_rows="$(awk '$1 == "hivemind" && $2 ~ /^[0-9]+$/' "$work/hivemind.out" 2>/dev/null || true)"
  [[ -n "$hazelcast_rows" && -n "$hivemind_rows" ]] || return 0
  echo
  echo "== side by side ($members members each on loopback, 1 sync backup, ${value_bytes}-byte values," \
    "$keys keys, put:get $mix, ${seconds} s a level)"
  printf '%-11s %-4s | %-29s | %-29s | %s\n' "" "" "hazelcast (smart client)" \
    "hivemind (client routing)" ""
  printf '%-11s %-4s | %10s %8s %9s | %10s %8s %9s | %s\n' concurrency op ops/s "p99 ms" \
    "p99.9 ms" ops/s "p99 ms" "p99.9 ms" "hivemind/hazelcast"
  awk -v hivemind="$hivemind_rows" '
    BEGIN { n = split(hivemind, lines, "\n")
            for (i = 1; i <= n; i++) { split(lines[i], f, " "); h[f[2] " " f[3]] = lines[i] } }
    { id = $2 " " $3
      if (id in h) {
        split(h[id], g, " ")
        printf "%-11s %-4s | %10s %8s %9s | %10s %8s %9s | %.2fx\n", $2, $3, $4, $6, $7,
          g[4], g[6], g[7], ($4 > 0 ? g[4] / $4 : 0)
      } else
        printf "%-11s %-4s | %10s %8s %9s | %10s %8s %9s |\n", $2, $3, $4, $6, $7, "-", "-", "-" }' \
    <<<"$hazelcast_rows"
}

echo "machine: $(nproc) CPUs; $(uptime)"
jar="$(bench_jar)"
[[ "$only" == "" || "$only" == hazelcast ]] && hazelcast_half
[[ "$only" == "" || "$only" == hivemind ]] && hivemind_half
[[ "$only" == "" ]] && side_by_side
echo "load average at the end: $(cut -d' ' -f1-3 /proc/loadavg)"
