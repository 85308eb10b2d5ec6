#!/usr/bin/env bash
# The agent's DNS interface against dnsmasq, side by side in one run (issue 12's figures).
#
#   hivemind-bench/scripts/dns-vs-dnsmasq.sh [--seconds N] [--services N] [--per-service N]
#
# Starts one development agent through the launcher (a one-voter control plane, so its own
# instances enter its replica, and the dns role) on free loopback ports, registers services x
# per-service instances (default 100 x 10 = 1,000) over Consul's HTTP API, each with its own IPv4
# address, and waits until DNS answers every service. Starts dnsmasq on another loopback port
# serving the same records: A from a hosts file (the instances' addresses under the service's
# name, and each address under its SRV target name HEX.addr.hivemind) and one --srv-host line per
# instance (RFC 2782 names, the agent's targets, ports and weights). Then runs dnsperf against
# each in turn, in 4 alternating rounds (so that other load on the machine falls on both alike),
# same query file (A and SRV of every service), same total duration each (default 20 s), same
# load (2 clients, 200 outstanding queries, EDNS0), and prints queries per second, the average
# and p99 latency (from dnsperf -v, one line per answer), the rcodes, and the agent's RSS.
#
# Installs dnsperf and dnsmasq with apt-get when absent (root). JVM options: the launcher's
# defaults, or HIVEMIND_JAVA_OPTS. Other launcher: HIVEMIND_LAUNCHER.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
launcher="${HIVEMIND_LAUNCHER:-$root/hivemind}"
seconds=20
services=100
per_service=10

usage() {
  sed -n '4p' "${BASH_SOURCE[0]}" | sed 's/^#  *//' >&2
  exit 2
}
while [[ $# -gt 0 ]]; do
  case "$1" in
    --seconds) seconds="${2:?}"; shift ;;
    --services) services="${2:?}"; shift ;;
    --per-service) per_service="${2:?}"; shift ;;
    *) usage ;;
  esac
  shift
done

need() { # package command
  command -v "$2" >/dev/null && return
  echo "installing $1 ..." >&2
  if [[ ! -d /var/lib/apt/lists/partial ]] || [[ -z "$(ls /var/lib/apt/lists 2>/dev/null | grep -v lock)" ]]; then
    apt-get update -qq >&2
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >&2 || {
    apt-get update -qq >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$1" >&2
  }
}
need dnsperf dnsperf
need dnsmasq-base dnsmasq
need curl curl
need dnsutils dig

work="$(mktemp -d "${TMPDIR:-/tmp}/dns-vs-dnsmasq.XXXXXX")"
pids=()
stop_all() {
  local pid
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  sleep 1
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
}
trap stop_all EXIT

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
    port=$((20000 + RANDOM % 12000))
    [[ "$taken" == *" $port "* ]] && continue
    port_in_use "$port" && continue
    taken+="$port "
    return
  done
}

free_port && gossip=$port
free_port && http=$port
free_port && dns=$port
free_port && raft=$port
free_port && gateway=$port
free_port && dnsmasq_port=$port

echo "agent: HTTP $http, DNS $dns; dnsmasq: DNS $dnsmasq_port; logs in $work" >&2
"$launcher" agent --env development --node bench --cluster dns-bench --profile local \
  --bind "127.0.0.1:$gossip" --http-bind "127.0.0.1:$http" --dns-port "$dns" \
  --role control --role dns --bootstrap-expect 1 --data-dir "$work/data" \
  --control-bind "127.0.0.1:$raft" --control-gateway-bind "127.0.0.1:$gateway" \
  >"$work/agent.log" 2>&1 &
agent=$!
pids+=("$agent")

for ((i = 0; i < 300; i++)); do
  curl -sf "http://127.0.0.1:$http/v1/agent/self" >/dev/null 2>&1 && break
  kill -0 "$agent" 2>/dev/null || { cat "$work/agent.log" >&2; exit 1; }
  sleep 0.2
done

# Addresses: instance j of service i is 10.(i / 250).(i % 250).(j + 1).
address() { echo "10.$(($1 / 250)).$(($1 % 250)).$(($2 + 1))"; }
hex() { # dotted quad -> 8 hex digits, as the agent's SRV targets
  local IFS=.
  # shellcheck disable=SC2086
  printf '%02x%02x%02x%02x' $1
}

