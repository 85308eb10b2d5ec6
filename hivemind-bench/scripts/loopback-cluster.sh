# Shared by the loopback scenario scripts (source it; it runs nothing by itself): three
# etcd members or three Hivemind control agents on loopback, on free ports, with data directories
# under one temporary work directory, and a cleanup that stops every process it started and removes
# that directory. Needs bash, coreutils and (for Hivemind) the repository's launcher; HTTP goes
# through bash's /dev/tcp.
#
# The caller sets `root` (the repository) before sourcing, then calls cluster_init once. KEEP_WORK=1
# keeps the work directory (logs, data) for a look afterwards.

work=""
pids=()           # every process started, so cleanup can stop them all
member_pids=()    # by member index, of the running cluster
member_http=()    # by member index: the port of its HTTP API (etcd: client URL)
member_names=()

cluster_init() {
  work="$(mktemp -d "${TMPDIR:-/tmp}/$1.XXXXXX")"
  trap cluster_cleanup EXIT
  trap 'exit 130' INT TERM
}

cluster_cleanup() {
  local status=$? pid waited alive
  for pid in "${pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for ((waited = 0; waited < 100; waited++)); do
    alive=0
    for pid in "${pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive=1; done
    ((alive)) || break
    sleep 0.1
  done
  for pid in "${pids[@]}"; do kill -KILL "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  if ((status != 0)) && [[ -d "$work" ]]; then
    local log
    for log in "$work"/*.log; do
      [[ -f "$log" ]] || continue
      echo "--- last lines of $(basename "$log"):" >&2
      tail -n 15 "$log" >&2
    done
  fi
  if [[ -n "${KEEP_WORK:-}" ]]; then
    echo "kept the logs and data directories in $work (KEEP_WORK)" >&2
  elif [[ -n "$work" ]]; then
    rm -rf "$work"
  fi
}

# --- ports -------------------------------------------------------------------------------------

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

# --- HTTP --------------------------------------------------------------------------------------

# http_request METHOD PORT PATH [BODY]: prints the body of a 200 answer from 127.0.0.1:PORT, and
# fails on anything else (no answer within 2 s included).
http_request() {
  local fd response body="${4:-}"
  exec {fd}<>"/dev/tcp/127.0.0.1/$2" 2>/dev/null || return 1
  printf '%s %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nConnection: close\r\nContent-Length: %d\r\n\r\n%s' \
    "$1" "$3" "$2" "${#body}" "$body" >&"$fd"
  response="$(timeout 2 cat <&"$fd" || true)"
  exec {fd}>&-
  [[ "$response" == "HTTP/1.1 200 "* ]] || return 1
  printf '%s' "${response#*$'\r\n\r\n'}"
}

# --- etcd --------------------------------------------------------------------------------------

etcd_peer_ports=()

ensure_etcd() {
  command -v etcd >/dev/null && return
  echo "etcd not found: installing Debian's etcd-server..." >&2
  if ((EUID != 0)); then
    echo "need root for apt-get install etcd-server" >&2
    return 1
  fi
  DEBIAN_FRONTEND=noninteractive apt-get install -y -q etcd-server >/dev/null ||
    { apt-get update -q >/dev/null && DEBIAN_FRONTEND=noninteractive apt-get install -y -q etcd-server >/dev/null; }
}

# etcd_start COUNT: a new cluster of COUNT members, fsync on (etcd's default).
etcd_start() {
  local count=$1 i
  member_pids=() member_http=() member_names=() etcd_peer_ports=()
  for ((i = 0; i < count; i++)); do
    member_names+=("etcd-$i")
    free_port && member_http+=("$port")
    free_port && etcd_peer_ports+=("$port")
  done
  for ((i = 0; i < count; i++)); do etcd_start_member "$i"; done
}

# etcd_start_member I: starts (or restarts, on its data directory) member I.
etcd_start_member() {
  local i=$1 j cluster=""
  for ((j = 0; j < ${#member_names[@]}; j++)); do
    cluster+="${cluster:+,}${member_names[j]}=http://127.0.0.1:${etcd_peer_ports[j]}"
  done
  etcd --name "${member_names[i]}" --data-dir "$work/${member_names[i]}" \
    --listen-client-urls "http://127.0.0.1:${member_http[i]}" \
    --advertise-client-urls "http://127.0.0.1:${member_http[i]}" \
    --listen-peer-urls "http://127.0.0.1:${etcd_peer_ports[i]}" \
    --initial-advertise-peer-urls "http://127.0.0.1:${etcd_peer_ports[i]}" \
    --initial-cluster "$cluster" --initial-cluster-token "bench-$$" \
    --initial-cluster-state new --logger zap --log-level warn \
    >>"$work/${member_names[i]}.log" 2>&1 &
  pids+=($!)
  member_pids[i]=$!
}

etcd_healthy() { [[ "$(http_request GET "${member_http[$1]}" /health)" == *'"health":"true"'* ]]; }

etcd_all_healthy() {
  local i
  for i in "${!member_http[@]}"; do etcd_healthy "$i" || return 1; done
}

# etcd_status_field I FIELD: a field of member I's status (member_id, leader, raft_term...).
etcd_status_field() {
  local status
  status="$(http_request POST "${member_http[$1]}" /v3/maintenance/status '{}')" || return 1
  case "$2" in
    member_id) status="${status#*\"header\":}" ;; # the header's member_id, not another
  esac
  [[ "$status" =~ \"$2\":\"([0-9]+)\" ]] && printf '%s' "${BASH_REMATCH[1]}"
}

# etcd_leader I: member I's view of the leader, as its member id (nothing while there is none).
etcd_leader() {
  local leader
  leader="$(etcd_status_field "$1" leader)" || return 1
  [[ -n "$leader" && "$leader" != 0 ]] && printf '%s' "$leader"
}

etcd_member_id() { etcd_status_field "$1" member_id; }

etcd_endpoints() {
  local port list=""
  for port in "${member_http[@]}"; do list+="${list:+,}http://127.0.0.1:$port"; done
  printf '%s' "$list"
}

# --- Hivemind control agents -----------------------------------------------------------------

launcher="${HIVEMIND_LAUNCHER:-}"
hivemind_gossip_ports=()
hivemind_control_ports=()
hivemind_gateway_ports=()

# Whether this build's agent has the control role (the launcher builds the distribution on its
# first use).
hivemind_supported() {
  launcher="${launcher:-$root/hivemind}"
  [[ "$("$launcher" agent --help 2>&1)" == *--bootstrap-expect* ]]
}

# hivemind_start COUNT: COUNT control agents, bootstrap-expect COUNT, each seeded with the first.
hivemind_start() {
  local count=$1 i
  member_pids=() member_http=() member_names=()
  hivemind_gossip_ports=() hivemind_control_ports=() hivemind_gateway_ports=()
  for ((i = 0; i < count; i++)); do
    member_names+=("control-$i")
    free_port && member_http+=("$port")
    free_port && hivemind_gossip_ports+=("$port")
    free_port && hivemind_control_ports+=("$port")
    free_port && hivemind_gateway_ports+=("$port")
  done
  for ((i = 0; i < count; i++)); do hivemind_start_member "$i"; done
}

# hivemind_start_member I: starts (or restarts, on its data directory) control agent I. Every port
# is its own: the well-known defaults would collide between agents on one host.
hivemind_start_member() {
  local i=$1 args
  args=(agent --node "${member_names[i]}" --env testing --cluster bench
    --bind "127.0.0.1:${hivemind_gossip_ports[i]}" --http-bind "127.0.0.1:${member_http[i]}"
    --role control --bootstrap-expect "${#member_names[@]}"
    --control-bind "127.0.0.1:${hivemind_control_ports[i]}"
    --control-gateway-bind "127.0.0.1:${hivemind_gateway_ports[i]}"
    --data-dir "$work/${member_names[i]}")
  ((i > 0)) && args+=(--seed "127.0.0.1:${hivemind_gossip_ports[0]}")
  "$launcher" "${args[@]}" >>"$work/${member_names[i]}.log" 2>&1 &
  pids+=($!) # the launcher execs java, so $! is the JVM itself
  member_pids[i]=$!
}

# hivemind_leader I: member I's answer to GET /v1/status/leader without the quotes (Consul's
# shape: "host:port" of the leader's Raft port; "" while there is none, then this fails).
hivemind_leader() {
  local leader
  leader="$(http_request GET "${member_http[$1]}" /v1/status/leader)" || return 1
  leader="${leader//\"/}"
  leader="${leader//[[:space:]]/}"
  [[ -n "$leader" ]] && printf '%s' "$leader"
}

# hivemind_voters I: how many voters member I's GET /v1/status/peers lists ("host:port" strings).
hivemind_voters() {
  local peers
  peers="$(http_request GET "${member_http[$1]}" /v1/status/peers)" || return 1
  grep -o '"[^"]*"' <<<"$peers" | wc -l
}

# hivemind_member_of ADDRESS: the index of the member whose control port ADDRESS names.
hivemind_member_of() {
  local i
  for i in "${!hivemind_control_ports[@]}"; do
    [[ "${1##*:}" == "${hivemind_control_ports[i]}" ]] && { echo "$i"; return; }
  done
  return 1
}

hivemind_endpoints() {
  local port list=""
  for port in "${member_http[@]}"; do list+="${list:+,}http://127.0.0.1:$port"; done
  printf '%s' "$list"
}

# --- waiting -----------------------------------------------------------------------------------

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND every 100 ms until it succeeds.
wait_for() {
  local limit=$1 what=$2 deadline=$((SECONDS + $1))
  shift 2
  until "$@" >/dev/null 2>&1; do
    if ((SECONDS > deadline)); then
      echo "timed out after $limit s waiting for $what" >&2
      return 1
    fi
    sleep 0.1
  done
}

# --- Hivemind agents, each on a loopback host of its own ----------------------------------------
# Shared by state-vs-hazelcast.sh and state-migration.sh. Agent I runs on loopback address
# 127.0.0.(I+1): the partition table keeps an owner and its backup on two hosts (issue 13's
# anti-affinity), and agents that all advertise 127.0.0.1 would be one host, so the table would hold
# no backup at all and writes would wait for none. Every agent gets HIVEMIND_JAVA_OPTS as the
# caller exported it (the launcher's own flags otherwise).

hivemind_control_count=0

hivemind_host() { printf '127.0.0.%d' "$(($1 + 1))"; }

# hivemind_start_hosts COUNT [CONTROL]: COUNT agents, one loopback host each; the first CONTROL
# (default: all) control agents with bootstrap-expect CONTROL (control-I), the rest plain agents
# with the host role only (agent-I), every one seeded with the first.
hivemind_start_hosts() {
  local i
  hivemind_hosts_init "$@"
  for ((i = 0; i < ${#member_names[@]}; i++)); do hivemind_start_host "$i"; done
}

# hivemind_hosts_init COUNT [CONTROL]: the names and ports of hivemind_start_hosts, nothing
# started: the caller starts each with hivemind_start_host, in its own order.
hivemind_hosts_init() {
  local count=$1 control=${2:-$1} i
  member_pids=() member_http=() member_names=()
  hivemind_gossip_ports=() hivemind_control_ports=() hivemind_gateway_ports=()
  hivemind_control_count=$control
  for ((i = 0; i < count; i++)); do
    if ((i < control)); then member_names+=("control-$i"); else member_names+=("agent-$i"); fi
    free_port && member_http+=("$port")
    free_port && hivemind_gossip_ports+=("$port")
    free_port && hivemind_control_ports+=("$port")
    free_port && hivemind_gateway_ports+=("$port")
  done
}

# hivemind_start_host I: starts agent I of hivemind_start_hosts.
hivemind_start_host() {
  local i=$1 host args
  host="$(hivemind_host "$i")"
  args=(agent --node "${member_names[i]}" --env testing --cluster bench
    --bind "$host:${hivemind_gossip_ports[i]}" --http-bind "$host:${member_http[i]}"
    --data-dir "$work/${member_names[i]}")
  if ((i < hivemind_control_count)); then
    args+=(--role control --bootstrap-expect "$hivemind_control_count"
      --control-bind "$host:${hivemind_control_ports[i]}"
      --control-gateway-bind "$host:${hivemind_gateway_ports[i]}")
  else
    args+=(--role host)
  fi
  ((i > 0)) && args+=(--seed "$(hivemind_host 0):${hivemind_gossip_ports[0]}")
  "$launcher" "${args[@]}" >>"$work/${member_names[i]}.log" 2>&1 &
  pids+=($!) # the launcher execs java, so $! is the JVM itself
  member_pids[i]=$!
}

# hivemind_get I PATH: agent I's answer to GET PATH (200 only).
hivemind_get() {
  curl -sf --max-time 5 "http://$(hivemind_host "$1"):${member_http[$1]}$2"
}

# Whether every control agent of hivemind_start_hosts reports a leader.
hivemind_all_see_leader() {
  local i leader
  for ((i = 0; i < hivemind_control_count; i++)); do
    leader="$(hivemind_get "$i" /v1/status/leader)" || return 1
    [[ "$leader" == *:* ]] || return 1
  done
}

# Whether agent 0's GET /v1/partitions/owners names an owner for every partition.
hivemind_owners_ready() {
  local owners
  owners="$(hivemind_get 0 /v1/partitions/owners)" || return 1
  [[ "$owners" == *'"owners":['* ]] || return 1
  owners="${owners#*\"owners\":[}"
  owners="${owners%%]*}"
  [[ -n "$owners" && ",$owners," != *,-1,* ]]
}

# hivemind_settled [MEMBERS]: whether agent 0's committed table has every replica in place: no
# move in flight (backups filled after the table's first version), none under-replicated; and,
# given MEMBERS, names that many members. Writes during a fill wait for the filling destination
# too: measured on a settled table, as Hazelcast's is.
hivemind_settled() {
  local info
  info="$(hivemind_get 0 /v1/partitions)" || return 1
  [[ "$info" == *'"MovesInFlight":0'* && "$info" == *'"UnderReplicated":0'* ]] || return 1
  [[ -z "${1:-}" || "$(grep -o '"ID":' <<<"$info" | wc -l)" -eq "$1" ]]
}

# stop_members: SIGTERM to every member of the running cluster (an agent leaves the cluster first),
# then SIGKILL for whatever still runs after 15 s: a member that hangs on its way out must not hang
# the run.
stop_members() {
  local pid waited alive
  for pid in "${member_pids[@]}"; do kill -TERM "$pid" 2>/dev/null || true; done
  for ((waited = 0; waited < 150; waited++)); do
    alive=""
    for pid in "${member_pids[@]}"; do kill -0 "$pid" 2>/dev/null && alive+=" $pid"; done
    [[ -z "$alive" ]] && break
    sleep 0.1
  done
  if [[ -n "$alive" ]]; then
    echo "warning: still running 15 s after SIGTERM, killed:$alive"
    for pid in $alive; do kill -KILL "$pid" 2>/dev/null || true; done
  fi
  for pid in "${member_pids[@]}"; do wait "$pid" 2>/dev/null || true; done
}

# --- benchmarks.jar ------------------------------------------------------------------------------

# The load generators' jar: STATE_FIGURES_JAR, else hivemind-bench's, built on first use.
bench_jar() {
  local jar="${STATE_FIGURES_JAR:-$root/hivemind-bench/target/benchmarks.jar}"
  if [[ ! -f "$jar" ]]; then
    echo "building $jar (first run only)..." >&2
    (cd "$root" && ./mvnw -q -DskipTests -pl hivemind-bench -am package) >&2
  fi
  printf '%s' "$jar"
}
