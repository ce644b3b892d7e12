#!/usr/bin/env bash
# fault-lab.sh - the fault lab of Stackwright's integration tests: a multi-node Docker Swarm on ONE
# Linux host, with faults on demand. Driven by io.stackwright.it.faults.SwarmLab; usable by hand.
#
# Every node is its own dockerd (+ containerd) in its own network namespace fl-n<N> (veth fl-v<N>
# on bridge flbr0, IP 10.79.0.(10+N)), PID namespace (tini is PID 1, so SIGKILL of it is a power
# cut: every container of the node dies), mount namespace (private /run/docker, /run/containerd,
# /etc/docker, sysfs of the netns) and UTS namespace (hostname fl-node<N>).
# Node N answers on unix:///run/fl-lab/node<N>.sock. The host engine and its Swarm are never touched.
#
#   fault-lab.sh up [N]       create or converge an N-node swarm (default 3), idempotent
#   fault-lab.sh down         remove everything it created, idempotent
#   fault-lab.sh kill N       power-cut node N (data kept)
#   fault-lab.sh stop N       graceful stop of node N;  start N: start it again (re-joins)
#   fault-lab.sh partition N  cut node N off the network;  heal N: undo
#   fault-lab.sh leader       the number of the node that leads the Raft group
#   fault-lab.sh status       nodes and `docker node ls`
#
# Knobs: FL_MANAGERS=3 (nodes 1..M are managers), FL_HEARTBEAT=2s (dispatcher heartbeat),
# FL_IMAGES (copied from the host engine into every node), FL_SRC_DOCKER (the host engine).
# Needs root, docker.io (dockerd, containerd), tini or docker-init, iproute2, iptables, util-linux.
# Only touches: netns fl-n*, links flbr0/fl-v*, one iptables FORWARD rule (comment fault-lab),
# /run/fl-lab, /var/lib/fl-lab, cgroups fl-node*. Kills only PIDs it recorded (start time checked).
set -euo pipefail
shopt -s nullglob

