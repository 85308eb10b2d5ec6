#!/usr/bin/env bash
# Time to a new leader after the leader's `kill -9`: 3 members on loopback; each round finds the
# leader, kills it with SIGKILL, polls the survivors every 20 ms until one reports a leader other
# than the killed one, then restarts the killed member on its data directory and waits until every
# member agrees on a leader before the next round. Prints each round and p50 / max.
#
#   hivemind-bench/scripts/leader-kill.sh [--system hivemind|etcd] [--rounds 5]
#
# hivemind: 3 `./hivemind agent --role control --bootstrap-expect 3` agents, the leader from
# GET /v1/status/leader (Consul's shape: the leader's control address, "" while there is none).
# etcd: 3 members of Debian's etcd-server (installed when missing), the leader from the v3
# gateway's POST /v3/maintenance/status, for comparison (etcd's default election timeout: 1 s).
# Every process started is stopped and the data directories removed on exit, Ctrl-C included.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# shellcheck source=loopback-cluster.sh
source "$root/hivemind-bench/scripts/loopback-cluster.sh"

system=hivemind
rounds=5
members=3
poll_seconds=0.02

usage() {
  sed -n '7p' "${BASH_SOURCE[0]}" | sed 's/^#  *//' >&2
  exit 2
}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --system) system="${2:?}"; shift ;;
    --rounds) rounds="${2:?}"; shift ;;
    *) usage ;;
  esac
  shift
done
[[ "$system" == hivemind || "$system" == etcd ]] || usage

cluster_init leader-kill

# --- the two systems behind one vocabulary: a member's view of the leader, as an id, and the
# member an id names.

etcd_ids=()
leader_seen_by() { if [[ $system == etcd ]]; then etcd_leader "$1"; else hivemind_leader "$1"; fi; }

member_named() {
  local i
  if [[ $system == hivemind ]]; then
    hivemind_member_of "$1"
    return
  fi
  for i in "${!etcd_ids[@]}"; do [[ "${etcd_ids[i]}" == "$1" ]] && { echo "$i"; return; }; done
  return 1
}

start_cluster() {
  if [[ $system == etcd ]]; then
    ensure_etcd
    etcd_start "$members"
    wait_for 30 "$members healthy etcd members" etcd_all_healthy
    local i
    for i in "${!member_http[@]}"; do etcd_ids[i]="$(etcd_member_id "$i")"; done
  else
    if ! hivemind_supported; then
      echo "this build's agent has no control role (no --bootstrap-expect in" \
        "'$launcher agent --help'): nothing to measure yet" >&2
      exit 3
    fi
    hivemind_start "$members"
  fi
  wait_for 90 "every member to agree on a leader" all_agree_on_leader
}

restart_member() {
  if [[ $system == etcd ]]; then etcd_start_member "$1"; else hivemind_start_member "$1"; fi
}

all_agree_on_leader() {
  local i leader first=""
  for i in "${!member_http[@]}"; do
    leader="$(leader_seen_by "$i")" || return 1
    [[ -z "$first" || "$leader" == "$first" ]] || return 1
    first="$leader"
  done
}

# new_leader_elected OLD KILLED: one survivor reports a leader other than OLD.
new_leader_elected() {
  local i leader
  for i in "${!member_http[@]}"; do
    ((i == $2)) && continue
    leader="$(leader_seen_by "$i")" || continue
    [[ "$leader" != "$1" ]] && return 0
  done
  return 1
}

# --- rounds

one_round() {
  local old victim killed_at elected_at
  old="$(leader_seen_by 0 || leader_seen_by 1 || leader_seen_by 2)"
  victim="$(member_named "$old")" || { echo "no member is the leader '$old'" >&2; return 1; }
  kill -KILL "${member_pids[victim]}"
  killed_at="$(date +%s%N)"
  wait "${member_pids[victim]}" 2>/dev/null || true
  until new_leader_elected "$old" "$victim"; do
    if (($(date +%s%N) - killed_at > 30000000000)); then
      echo "no new leader 30 s after killing ${member_names[victim]}" >&2
      return 1
    fi
    sleep "$poll_seconds"
  done
  elapsed_ms+=($((($(date +%s%N) - killed_at) / 1000000)))
  echo "round $1: killed ${member_names[victim]} (leader $old) -> new leader after ${elapsed_ms[-1]} ms"
  restart_member "$victim"
  wait_for 90 "${member_names[victim]} to rejoin and every member to agree" all_agree_on_leader
}

echo "$system: $members members on loopback, $rounds rounds, polling every ${poll_seconds} s"
start_cluster
elapsed_ms=()
for ((round = 1; round <= rounds; round++)); do one_round "$round"; done
mapfile -t sorted < <(printf '%s\n' "${elapsed_ms[@]}" | sort -n)
# nearest rank: the smallest time with at least half of the rounds at or below it
p50="${sorted[$(((${#sorted[@]} + 1) / 2 - 1))]}"
echo "kill -9 leader -> new leader: p50 ${p50} ms, max ${sorted[-1]} ms over ${#sorted[@]} rounds"
