#!/usr/bin/env bash
# Smoke test of the stackwright/workload images against the local Docker engine:
# runs containers (and, when the engine is a Swarm manager, a service), exercises
# every endpoint and env var, and removes everything it started.
#
# Usage: test-images/smoke-test.sh          (builds the images first via build.sh)
# Needs: docker, curl. Takes ~15 s (~25 s with the Swarm check).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
IMAGE="stackwright/workload:test"
PREFIX="swsmoke-$$"
failures=0

cleanup() { # removes exactly what this run started (all names carry $PREFIX)
    local ids
    ids="$(docker service ls -q --filter "name=$PREFIX-" 2>/dev/null || true)"
    [ -n "$ids" ] && docker service rm $ids >/dev/null 2>&1 || true
    ids="$(docker ps -aq --filter "name=^/$PREFIX-" 2>/dev/null || true)"
    [ -n "$ids" ] && docker rm -f $ids >/dev/null 2>&1 || true
}
trap cleanup EXIT

command -v curl >/dev/null 2>&1 || { echo "smoke-test: curl is required" >&2; exit 1; }
"$SCRIPT_DIR/build.sh"

ok() { printf '  ok    %s\n' "$*"; }
bad() { printf '  FAIL  %s\n' "$*"; failures=$((failures + 1)); }
check() { # check <description> <expected> <actual>
    if [ "$2" = "$3" ]; then ok "$1"; else bad "$1: expected [$2], got [$3]"; fi
}
now_ms() { echo $(($(date +%s%N) / 1000000)); }

start() { # start <name-suffix> [docker run args...]; prints the base URL
    local name="$PREFIX-$1"
    shift
    docker run -d --name "$name" -p 127.0.0.1::8080 "$@" "$IMAGE" >/dev/null
    local port
    port="$(docker port "$name" 8080/tcp | head -n 1 | sed 's/.*://')"
    for _ in $(seq 1 50); do
        curl -s -o /dev/null "http://127.0.0.1:$port/" && break
        sleep 0.1
    done
    echo "http://127.0.0.1:$port"
}
code() { curl -s -o /dev/null -w '%{http_code}' "$@"; }
metric() { curl -s "$1/metrics" | awk -v m="$2" '$1 == m {print $2}'; }

echo "basic endpoints"
c="$PREFIX-main"
url="$(start main)"
check "GET / body" "hostname=$(docker inspect -f '{{.Config.Hostname}}' "$c") version=v1" "$(curl -s "$url/")"
check "GET / content-type" "text/plain" "$(curl -s -o /dev/null -w '%{content_type}' "$url/")"
check "GET /health" "200 ok" "$(code "$url/health") $(curl -s "$url/health")"
check "GET /nope -> 404" "404" "$(code "$url/nope")"
check "POST /health -> 404" "404" "$(code -X POST "$url/health")"
check "/metrics content-type" "text/plain; version=0.0.4" "$(curl -s -o /dev/null -w '%{content_type}' "$url/metrics")"
r1="$(metric "$url" workload_requests_total)"
r2="$(metric "$url" workload_requests_total)"
check "workload_requests_total counts /metrics itself" "$((r1 + 1))" "$r2"
for m in workload_requests_total workload_in_flight_requests workload_cpu_work_ms_total; do
    check "# TYPE line for $m" "1" "$(curl -s "$url/metrics" | grep -c "^# TYPE $m ")"
done

echo "keep-alive"
v="$(curl -sv "$url/" "$url/health" 2>&1)"
check "two requests on one connection" "1" "$(grep -c 'Re-using existing connection' <<<"$v")"
v="$(curl -sv -H 'Connection: close' "$url/health" "$url/health" 2>&1)"
check "Connection: close honoured" "0" "$(grep -c 'Re-using existing connection' <<<"$v" || true)"

