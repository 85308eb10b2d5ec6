#!/usr/bin/env bash
# Write throughput and commit latency, etcd 3.4 against Hivemind's control plane, in one run on
# one box: 3 etcd members on loopback, then 3 Hivemind control agents on loopback, each driven by
# the same closed-loop load (KvLoadFigures: the same writes in flight, value size and key space)
# through its HTTP API; then one table side by side.
#
#   hivemind-bench/scripts/etcd-vs-control.sh [--in-flight 1,16,64] [--seconds 10]
#                                             [--warmup 3] [--value-bytes 100] [--only etcd|hivemind]
#                                             [--workload kv|txn]
#
# etcd: Debian's etcd-server (installed with apt-get when missing), its v3 JSON gateway
# (POST /v3/kv/put; --workload txn: POST /v3/kv/txn putting a key and reading it back, against
# Hivemind's PUT /v1/txn with the same two operations). Hivemind: `./hivemind agent --role control --bootstrap-expect 3`, Consul's
# PUT /v1/kv/bench/<n>; skipped, with a note, while this build's agent has no control role.
# Both fsync every commit (etcd's default; Hivemind's Ratis log). Data directories live in one
# temporary directory under ${TMPDIR:-/tmp} (its filesystem is printed: tmpfs would make fsync
# free); every process started is stopped and that directory removed on exit, Ctrl-C included.
# KvLoadFigures is compiled from source with javac unless KV_LOAD_CLASSPATH names built classes.
# Its columns: writes/s, latency percentiles, errors, then the members' CPU over the window (server%,
# of one core), their CPU time per acknowledged write (us/write) and the load generator's (client%).
# KEEP_WORK=1 keeps the logs and data directories.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=loopback-cluster.sh
source "$root/hivemind-bench/scripts/loopback-cluster.sh"

in_flight=1,16,64
seconds=10
warmup=3
value_bytes=100
workload=kv
only=""
members=3

usage() {
  sed -n '7,9p' "${BASH_SOURCE[0]}" | sed 's/^#  *//' >&2
  exit 2
}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --in-flight) in_flight="${2:?}"; shift ;;
    --seconds) seconds="${2:?}"; shift ;;
    --warmup) warmup="${2:?}"; shift ;;
    --value-bytes) value_bytes="${2:?}"; shift ;;
    --only) only="${2:?}"; shift ;;
    --workload) workload="${2:?}"; shift ;;
    *) usage ;;
  esac
  shift
done

cluster_init etcd-vs-control

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

# run_load SYSTEM ENDPOINTS: KvLoadFigures' output, also kept in $work/SYSTEM.out for the table.
run_load() {
  echo "== $1 (load average before: $(cut -d' ' -f1-3 /proc/loadavg))"
  java -XX:+UseParallelGC -cp "$classpath" io.hivemind.bench.kv.KvLoadFigures --system "$1" \
    --endpoints "$2" --in-flight "$in_flight" --seconds "$seconds" \
    --warmup-seconds "$warmup" --value-bytes "$value_bytes" --workload "$workload" \
    --member-pids "$(IFS=,; echo "${member_pids[*]}")" | tee "$work/$1.out"
}

etcd_half() {
  ensure_etcd
  echo "== starting $members etcd members ($(etcd --version | head -n 1))"
  etcd_start "$members"
  wait_for 30 "$members healthy etcd members" etcd_all_healthy
  run_load etcd "$(etcd_endpoints)"
  stop_members
}

hivemind_all_see_leader() {
  local i
  for i in "${!member_http[@]}"; do hivemind_leader "$i" || return 1; done
}

hivemind_half() {
  if ! hivemind_supported; then
    echo "== hivemind: skipped, this build's agent has no control role (no --bootstrap-expect in" \
      "'$launcher agent --help')"
    return
  fi
  echo "== starting $members Hivemind control agents"
  hivemind_start "$members"
  wait_for 90 "every control agent to report a leader" hivemind_all_see_leader
  # The control plane replaces voters it thinks dead: measure a whole group, and say if it was not
  # (whole once, then still whole after its leader duties have had 5 s to run).
  wait_for 30 "every control agent to list $members voters" hivemind_group_whole || true
  sleep 5
  hivemind_group_whole || echo "warning: the group is not whole (voters below); measuring anyway"
  hivemind_print_voters "before the load"
  run_load hivemind "$(hivemind_endpoints)"
  hivemind_print_voters "after the load"
  stop_members
}

hivemind_group_whole() {
  local i
  for i in "${!member_http[@]}"; do
    [[ "$(hivemind_voters "$i")" == "$members" ]] || return 1
  done
}

hivemind_print_voters() {
  local i counts=""
  for i in "${!member_http[@]}"; do counts+=" ${member_names[i]}: $(hivemind_voters "$i" || echo '?')"; done
  echo "voters in GET /v1/status/peers, $1:$counts"
}

# One row a load level: etcd's figures, Hivemind's, and the ratio of their write rates.
side_by_side() {
  local etcd_rows hivemind_rows
  etcd_rows="$(awk '$1 == "etcd" && $2 ~ /^[0-9]+$/' "$work/etcd.out" 2>/dev/null || true)"
  hivemind_rows="$(awk '$1 == "hivemind" && $2 ~ /^[0-9]+$/' "$work/hivemind.out" 2>/dev/null || true)"
  echo
  echo "== side by side ($members members each on loopback, ${value_bytes}-byte values, ${seconds} s a level)"
  printf '%-9s | %-45s | %-45s | %s\n' "" "etcd" "hivemind" ""
  printf '%-9s | %10s %8s %8s %8s %8s | %10s %8s %8s %8s %8s | %s\n' in-flight writes/s \
    "p50 ms" "p99 ms" "p99.9 ms" "us/write" writes/s "p50 ms" "p99 ms" "p99.9 ms" "us/write" \
    "hivemind/etcd"
  awk -v hivemind="$hivemind_rows" '
    BEGIN { n = split(hivemind, lines, "\n")
            for (i = 1; i <= n; i++) { split(lines[i], f, " "); h[f[2]] = lines[i] } }
    { level = $2
      if (level in h) {
        split(h[level], g, " ")
        printf "%-9s | %10s %8s %8s %8s %8s | %10s %8s %8s %8s %8s | %.2fx\n", level, $3, $4,
          $5, $6, $10, g[3], g[4], g[5], g[6], g[10], ($3 > 0 ? g[3] / $3 : 0)
      } else
        printf "%-9s | %10s %8s %8s %8s %8s | %10s %8s %8s %8s %8s |\n",
          level, $3, $4, $5, $6, $10, "-", "-", "-", "-", "-" }' <<<"$etcd_rows"
}

echo "machine: $(nproc) CPUs, data directories on $(stat -f -c %T "$work") ($work)"
classpath="$(load_classpath)"
[[ "$only" == "" || "$only" == etcd ]] && etcd_half
[[ "$only" == "" || "$only" == hivemind ]] && hivemind_half
[[ "$only" == hivemind ]] || side_by_side
