# Shared by etcd-vs-control.sh and leader-kill.sh (source it; it runs nothing by itself): three
# etcd members or three Hivemind control agents on loopback, on free ports, with data directories
# under one temporary work directory, and a cleanup that stops every process it started and removes
# that directory. Needs bash, coreutils and (for Hivemind) the repository's launcher; HTTP goes
# through bash's /dev/tcp.
#
# The caller sets `root` (the repository) before sourcing, then calls cluster_init once.

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
  [[ -n "$work" ]] && rm -rf "$work"
}

# --- ports -------------------------------------------------------------------------------------

# A port nobody listens on over TCP or UDP (v4 or v6), from /proc/net: no extra tools.
port_in_use() {
  local hex
  hex="$(printf ':%04X ' "$1")"
  cat /proc/net/tcp /proc/net/tcp6 /proc/net/udp /proc/net/udp6 2>/dev/null |
    awk '{print $2}' | grep -q -- "${hex% }\$"
}
taken=" "
free_port() {
  local port
  while :; do
    port=$((20000 + RANDOM % 30000))
    [[ "$taken" == *" $port "* ]] && continue
    port_in_use "$port" && continue
    taken+="$port "
    echo "$port"
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
    member_http+=("$(free_port)")
    etcd_peer_ports+=("$(free_port)")
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
#
# Written against the issue (`hivemind agent --role control --bootstrap-expect 3`), before the
# control plane is integrated: hivemind_supported says whether this build's agent has the flags;
# the flags whose names the issue leaves open (the control port, the data directory) are taken
# from the agent's --help when it offers one of the names below.

launcher="${HIVEMIND_LAUNCHER:-}"
hivemind_gossip_ports=()
hivemind_control_ports=()
hivemind_help=""

hivemind_supported() {
  launcher="${launcher:-$root/hivemind}"
  hivemind_help="$("$launcher" agent --help 2>&1)" || true
  [[ "$hivemind_help" == *--bootstrap-expect* ]]
}

# The first of the given flags that the agent's --help lists.
hivemind_flag() {
  local flag
  for flag in "$@"; do
    [[ "$hivemind_help" == *"$flag"* ]] && { printf '%s' "$flag"; return; }
  done
  return 1
}

# hivemind_start COUNT: COUNT control agents, bootstrap-expect COUNT, each seeded with the first.
hivemind_start() {
  local count=$1 i
  member_pids=() member_http=() member_names=() hivemind_gossip_ports=() hivemind_control_ports=()
  for ((i = 0; i < count; i++)); do
    member_names+=("control-$i")
    member_http+=("$(free_port)")
    hivemind_gossip_ports+=("$(free_port)")
    hivemind_control_ports+=("$(free_port)")
  done
  for ((i = 0; i < count; i++)); do hivemind_start_member "$i"; done
}

# hivemind_start_member I: starts (or restarts, on its data directory) control agent I.
hivemind_start_member() {
  local i=$1 flag args
  args=(agent --node "${member_names[i]}" --env testing --cluster bench
    --bind "127.0.0.1:${hivemind_gossip_ports[i]}" --http-bind "127.0.0.1:${member_http[i]}"
    --role control --bootstrap-expect "${#member_names[@]}")
  ((i > 0)) && args+=(--seed "127.0.0.1:${hivemind_gossip_ports[0]}")
  if flag="$(hivemind_flag --control-bind --control-port --raft-bind)"; then
    if [[ "$flag" == --control-port ]]; then
      args+=("$flag" "${hivemind_control_ports[i]}")
    else
      args+=("$flag" "127.0.0.1:${hivemind_control_ports[i]}")
    fi
  fi
  flag="$(hivemind_flag --data-dir --data)" && args+=("$flag" "$work/${member_names[i]}")
  "$launcher" "${args[@]}" >>"$work/${member_names[i]}.log" 2>&1 &
  pids+=($!) # the launcher execs java, so $! is the JVM itself
  member_pids[i]=$!
}

# hivemind_leader I: member I's answer to GET /v1/status/leader without the quotes (Consul's
# shape: "host:port" of the leader's control port; "" while there is none).
hivemind_leader() {
  local leader
  leader="$(http_request GET "${member_http[$1]}" /v1/status/leader)" || return 1
  leader="${leader//\"/}"
  leader="${leader//[[:space:]]/}"
  [[ -n "$leader" ]] && printf '%s' "$leader"
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