echo "/work"
t0="$(now_ms)"
body="$(curl -s "$url/work?cpu-ms=300")"
dt=$(($(now_ms) - t0))
check "/work?cpu-ms=300 body" "worked 300ms" "$body"
if [ "$dt" -ge 295 ] && [ "$dt" -le 600 ]; then ok "/work?cpu-ms=300 took ${dt} ms"; else bad "/work?cpu-ms=300 took ${dt} ms"; fi
check "workload_cpu_work_ms_total" "300" "$(metric "$url" workload_cpu_work_ms_total)"
for q in "" "?cpu-ms=" "?cpu-ms=abc" "?cpu-ms=-1" "?cpu-ms=1.5"; do
    check "/work$q -> 400" "400" "$(code "$url/work$q")"
done

echo "health flips"
docker exec "$c" /bin/touch /tmp/unhealthy
check "health with /tmp/unhealthy" "503 unhealthy" "$(code "$url/health") $(curl -s "$url/health")"
check "probe exit code when unhealthy" "1" "$(docker exec "$c" /server --probe >/dev/null 2>&1; echo $?)"
docker exec "$c" /bin/rm /tmp/unhealthy
check "health after rm" "200" "$(code "$url/health")"
check "probe exit code when healthy" "0" "$(docker exec "$c" /server --probe >/dev/null 2>&1; echo $?)"
check "POST /admin/health/fail" "200" "$(code -X POST "$url/admin/health/fail")"
check "health after admin fail" "503" "$(code "$url/health")"
check "POST /admin/health/ok" "200" "$(code -X POST "$url/admin/health/ok")"
check "health after admin ok" "200" "$(code "$url/health")"
check "probe /nope exit code" "1" "$(docker exec "$c" /server --probe /nope >/dev/null 2>&1; echo $?)"
check "probe closed port exit code" "1" "$(docker exec "$c" /server --probe /health 9 >/dev/null 2>&1; echo $?)"

echo "env vars"
url2="$(start delay -e STARTUP_DELAY_MS=1500 -e VERSION=v9)"
check "STARTUP_DELAY_MS: 503 at first" "503" "$(code "$url2/health")"
check "VERSION env" "v9" "$(curl -s "$url2/" | sed 's/.*version=//')"
sleep 1.6
check "STARTUP_DELAY_MS: 200 afterwards" "200" "$(code "$url2/health")"
url3="$(start failenv -e FAIL_HEALTH=1)"
check "FAIL_HEALTH=1" "503" "$(code "$url3/health")"
docker run -d --name "$PREFIX-v2" stackwright/workload:v2 >/dev/null
sleep 0.3
check "stackwright/workload:v2 version" "v2" \
    "$(docker exec "$PREFIX-v2" wget -q -O- http://127.0.0.1:8080/ | sed 's/.*version=//')"

echo "exit and stop"
check "POST /admin/exit?code=x -> 400" "400" "$(code -X POST "$url3/admin/exit?code=x")"
check "POST /admin/exit?code=7" "200" "$(code -X POST "$url3/admin/exit?code=7")"
check "container exit code after /admin/exit?code=7" "7" "$(docker wait "$PREFIX-failenv")"
t0="$(now_ms)"
docker stop "$c" >/dev/null
dt=$(($(now_ms) - t0))
if [ "$dt" -lt 1000 ]; then ok "docker stop took ${dt} ms"; else bad "docker stop took ${dt} ms"; fi
check "exit code after SIGTERM" "0" "$(docker inspect -f '{{.State.ExitCode}}' "$c")"

if [ "$(docker info --format '{{.Swarm.ControlAvailable}}' 2>/dev/null)" = "true" ]; then
    echo "swarm service with --health-cmd"
    svc="$PREFIX-svc"
    docker service create -d --quiet --name "$svc" --health-cmd "/server --probe" \
        --health-interval 1s --health-timeout 3s --health-retries 2 "$IMAGE" >/dev/null 2>&1
    state=""
    for _ in $(seq 1 30); do
        state="$(docker ps --filter "label=com.docker.swarm.service.name=$svc" --format '{{.Status}}')"
        case "$state" in *"(healthy)"*) break ;; esac
        sleep 1
    done
    case "$state" in *"(healthy)"*) ok "service task healthy: $state" ;; *) bad "service task not healthy: $state" ;; esac
fi

if [ "$failures" -eq 0 ]; then echo "smoke-test: all checks passed"; else echo "smoke-test: $failures check(s) failed"; exit 1; fi
