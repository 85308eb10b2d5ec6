#!/usr/bin/env bash
# Idle footprint of agents started by the launcher: memory (VmRSS, and Pss, which shares the
# JDK's mapped files fairly between processes) and CPU (process CPU time over a wall-clock window,
# so other load on the machine barely moves it).
#
#   hivemind-bench/scripts/agent-footprint.sh [--cluster] [--control] [--query] [--warmup SECONDS]
#                                             [--window SECONDS] [--scrape-every SECONDS] [--instances N]
#
# Starts one agent (--cluster: three, the later two seeded with the first) on free loopback ports
# in the testing environment, scrapes each one's Prometheus metrics until they count every member
# alive (--query: then also GETs /v1/agent/members, which loads the JSON writer), lets them settle
# for the warm-up (default 30 s), then measures over the window (default 60 s, idle unless
# --scrape-every) and stops them with SIGTERM. --control: a control plane as well, so the plain
# agents follow its committed log as they do in a cluster that has one: a one-voter control node
# starts first (the development environment, the only one that allows a group of one; every agent
# then runs in it), the agents are seeded with it, and they are ready once each also counts every
# member admitted in its replica of the committed state. The control node is measured too, on its
# own row. --instances N (needs --control: replicas hold only admitted owners' instances): once
# ready, N instances are registered over Consul's HTTP API, round-robin on the plain agents
# (PUT /v1/agent/service/register; 10 services, each instance with an address, two tags, a meta key
# and a TTL check), and the warm-up starts when every plain agent's catalogue lists all N.
# JVM options: the launcher's defaults, or HIVEMIND_JAVA_OPTS (which replaces them).
# Other launcher: HIVEMIND_LAUNCHER.
#
# Needs only bash, coreutils and the JDK (HTTP goes through bash's /dev/tcp); Linux /proc; curl for
# --instances.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
launcher="${HIVEMIND_LAUNCHER:-$root/hivemind}"
agents=1
warmup=30
window=60
scrape_every=0
query=0
control=0
instances=0

usage() {
  sed -n '6,7p' "${BASH_SOURCE[0]}" | sed 's/^#  *//' >&2
  exit 2
}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --cluster) agents=3 ;;
    --query) query=1 ;;
    --control) control=1 ;;
    --warmup) warmup="${2:?}"; shift ;;
    --window) window="${2:?}"; shift ;;
    --scrape-every) scrape_every="${2:?}"; shift ;;
    --instances) instances="${2:?}"; shift ;;
    *) usage ;;
  esac
  shift
done
if ((instances > 0 && !control)); then
  echo "--instances needs --control: a replica holds only the instances of admitted owners" >&2
  exit 2
fi

logs="$(mktemp -d "${TMPDIR:-/tmp}/agent-footprint.XXXXXX")"
pids=()

