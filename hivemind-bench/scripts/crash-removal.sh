#!/usr/bin/env bash
# Crash → committed removal, on real agent processes: 3 control agents and PLAIN plain agents on
# loopback (20 in all by default, the LAN profile), each plain agent kill -9'd in turn; for each,
# the time from the kill until the control plane committed its removal (it leaves
# /v1/catalog/nodes of a control agent) and, beside it, until that agent's gossip view says DEAD
# (the committed removal is applied to the gossip view at once, so the two agree unless gossip got
# there first). Prints every sample, then p50 and max. Gossip alone, without the control plane:
# `hivemind sim membership` and docs/benchmarks.md ("Crash detection").
#
#   hivemind-bench/scripts/crash-removal.sh [PLAIN] [KILLS]     (defaults 17 and 8)
#
# Needs python3 (reads the members' JSON). Polls every 50 ms, so each figure is late by up to 50 ms plus one HTTP round trip.
set -euo pipefail
root="$(cd "$(dirname "$0")/../.." && pwd)"
# shellcheck source=loopback-cluster.sh
source "$root/hivemind-bench/scripts/loopback-cluster.sh"

plain=${1:-17}
kills=${2:-8}
cluster_init crash-removal
hivemind_supported || { echo "this build's agent has no control role" >&2; exit 1; }

hivemind_start 3
wait_for 60 "a leader" hivemind_leader 0

# Plain agents: no control role, each seeded with control-0.
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
sleep 5 # let probes settle

listed() { [[ "$(http_request GET "${member_http[0]}" '/v1/catalog/nodes?stale')" == *"\"Node\":\"$1\""* ]]; }
failed_by_gossip() {
  http_request GET "${member_http[0]}" /v1/agent/members | python3 -c '
import json, sys
members = {m["Name"]: m for m in json.load(sys.stdin)}
sys.exit(0 if members.get(sys.argv[1], {}).get("State") in ("dead", "left") else 1)' "$1"
}

removal=() gossip=()
now_ms() { date +%s%3N; }
printf '%-10s %12s %14s\n' node committed_ms gossip_dead_ms
for ((k = 0; k < kills && k < plain; k++)); do
  victim="plain-$k"
  start=$(now_ms)
  kill -KILL "${plain_pids[k]}"
  committed="" dead=""
  while [[ -z "$committed" || -z "$dead" ]]; do
    t=$(($(now_ms) - start))
    if ((t > 60000)); then
      echo "$victim: not removed within 60 s" >&2
      exit 1
    fi
    [[ -z "$committed" ]] && ! listed "$victim" && committed=$t
    [[ -z "$dead" ]] && failed_by_gossip "$victim" && dead=$t
    sleep 0.05
  done
  printf '%-10s %12d %14d\n' "$victim" "$committed" "$dead"
  removal+=("$committed")
  gossip+=("$dead")
  sleep 3
done

stats() { sort -n | awk '{a[NR]=$1} END {printf "p50 %d ms, max %d ms (n=%d)", a[int((NR+1)/2)], a[NR], NR}'; }
echo "crash → committed removal: $(printf '%s\n' "${removal[@]}" | stats)"
echo "crash → DEAD in gossip:    $(printf '%s\n' "${gossip[@]}" | stats)"
