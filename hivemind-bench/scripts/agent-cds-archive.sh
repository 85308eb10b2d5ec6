#!/usr/bin/env bash
# Makes the plain agent's class data sharing archive, hivemind-cli/target/dist/agent.jsa, which the
# launcher maps into every plain agent it starts until a jar of the distribution is rebuilt (then
# run this again):
#
#   hivemind-bench/scripts/agent-cds-archive.sh
#
# Training run, about a minute: a one-voter control node and a plain agent that follows it, on free
# loopback ports with a throwaway data directory. Once the plain agent counts both members admitted
# in its replica of the committed state, it registers two services over Consul's HTTP API (one
# with a TTL check, one with HTTP and TCP checks on its own HTTP port, so the prober runs) and
# answers the catalogue's reads once: the catalogue's classes, which every plain agent's HTTP API
# and replica use, are then in the archive too. After it has idled a little (its periodic work has
# run), it is stopped with SIGTERM, and its JVM writes the classes it loaded (-XX:ArchiveClassesAtExit). The
# archive is written to a temporary name and renamed when complete: JDK 17 crashes on a truncated
# one. Needs bash, coreutils and the JDK; Linux /proc.
set -euo pipefail

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
launcher="$root/hivemind"
archive="$root/hivemind-cli/target/dist/agent.jsa"
work="$(mktemp -d "${TMPDIR:-/tmp}/agent-cds.XXXXXX")"
pids=()
cleanup() {
  local pid
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

# The launcher builds the distribution on first use; the archive is of the jars it runs.
"$launcher" version >/dev/null 2>&1 || true

# Sets $port. Not called as $(free_port): a subshell would forget the ports already handed out,
# and two agents could be given the same one before either binds it.
taken=" "
free_port() { # a port nobody listens on over TCP or UDP, from /proc/net
  local hex
  while :; do
    port=$((20000 + RANDOM % 30000))
    [[ "$taken" == *" $port "* ]] && continue
    hex="$(printf ':%04X' "$port")"
    awk '{print $2}' /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null |
      grep -q -- "$hex\$" && continue
    taken+="$port "
    return
  done
}
# METHOD PATH [BODY] to the training agent's HTTP API; succeeds on a 200.
http_call() {
  local fd response body="${3:-}"
  { exec {fd}<>"/dev/tcp/127.0.0.1/$agent_http"; } 2>/dev/null || return 1
  printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s' \
    "$1" "$2" "${#body}" "$body" >&"$fd"
  response="$(timeout 10 cat <&"$fd" || true)"
  exec {fd}>&-
  [[ "$response" == "HTTP/1.1 200 "* ]]
}
admitted() { # the agent on HTTP port $1 counts $2 members admitted (Prometheus scrape)
  local fd response
  { exec {fd}<>"/dev/tcp/127.0.0.1/$1"; } 2>/dev/null || return 1
  printf 'GET /v1/agent/metrics?format=prometheus HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n' >&"$fd"
  response="$(timeout 10 cat <&"$fd" || true)"
  exec {fd}>&-
  awk -v want="$2" '/^hivemind_control_members / { n = int($2) } END { exit n != want }' <<<"$response"
}

free_port && node_gossip=$port
free_port && agent_http=$port
# The control node: launcher defaults, the control role (so lib/control is on its class path).
free_port && ctl_http=$port
free_port && ctl_raft=$port
free_port && ctl_gateway=$port
"$launcher" agent --node cds-ctl --env development --cluster cds-training \
  --bind "127.0.0.1:$node_gossip" --http-bind "127.0.0.1:$ctl_http" --role control \
  --bootstrap-expect 1 --control-bind "127.0.0.1:$ctl_raft" \
  --control-gateway-bind "127.0.0.1:$ctl_gateway" --data-dir "$work/ctl" >"$work/ctl.log" 2>&1 &
pids+=($!)
# The plain agent: the launcher's flags for one, plus the dump; its data directory must not name
# the control role, or the launcher would treat it as a control node.
export MALLOC_ARENA_MAX="${MALLOC_ARENA_MAX:-2}"
HIVEMIND_JAVA_OPTS="-XX:+UseSerialGC -Xms4m -Xmx256m -Xmn1m -XX:TieredStopAtLevel=1"
HIVEMIND_JAVA_OPTS+=" -XX:CICompilerCount=1 -XX:-UsePerfData -Dio.netty.allocator.type=unpooled"
HIVEMIND_JAVA_OPTS+=" -XX:ArchiveClassesAtExit=$work/agent.jsa -Xlog:cds=off -Xlog:cds+dynamic=off"
free_port && agent_gossip=$port
HIVEMIND_JAVA_OPTS="$HIVEMIND_JAVA_OPTS" "$launcher" agent --node cds-agent --env development \
  --cluster cds-training --bind "127.0.0.1:$agent_gossip" --http-bind "127.0.0.1:$agent_http" \
  --seed "127.0.0.1:$node_gossip" --data-dir "$work/agent" >"$work/agent.log" 2>&1 &
agent=$!
pids+=("$agent")

deadline=$((SECONDS + 120))
until admitted "$agent_http" 2; do
  if ! kill -0 "$agent" 2>/dev/null || ((SECONDS > deadline)); then
    echo "agent-cds-archive: the training agent was not admitted in 120 s; its log:" >&2
    cat "$work/agent.log" >&2
    exit 1
  fi
  sleep 0.5
done
checks="{\"HTTP\": \"http://127.0.0.1:$agent_http/v1/status/leader\", \"Interval\": \"1s\"},"
checks+=" {\"TCP\": \"127.0.0.1:$agent_http\", \"Interval\": \"1s\"}"
calls=(
  "PUT /v1/agent/service/register {\"ID\": \"cds-web-1\", \"Name\": \"cds-web\", \"Address\": \"127.0.0.1\", \"Port\": 8080, \"Tags\": [\"v1\"], \"Meta\": {\"version\": \"1\"}, \"Check\": {\"TTL\": \"30s\"}}"
  "PUT /v1/agent/service/register {\"ID\": \"cds-api-1\", \"Name\": \"cds-api\", \"Port\": $agent_http, \"Checks\": [$checks]}"
  "PUT /v1/agent/check/pass/service:cds-web-1"
  "GET /v1/agent/services" "GET /v1/agent/checks" "GET /v1/catalog/services"
  "GET /v1/catalog/service/cds-web" "GET /v1/health/service/cds-api?passing" "GET /v1/health/state/any"
  "GET /v1/catalog/nodes"
)
for call in "${calls[@]}"; do
  read -r method path body <<<"$call"
  if ! http_call "$method" "$path" "${body:-}"; then
    echo "agent-cds-archive: $method $path failed; the agent's log:" >&2
    cat "$work/agent.log" >&2
    exit 1
  fi
done
sleep 20
http_call PUT /v1/agent/service/deregister/cds-web-1 || true
sleep 1
kill -TERM "$agent"
status=0
wait "$agent" || status=$?
# The archive is kept only if the agent exited cleanly (143: the JVM's status after SIGTERM) and a
# JVM that must map it (-Xshare:on fails instead of running without) starts with it on the
# launcher's class path.
java="java"
[[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]] && java="$JAVA_HOME/bin/java"
if ((status != 0 && status != 143)) || [[ ! -s "$work/agent.jsa" ]] ||
  ! "$java" -Xshare:on -XX:SharedArchiveFile="$work/agent.jsa" -XX:ErrorFile="$work/hs_err.log" \
    -cp "$root/hivemind-cli/target/dist/lib/*" -version >"$work/check.log" 2>&1; then
  echo "agent-cds-archive: no usable archive (agent exit status $status); logs:" >&2
  cat "$work/agent.log" "$work/check.log" >&2 2>/dev/null || true
  exit 1
fi
mv -f "$work/agent.jsa" "$archive.tmp"
mv -f "$archive.tmp" "$archive"
echo "wrote $archive ($(($(stat -c %s "$archive") / 1024 / 1024)) MB); plain agents started by $launcher now map it"