stop_agents() {
  local pid waited
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  # An agent leaves the cluster before it exits (at most 10 s); then it is killed.
  for ((waited = 0; waited < 150; waited++)); do
    local alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_agents EXIT

# A port nobody listens on over TCP or UDP (v4 or v6), from /proc/net: no extra tools.
port_in_use() {
  local hex
  hex="$(printf ':%04X ' "$1")"
  cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null |
    awk '{print $2}' | grep -q -- "${hex% }\$"
}
# Sets $port. Not called as $(free_port): a subshell would forget the ports already handed out,
# and two agents could be given the same one before either binds it.
taken=" "
free_port() {
  while :; do
    port=$((20000 + RANDOM % 30000))
    [[ "$taken" == *" $port "* ]] && continue
    port_in_use "$port" && continue
    taken+="$port "
    return
  done
}

# GET http://127.0.0.1:PORT/PATH; prints the body and succeeds on a 200.
http_get() {
  local fd response
  exec {fd}<>"/dev/tcp/127.0.0.1/$1" 2>/dev/null || return 1
  printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\n\r\n' "$2" "$1" >&"$fd"
  response="$(timeout 10 cat <&"$fd" || true)"
  exec {fd}>&-
  [[ "$response" == "HTTP/1.1 200 "* ]] || return 1
  printf '%s' "${response#*$'\r\n\r\n'}"
}

cpu_ticks() { # utime + stime of PID, in clock ticks (fields 14 and 15 of /proc/PID/stat)
  local stat
  stat="$(<"/proc/$1/stat")"
  stat="${stat##*) }" # the command name may hold spaces; the fields after it do not
  read -r -a fields <<<"$stat"
  echo $((fields[11] + fields[12]))
}
status_kb() { awk -v key="$2:" '$1 == key {print $2}' "/proc/$1/status"; }
pss_kb() {
  if [[ -r "/proc/$1/smaps_rollup" ]]; then
    awk '$1 == "Pss:" {print $2}' "/proc/$1/smaps_rollup"
  else
    awk '$1 == "Pss:" {sum += $2} END {print sum}' "/proc/$1/smaps"
  fi
}

names=()
gossip=()
http=()
for ((i = 1; i <= agents; i++)); do
  names+=("footprint-$i")
  free_port && gossip+=("$port")
  free_port && http+=("$port")
done
env=testing
if ((control)); then
  env=development
  names=(footprint-control "${names[@]}")
  free_port && gossip=("$port" "${gossip[@]}")
  free_port && http=("$port" "${http[@]}")
fi
members=${#names[@]}

echo "JVM options: ${HIVEMIND_JAVA_OPTS-launcher defaults (see $launcher)}"
for ((i = 0; i < members; i++)); do
  seed=()
  ((i > 0)) && seed=(--seed "127.0.0.1:${gossip[0]}")
  extra=()
  if ((control)); then
    # Every node keeps its state under the run's directory; the first is the control node.
    extra=(--data-dir "$logs/${names[i]}")
    if ((i == 0)); then
      free_port && raft_port=$port
      free_port && gateway_port=$port
      extra+=(--role control --bootstrap-expect 1
        --control-bind "127.0.0.1:$raft_port" --control-gateway-bind "127.0.0.1:$gateway_port")
    fi
  fi
  # The launcher execs java, so $! is the JVM itself.
  "$launcher" agent --node "${names[i]}" --env "$env" --cluster footprint \
    --bind "127.0.0.1:${gossip[i]}" --http-bind "127.0.0.1:${http[i]}" "${seed[@]}" "${extra[@]}" \
    >"$logs/${names[i]}.log" 2>&1 &
  pids+=($!)
done

# Ready when an agent's own metrics count every member alive: the check is a Prometheus scrape,
# as a monitored agent gets, and nothing else. --query adds one JSON API call per agent.
# With --control, the same scrape also counts the members admitted in the agent's replica.
ready() {
  http_get "$1" '/v1/agent/metrics?format=prometheus' 2>/dev/null |
    awk -v members="$members" -v control="$control" '
      /^hivemind_members\{state="alive"\}/ { alive = int($2) }
      /^hivemind_control_members / { admitted = int($2) }
      END { exit !(alive == members && (!control || admitted == members)) }'
}
deadline=$((SECONDS + 120))
for ((i = 0; i < members; i++)); do
  until ready "${http[i]}"; do
    if ! kill -0 "${pids[i]}" 2>/dev/null || ((SECONDS > deadline)); then
      echo "agent ${names[i]} did not come up with all $members members alive$( ((control)) && echo " and admitted"); its log:" >&2
      cat "$logs/${names[i]}.log" >&2
      exit 1
    fi
    sleep 0.2
  done
  if ((query)) && ! http_get "${http[i]}" /v1/agent/members | grep -q "\"${names[i]}\""; then
    echo "agent ${names[i]}: GET /v1/agent/members failed" >&2
    exit 1
  fi
done
# --instances: N registrations over HTTP, round-robin on the plain agents, one curl (one keep-alive
# connection) per agent; then every plain agent must list all N in its catalogue.
services=10
register_instances() {
  local i n agent
  for ((i = 1; i < members; i++)); do : >"$logs/register-$i.curl"; done
  for ((n = 0; n < instances; n++)); do
    agent=$((1 + n % agents))
    printf 'next\nurl = "http://127.0.0.1:%s/v1/agent/service/register"\nrequest = "PUT"\n' \
      "${http[agent]}" >>"$logs/register-$agent.curl"
    printf 'data = "{\\"ID\\": \\"fp-%d-%05d\\", \\"Name\\": \\"fp-%d\\", \\"Address\\": \\"10.0.%d.%d\\", \\"Port\\": 8080, \\"Tags\\": [\\"v1\\", \\"primary\\"], \\"Meta\\": {\\"version\\": \\"1.4.2\\"}, \\"Check\\": {\\"TTL\\": \\"30s\\"}}"\noutput = "/dev/null"\nfail\n' \
      $((n % services)) "$n" $((n % services)) $((n / 256 % 256)) $((n % 256)) >>"$logs/register-$agent.curl"
  done
  for ((i = 1; i < members; i++)); do
    # The first "next" of each file separates nothing; curl wants a URL before it, so drop it.
    sed -i '1d' "$logs/register-$i.curl"
    curl -sS --config "$logs/register-$i.curl" || {
      echo "registering on agent ${names[i]} failed" >&2
      exit 1
    }
  done
}
listed() { # instances of the fp-* services in the catalogue of the agent on HTTP port $1
  local k total=0 body
  for ((k = 0; k < services; k++)); do
    body="$(curl -sf "http://127.0.0.1:$1/v1/catalog/service/fp-$k")" || return 1
    total=$((total + $(grep -o '"ServiceID"' <<<"$body" | wc -l)))
  done
  echo "$total"
}
if ((instances > 0)); then
  register_instances
  for ((i = 1; i < members; i++)); do
    until [[ "$(listed "${http[i]}")" == "$instances" ]]; do
      if ((SECONDS > deadline + 120)); then
        echo "agent ${names[i]} lists $(listed "${http[i]}") of $instances instances" >&2
        exit 1
      fi
      sleep 0.5
    done
  done
  echo "$instances instances registered over HTTP; every plain agent lists them all"
fi
echo "$agents agent(s) up$( ((control)) && echo ", and a control node"), all members alive$( ((control)) && echo " and admitted") in their metrics$( ((query)) && echo ", JSON API queried"); warm-up ${warmup} s..."
sleep "$warmup"

echo "measuring for ${window} s$( ((scrape_every > 0)) && echo ", scraping every ${scrape_every} s")..."
start_ticks=()
for pid in "${pids[@]}"; do start_ticks+=("$(cpu_ticks "$pid")"); done
start_ns="$(date +%s%N)"
if ((scrape_every > 0)); then
  end=$((SECONDS + window))
  while ((SECONDS + scrape_every <= end)); do
    sleep "$scrape_every"
    for port in "${http[@]}"; do
      http_get "$port" '/v1/agent/metrics?format=prometheus' >/dev/null ||
        echo "scrape of port $port failed" >&2
    done
  done
  sleep $((end - SECONDS > 0 ? end - SECONDS : 0))
else
  sleep "$window"
fi
end_ns="$(date +%s%N)"
hz="$(getconf CLK_TCK)"

printf '\n%-17s %8s %10s %8s %7s %8s\n' agent pid "VmRSS MB" "Pss MB" "CPU %" threads
for ((i = 0; i < members; i++)); do
  pid="${pids[i]}"
  ticks=$(($(cpu_ticks "$pid") - start_ticks[i]))
  awk -v name="${names[i]}" -v pid="$pid" -v rss="$(status_kb "$pid" VmRSS)" \
    -v pss="$(pss_kb "$pid")" -v ticks="$ticks" -v hz="$hz" -v ns=$((end_ns - start_ns)) \
    -v threads="$(status_kb "$pid" Threads)" \
    'BEGIN { printf "%-17s %8d %10.1f %8.1f %7.2f %8d\n",
               name, pid, rss / 1024, pss / 1024, 100 * ticks / hz / (ns / 1e9), threads }'
done
echo "(CPU % of one core: process CPU time / wall time over the window; logs in $logs)"
