#!/usr/bin/env bash
# Makes this machine ready to run Stackwright's demo and tests: a Docker engine that answers,
# in Swarm mode, the locally built test images, and a PostgreSQL on 127.0.0.1:55432
# (scripts/dev-postgres.sh). Idempotent: each step is skipped when done.
# Installs with apt-get when run as root; otherwise says what is missing and how to get it.
set -euo pipefail

root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf '[dev-env] %s\n' "$*" >&2; }
die() { printf '[dev-env] ERROR: %s\n' "$*" >&2; exit 1; }

apt_updated=false
install_packages() {
  if [ "$(id -u)" != 0 ]; then
    die "missing: $*. Install them (Debian: sudo apt-get install -y $*) or run this script as root."
  fi
  if [ "$apt_updated" = false ]; then
    log "apt-get update"
    DEBIAN_FRONTEND=noninteractive apt-get update -qq
    apt_updated=true
  fi
  log "installing $*"
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

need=()
command -v dockerd >/dev/null 2>&1 || need+=(docker.io)
[ -x /bin/busybox ] || need+=(busybox-static)
command -v gcc >/dev/null 2>&1 || need+=(gcc libc6-dev)
command -v java >/dev/null 2>&1 || need+=(openjdk-17-jdk-headless)
# Debian's docker-compose (1.29) is the reference the single-engine platform is compared with.
command -v docker-compose >/dev/null 2>&1 || need+=(docker-compose)
# HAProxy is the proxy in the data path of the rollout tests (packaged FROM scratch by test-images/haproxy).
command -v haproxy >/dev/null 2>&1 || [ -x /usr/sbin/haproxy ] || need+=(haproxy)
# The CLI's terminal test draws the live view in a tmux pane and reads the screen back.
command -v tmux >/dev/null 2>&1 || need+=(tmux)
# PostgreSQL is the shared store of several host processes (orchestrator-store's tests, benchmark).
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || need+=(postgresql)
# Prometheus 2.42 (with promtool) scrapes and queries Stackwright's meters in the observability ITs.
[ -x /usr/bin/prometheus ] || need+=(prometheus)
# The fault lab (integration-tests/src/test/lab/fault-lab.sh) runs one dockerd per namespace.
{ command -v tini || command -v docker-init; } >/dev/null 2>&1 || need+=(tini); for t in ip:iproute2 iptables:iptables nsenter:util-linux unshare:util-linux; do command -v "${t%%:*}" >/dev/null 2>&1 || need+=("${t#*:}"); done
[ ${#need[@]} -eq 0 ] || install_packages "${need[@]}"

java_major=$(java -XshowSettings:properties -version 2>&1 | sed -n 's/.*java.specification.version = //p')
[ "${java_major%%.*}" -ge 17 ] 2>/dev/null || die "Java 17 or newer is needed (found ${java_major:-none})."

if ! docker info >/dev/null 2>&1; then
  if [ -n "${DOCKER_HOST:-}" ]; then
    die "DOCKER_HOST=$DOCKER_HOST does not answer; start that engine or unset DOCKER_HOST."
  fi
  [ "$(id -u)" = 0 ] || die "no Docker engine answers on /var/run/docker.sock. Start one (sudo dockerd &) and rerun."
  log "starting dockerd (log: /tmp/stackwright-dockerd.log)"
  nohup setsid dockerd >/tmp/stackwright-dockerd.log 2>&1 </dev/null &
  for _ in $(seq 1 60); do
    docker info >/dev/null 2>&1 && break
    sleep 1
  done
  docker info >/dev/null 2>&1 || die "dockerd did not answer within 60 s; see /tmp/stackwright-dockerd.log"
fi
log "engine: Docker $(docker version --format '{{.Server.Version}} (API {{.Server.APIVersion}})')"

swarm_state=$(docker info --format '{{.Swarm.LocalNodeState}}')
if [ "$swarm_state" != active ]; then
  log "swarm is '$swarm_state': docker swarm init --advertise-addr 127.0.0.1"
  docker swarm init --advertise-addr 127.0.0.1 >/dev/null
fi

bash "$root_dir/test-images/build.sh"
bash "$root_dir/test-images/haproxy/build.sh"
bash "$root_dir/scripts/dev-postgres.sh"
log "ready"