RUN=/run/fl-lab
DATA=/var/lib/fl-lab
BR=flbr0
NET=10.79.0
BR_IP=$NET.1
HEARTBEAT=${FL_HEARTBEAT:-2s}
MANAGERS=${FL_MANAGERS:-3}
IMAGES=${FL_IMAGES:-stackwright/workload:test stackwright/workload:v2}
SRC_DOCKER=${FL_SRC_DOCKER:-unix:///var/run/docker.sock}
FW_RULE=(FORWARD -i "$BR" -o "$BR" -m comment --comment fault-lab -j ACCEPT)
SELF=$(readlink -f "${BASH_SOURCE[0]}")

log() { printf '[fault-lab %s] %s\n' "$(date +%T.%3N)" "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
node_ip() { echo "$NET.$((10 + $1))"; }
sock() { echo "$RUN/node$1.sock"; }
dk() { local n=$1; shift; timeout 20 docker -H "unix://$(sock "$n")" "$@"; }
check_n() { [[ $1 =~ ^[0-9]+$ ]] && (($1 >= 1 && $1 <= 9)) || die "node number must be 1..9 (got '$1')"; }
nodes() { local d n; for d in "$RUN"/node*/; do n=${d%/}; echo "${n##*node}"; done; }

# ------------------------------------------------------------------ recorded PIDs
pid_start() { local s; s=$(cat "/proc/$1/stat" 2>/dev/null) || return 0; s=${s##*) }; set -- $s; echo "${20}"; }
rec_pid() { # N role -> the recorded pid, only while it is still the same process
    local f="$RUN/node$1/pids" r p st
    [[ -f $f ]] || return 0
    while read -r r p st; do [[ $r == "$2" && -n $p && $(pid_start "$p") == "$st" ]] && echo "$p"; done <"$f"
    return 0
}
running() { [[ -n $(rec_pid "$1" init) ]]; }
wait_gone() { local i; for ((i = 0; i < $2 * 10; i++)); do [[ -d /proc/$1 ]] || return 0; sleep 0.1; done; return 1; }
kill_node() { # N signal timeout_s
    local init un
    init=$(rec_pid "$1" init); un=$(rec_pid "$1" unshare)
    if [[ -n $init ]]; then
        kill "-$2" "$init" 2>/dev/null || true
        wait_gone "$init" "$3" || { kill -KILL "$init" 2>/dev/null || true; wait_gone "$init" 10 || log "node$1: $init would not die"; }
    fi
    if [[ -n $un ]] && ! wait_gone "$un" 5; then kill -KILL "$un" 2>/dev/null || true; wait_gone "$un" 5 || true; fi
    rm -f "$RUN/node$1/pids" "$(sock "$1")"
}

# ------------------------------------------------------------------ network
host_net() {
    mkdir -p "$RUN" "$DATA"
    ip link show "$BR" &>/dev/null || { ip link add "$BR" type bridge; ip addr add "$BR_IP/24" dev "$BR"; }
    ip link set "$BR" up
    # With br_netfilter, bridged frames cross the root FORWARD chain (policy DROP under Docker).
    if [[ $(cat /proc/sys/net/bridge/bridge-nf-call-iptables 2>/dev/null || echo 0) == 1 ]]; then
        iptables -C "${FW_RULE[@]}" 2>/dev/null || iptables -I FORWARD 1 "${FW_RULE[@]:1}"
    fi
}
node_net() {
    local n=$1 ns=fl-n$1 v=fl-v$1
    [[ -e /run/netns/$ns ]] || ip netns add "$ns"
    if ! ip link show "$v" &>/dev/null; then
        ip link add "$v" type veth peer name eth0 netns "$ns"
        ip -n "$ns" addr add "$(node_ip "$n")/24" dev eth0
        ip -n "$ns" link set lo up
        ip -n "$ns" link set eth0 up
        ip -n "$ns" route replace default via "$BR_IP"
    fi
    ip link set "$v" master "$BR"
    ip link set "$v" up
}

# ------------------------------------------------------------------ a node
# PID 1 of the node's PID namespace, inside its netns and new mount + UTS namespaces.
node_init() {
    local n=$1 d=$DATA/node$1 r=$RUN/node$1
    hostname "fl-node$n"
    mkdir -p "$d/.cg"
    mount --rbind /sys/fs/cgroup "$d/.cg" # keep the cgroup mounts across the sysfs remount
    umount -l /sys
    mount -t sysfs sysfs /sys # the interfaces of THIS netns
    mount --rbind "$d/.cg" /sys/fs/cgroup
    umount -l "$d/.cg"
    mkdir -p /run/containerd /run/docker "$r/exec"
    mount -t tmpfs -o mode=0711 "fl-node$n" /run/containerd
    mount -t tmpfs -o mode=0711 "fl-node$n" /run/docker
    mount -t tmpfs -o mode=0711 "fl-node$n" "$r/exec"
    mount --bind "$d/etc-docker" /etc/docker
    # No resolver is reachable from the node netns: fail lookups at once instead of in ~20 s.
    echo "nameserver 127.0.0.1" >"$d/resolv.conf"
    [[ ! -e /etc/resolv.conf ]] || mount --bind "$d/resolv.conf" /etc/resolv.conf
    export DOCKER_SERVICE_PREFER_OFFLINE_IMAGE=1 # no registry: never pull
    local init_bin; init_bin=$(command -v tini || command -v docker-init)
    exec "$init_bin" -- dockerd -H "unix://$(sock "$n")" --data-root "$d/data" --exec-root "$r/exec" \
        --pidfile "$r/exec/docker.pid" --config-file "$d/etc-docker/daemon.json" --cgroup-parent "/fl-node$n"
}

start_node() {
    local n=$1 d=$DATA/node$1 r=$RUN/node$1 pid st i init
    running "$n" && return 0
    kill_node "$n" KILL 5
    mkdir -p "$d/data" "$d/etc-docker" "$r/exec"
    echo '{ "log-level": "warn" }' >"$d/etc-docker/daemon.json"
    echo "---- $(date -Is) start node$n" >>"$d/dockerd.log"
    setsid nsenter --net="/run/netns/fl-n$n" \
        unshare --mount --propagation slave --uts --pid --fork --mount-proc --kill-child \
        /bin/bash "$SELF" __init "$n" >>"$d/dockerd.log" 2>&1 </dev/null &
    pid=$!
    for ((i = 0; i < 50; i++)); do st=$(pid_start "$pid"); [[ -n $st ]] && break; sleep 0.02; done
    echo "unshare $pid $st" >"$r/pids"
    for ((i = 0; i < 200; i++)); do
        init=$(cat "/proc/$pid/task/$pid/children" 2>/dev/null || true); init=${init%% *}
        [[ -n $init && $(readlink "/proc/$pid/exe" 2>/dev/null) == */unshare ]] && break
        init=; sleep 0.05
    done
    [[ -n $init ]] || { tail -20 "$d/dockerd.log" >&2; die "node$n: namespace init did not start"; }
    echo "init $init $(pid_start "$init")" >>"$r/pids"
    for ((i = 0; i < 1200; i++)); do
        dk "$n" version --format '{{.Server.Version}}' &>/dev/null && return 0
        running "$n" || break
        sleep 0.1
    done
    tail -30 "$d/dockerd.log" >&2
    die "node$n: dockerd did not come up (log: $d/dockerd.log)"
}

swarm_state() { # one word; unreachable also when info printed nothing (a node still starting)
    local st
    st=$(dk "$1" info --format '{{.Swarm.LocalNodeState}}' 2>/dev/null) && [[ -n $st ]] || st=unreachable
    echo "$st"
}
manager() { # the lowest-numbered node that answers manager calls
    local n
    for n in $(nodes); do
        [[ -S $(sock "$n") ]] || continue
        [[ $(dk "$n" info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null) == true ]] &&
            dk "$n" node ls -q &>/dev/null && { echo "$n"; return 0; }
    done
    return 1
}
join() {
    local n=$1 st m role=worker i ip
    ip=$(node_ip "$n"); ((n <= MANAGERS)) && role=manager
    # pending: still joining; unreachable: its dockerd did not answer `info` in time, which a node
    # just healed or restarted on a loaded machine does for a while (once over 20 s in CI)
    local until=$((SECONDS + 60))
    while ((SECONDS < until)); do
        st=$(swarm_state "$n"); [[ $st == pending || $st == unreachable ]] || break; sleep 0.2
    done
    case $st in
    active) ;;
    inactive)
        if m=$(manager); then
            dk "$n" swarm join --token "$(dk "$m" swarm join-token -q "$role")" \
                --advertise-addr "$ip" --listen-addr "$ip:2377" "$(node_ip "$m"):2377" >/dev/null
        else
            dk "$n" swarm init --advertise-addr "$ip" --listen-addr "$ip:2377" --dispatcher-heartbeat "$HEARTBEAT" >/dev/null
        fi ;;
    *) die "node$n: swarm state '$st' (see $DATA/node$n/dockerd.log)" ;;
    esac
}
save_images() { # once, from the host engine (no registry here)
    local img t=$DATA/images.tar
    [[ -s $t ]] && return 0
    for img in $IMAGES; do docker -H "$SRC_DOCKER" image inspect "$img" &>/dev/null || die "image $img missing on the host engine (bash test-images/build.sh)"; done
    docker -H "$SRC_DOCKER" save $IMAGES >"$t.tmp" && mv "$t.tmp" "$t"
}
images() {
    local n=$1 img missing=()
    for img in $IMAGES; do dk "$n" image inspect "$img" &>/dev/null || missing+=("$img"); done
    ((${#missing[@]})) || return 0
    timeout 60 docker -H "unix://$(sock "$n")" load -q -i "$DATA/images.tar" >/dev/null
}

# ------------------------------------------------------------------ commands
cmd_up() {
    local want=${1:-3} n m i ready t0=$SECONDS
    host_net
    for ((n = 1; n <= want; n++)); do node_net "$n"; start_node "$n" & done; wait
    for ((n = 1; n <= want; n++)); do running "$n" || die "node$n did not start"; done
    for ((n = 1; n <= want; n++)); do join "$n"; done
    m=$(manager) || die "no manager with quorum"
    dk "$m" swarm update --dispatcher-heartbeat "$HEARTBEAT" >/dev/null
    save_images
    for ((n = 1; n <= want; n++)); do images "$n" & done; wait
    for ((n = 1; n <= want; n++)); do for i in $IMAGES; do dk "$n" image inspect "$i" &>/dev/null || die "node$n: $i not loaded"; done; done
    for ((i = 0; i < 600; i++)); do
        ready=$(dk "$m" node ls --format '{{.Status}}' 2>/dev/null | grep -c '^Ready$' || true)
        ((ready >= want)) && break; sleep 0.1
    done
    ((ready >= want)) || die "only $ready/$want nodes Ready"
    log "swarm of $want nodes up in $((SECONDS - t0)) s"
}
cmd_down() {
    local n d
    for n in $(nodes); do d=$(rec_pid "$n" init); [[ -z $d ]] || kill -KILL "$d" 2>/dev/null || true; done
    for n in $(nodes); do kill_node "$n" KILL 15; done
    for d in /sys/class/net/fl-v[0-9]*; do ip link del "${d##*/}" 2>/dev/null || true; done
    for d in /run/netns/fl-n[0-9]*; do ip netns del "${d##*/}" 2>/dev/null || true; done
    ! ip link show "$BR" &>/dev/null || ip link del "$BR"
    while iptables -C "${FW_RULE[@]}" 2>/dev/null; do iptables -D "${FW_RULE[@]}"; done
    for d in /sys/fs/cgroup/fl-node[0-9]* /sys/fs/cgroup/*/fl-node[0-9]*; do
        find "$d" -depth -type d -exec rmdir {} + 2>/dev/null || log "WARNING: could not remove cgroup $d"
    done
    local mnts
    mnts=$(awk -v a="$RUN" -v b="$DATA" '$5 == a || $5 == b || index($5, a "/") == 1 || index($5, b "/") == 1 {print $5}' /proc/self/mountinfo | sort -r)
    for d in $mnts; do umount -l "$d" || true; done
    rm -rf --one-file-system "$RUN" "$DATA"
    log "lab removed"
}
cmd_leader() {
    local m; m=$(manager) || die "no manager with quorum"
    dk "$m" node ls --format '{{.Hostname}} {{.ManagerStatus}}' | awk '$2 == "Leader" {sub("fl-node", "", $1); print $1}'
}
cmd_status() {
    local n m
    for n in $(nodes); do echo "node$n $(node_ip "$n") link=$(cat /sys/class/net/fl-v$n/operstate 2>/dev/null || echo none) init=$(rec_pid "$n" init) swarm=$(swarm_state "$n")"; done
    m=$(manager) && dk "$m" node ls
}

[[ $EUID -eq 0 ]] || die "must run as root"
case ${1:-} in
up) cmd_up "${2:-3}" ;;
down) cmd_down ;;
kill) check_n "$2"; running "$2" || die "node$2 not running"; kill_node "$2" KILL 15; log "node$2 killed" ;;
stop) check_n "$2"; running "$2" || die "node$2 not running"; kill_node "$2" TERM 40; log "node$2 stopped" ;;
start) check_n "$2"; host_net; node_net "$2"; start_node "$2"; log "node$2 started ($(swarm_state "$2"))" ;;
partition) check_n "$2"; ip link set "fl-v$2" down; log "node$2 partitioned" ;;
heal) check_n "$2"; ip link set "fl-v$2" up; log "node$2 healed" ;;
leader) cmd_leader ;;
status) cmd_status ;;
__init) node_init "$2" ;;
*) sed -n '2,/^set -euo/p' "$SELF" | sed '$d' | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