echo "registering $((services * per_service)) instances ..." >&2
: >"$work/register.curl"
: >"$work/hosts"
: >"$work/dnsmasq.conf"
: >"$work/queries"
for ((i = 0; i < services; i++)); do
  for ((j = 0; j < per_service; j++)); do
    ip="$(address "$i" "$j")"
    port=$((8000 + j))
    printf 'url = "http://127.0.0.1:%s/v1/agent/service/register"\nrequest = "PUT"\n' "$http" \
      >>"$work/register.curl"
    printf 'data = "{\\"ID\\": \\"svc-%d-%d\\", \\"Name\\": \\"svc-%d\\", \\"Address\\": \\"%s\\", \\"Port\\": %d}"\noutput = "/dev/null"\nfail\nnext\n' \
      "$i" "$j" "$i" "$ip" "$port" >>"$work/register.curl"
    printf '%s svc-%d.service.hivemind %s.addr.hivemind\n' "$ip" "$i" "$(hex "$ip")" >>"$work/hosts"
    printf 'srv-host=_svc-%d._tcp.service.hivemind,%s.addr.hivemind,%d,1,1\n' \
      "$i" "$(hex "$ip")" "$port" >>"$work/dnsmasq.conf"
  done
  printf 'svc-%d.service.hivemind A\n_svc-%d._tcp.service.hivemind SRV\n' "$i" "$i" >>"$work/queries"
done
sed -i '$d' "$work/register.curl" # the last "next" separates nothing
curl -sS --config "$work/register.curl"

echo "waiting for DNS to answer every service ..." >&2
last=$((services - 1))
for ((i = 0; i < 600; i++)); do
  answers="$(dig +short +tries=1 +time=1 @127.0.0.1 -p "$dns" "svc-$last.service.hivemind" A 2>/dev/null |
    grep -c . || true)"
  [[ "$answers" == "$per_service" ]] && break
  sleep 0.5
done
if [[ "${answers:-0}" != "$per_service" ]]; then
  echo "the agent's DNS never answered svc-$last with $per_service addresses (got ${answers:-0})" >&2
  exit 1
fi

cat >>"$work/dnsmasq.conf" <<EOF
port=$dnsmasq_port
listen-address=127.0.0.1
bind-interfaces
no-resolv
no-hosts
addn-hosts=$work/hosts
local=/hivemind/
cache-size=10000
user=root
EOF
dnsmasq -k --conf-file="$work/dnsmasq.conf" >"$work/dnsmasq.log" 2>&1 &
pids+=("$!")
sleep 1

# dnsperf -v prints one line per answer, its latency in seconds last: "> NOERROR name A 0.000183".
# The servers take turns in short rounds, so that the load other processes put on the machine,
# which drifts over a run, falls on both alike.
round() { # label port seconds
  dnsperf -s 127.0.0.1 -p "$2" -d "$work/queries" -l "$3" -c 2 -q 200 -e -v \
    >>"$work/dnsperf-$1.txt" 2>&1 || true
}
summary() { # label
  local out="$work/dnsperf-$1.txt" qps avg p99 rcodes
  qps="$(awk '/Queries completed:/ {n += $3} /Run time \(s\):/ {t += $4}
    END {if (t > 0) printf "%.0f", n / t}' "$out")"
  avg="$(awk '$1 == ">" && $NF ~ /^[0-9.]+$/ {s += $NF; n++} END {if (n) printf "%.3f", s / n * 1000}' "$out")"
  p99="$(awk '$1 == ">" && $NF ~ /^[0-9.]+$/ {print $NF}' "$out" | sort -g |
    awk '{v[NR] = $1} END {if (NR) printf "%.3f", v[int(NR * 0.99)] * 1000}')"
  # "T" counts queries that timed out (dnsperf's "lost").
  rcodes="$(awk '$1 == ">" {c[$2]++} END {for (k in c) printf "%s=%d ", k, c[k]}' "$out")"
  printf '%-8s %12s %10s %10s   %s\n' "$1" "$qps" "$avg" "$p99" "$rcodes"
  eval "qps_$1=\$qps"
}

rounds=4
per_round=$(((seconds + rounds - 1) / rounds))
echo
echo "load: $(cut -d' ' -f1-3 /proc/loadavg) (1, 5, 15 min) before the runs; $(nproc) CPUs"
for ((r = 0; r < rounds; r++)); do
  round agent "$dns" "$per_round"
  round dnsmasq "$dnsmasq_port" "$per_round"
done
rss="$(awk '$1 == "VmRSS:" {printf "%.1f", $2 / 1024}' "/proc/$agent/status")"
printf '%-8s %12s %10s %10s   %s\n' server "queries/s" "avg ms" "p99 ms" rcodes
summary agent
summary dnsmasq
echo "response bytes (average): agent $(awk '/Average packet size/ {print $NF; exit}' "$work/dnsperf-agent.txt"), dnsmasq $(awk '/Average packet size/ {print $NF; exit}' "$work/dnsperf-dnsmasq.txt")"
echo "agent RSS after the runs: $rss MB; load after: $(cut -d' ' -f1-3 /proc/loadavg)"
# shellcheck disable=SC2154 # set by summary through eval
awk -v a="$qps_agent" -v d="$qps_dnsmasq" 'BEGIN {if (d > 0) printf "agent / dnsmasq: %.2fx (target >= 0.8x)\n", a / d}'
