#!/usr/bin/env bash
# Benchmark of the command line as a person uses it: whole processes of the distribution's
# bin/stackwright, alternating with the reference tools in the same run, on whatever else the
# machine is doing. Prints every round, the medians and the ratios against the goals of issue 19:
#   --help                                   < 0.3 s
#   config of 10 services                    <= 0.5x docker-compose config
#   deploy --no-wait of 30 services (Swarm)  <= 1.0x docker stack deploy (fresh)
#                                            <= 0.5x docker stack deploy (unchanged, 0 writes)
#   deploy of 10 services (one engine)       <= 0.5x docker-compose up -d (unchanged)
#                                            <= 1.1x 10 parallel docker run -d (fresh), and < docker-compose
# Then, for what the JVM alone cannot make fast, where the time goes (-Xlog:startuptime, classes
# loaded from the archive and from jars, time to the first Engine API answer).
# Usage: bash scripts/bench-cli.sh [ROUNDS] [CASES]   (default 5 rounds; CASES: help,config,swarm,engine,why)
set -euo pipefail
rounds=${1:-5}
cases=${2:-help,config,swarm,engine,why}
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root_dir"
version=$(sed -n 's:^  <version>\(.*\)</version>:\1:p' pom.xml | head -1)
dist=$root_dir/stackwright-cli/target/stackwright-$version
if [ ! -x "$dist/bin/stackwright" ]; then
  ./mvnw -B -ntp -q -DskipTests -pl stackwright-cli -am package
fi
sw=$dist/bin/stackwright
docker image inspect stackwright/workload:test >/dev/null 2>&1 || bash test-images/build.sh >/dev/null
work=$(mktemp -d)
prefix=clbench
trap 'cleanup' EXIT

cleanup() {
  docker stack rm "${prefix}sw" "${prefix}ds" >/dev/null 2>&1 || true
  docker-compose -p "${prefix}dc" -f "$work/engine.yml" down -t 1 >/dev/null 2>&1 || true
  "$sw" remove -p "${prefix}ce" --platform compose >/dev/null 2>&1 || true
  "$sw" remove -p "${prefix}why" --platform compose >/dev/null 2>&1 || true
  docker rm -f $(docker ps -aq --filter "label=${prefix}.floor") >/dev/null 2>&1 || true
  rm -rf "$work"
}

now_ms() { date +%s%3N; }

# time_ms COMMAND...: runs it, prints its wall time in ms; fails loudly when the command fails.
time_ms() {
  local start end
  start=$(now_ms)
  if ! "$@" >"$work/last.out" 2>&1; then
    echo "FAILED: $*" >&2
    cat "$work/last.out" >&2
    return 1
  fi
  end=$(now_ms)
  echo $((end - start))
}

median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : int((a[NR/2]+a[NR/2+1])/2))}'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN {printf "%.2f", (b == 0 ? 0 : a / b)}'; }
report() { # label ours-median theirs-median goal
  printf '%-44s %7s ms vs %7s ms  ratio %5sx  (goal %s)\n' "$1" "$2" "$3" "$(ratio "$2" "$3")" "$4"
}

# The files: 10 services for config and one engine, 30 for Swarm.
compose_file() { # count file swarm?
  {
    echo "services:"
    for i in $(seq 1 "$1"); do
      echo "  s$i:"
      echo "    image: stackwright/workload:test"
      echo "    environment:"
      echo "      INDEX: '$i'"
      if [ "$3" = swarm ]; then
        echo "    deploy:"
        echo "      replicas: 1"
        echo "      endpoint_mode: dnsrr"
      fi
    done
  } >"$2"
}
compose_file 10 "$work/config.yml" engine
compose_file 10 "$work/engine.yml" engine
compose_file 30 "$work/swarm.yml" swarm

echo "stackwright benchmark: $rounds rounds, $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "distribution: $dist ($(ls "$dist"/lib/*.jsa 2>/dev/null | wc -l) CDS archive(s)); java: $(java -XshowSettings:properties -version 2>&1 | sed -n 's/ *java.runtime.version = //p')"
echo

if [[ $cases == *help* ]]; then
  helps=""
  for r in $(seq 1 "$rounds"); do
    t=$(time_ms "$sw" --help)
    helps="$helps $t"
    echo "round $r: --help $t ms"
  done
  h=$(median <<<"$helps")
  printf '%-44s %7s ms  (goal < 300 ms: %s)\n\n' "--help" "$h" "$([ "$h" -lt 300 ] && echo met || echo NOT met)"
fi

if [[ $cases == *config* ]]; then
  ours="" theirs=""
  for r in $(seq 1 "$rounds"); do
    a=$(time_ms "$sw" config -f "$work/config.yml")
    b=$(time_ms docker-compose -f "$work/config.yml" config)
    ours="$ours $a" theirs="$theirs $b"
    echo "round $r: config $a ms, docker-compose config $b ms"
  done
  report "config, 10 services" "$(median <<<"$ours")" "$(median <<<"$theirs")" "<= 0.5x"
  echo
fi

versions() { # stack: the version index of every service, sorted
  docker service ls --filter "label=com.docker.stack.namespace=$1" -q \
    | xargs -r docker service inspect --format '{{.Spec.Name}} {{.Version.Index}}' | sort
}
wait_gone() { # stack
  local i
  for i in $(seq 1 120); do
    if [ -z "$(docker service ls -q --filter "label=com.docker.stack.namespace=$1")" ] \
      && [ -z "$(docker network ls -q --filter "label=com.docker.stack.namespace=$1")" ]; then
      return 0
    fi
    sleep 0.5
  done
}

if [[ $cases == *swarm* ]]; then
  fresh_sw="" fresh_ds="" same_sw="" same_ds="" writes=0
  for r in $(seq 1 "$rounds"); do
    docker stack rm "${prefix}sw" "${prefix}ds" >/dev/null 2>&1 || true
    wait_gone "${prefix}sw"
    wait_gone "${prefix}ds"
    a=$(time_ms "$sw" deploy --no-wait --platform swarm -f "$work/swarm.yml" -p "${prefix}sw")
    b=$(time_ms docker stack deploy -c "$work/swarm.yml" "${prefix}ds")
    before=$(versions "${prefix}sw")
    c=$(time_ms "$sw" deploy --no-wait --platform swarm -f "$work/swarm.yml" -p "${prefix}sw")
    after=$(versions "${prefix}sw")
    d=$(time_ms docker stack deploy -c "$work/swarm.yml" "${prefix}ds")
    changed=$(diff <(echo "$before") <(echo "$after") | grep -c '^>' || true)
    writes=$((writes + changed))
    fresh_sw="$fresh_sw $a" fresh_ds="$fresh_ds $b" same_sw="$same_sw $c" same_ds="$same_ds $d"
    echo "round $r: fresh stackwright $a ms, docker stack $b ms; unchanged stackwright $c ms ($changed services written), docker stack $d ms"
  done
  report "Swarm, 30 services, fresh (--no-wait)" "$(median <<<"$fresh_sw")" "$(median <<<"$fresh_ds")" "<= 1.0x"
  report "Swarm, 30 services, unchanged" "$(median <<<"$same_sw")" "$(median <<<"$same_ds")" "<= 0.5x, 0 writes; writes: $writes"
  docker stack rm "${prefix}sw" "${prefix}ds" >/dev/null 2>&1 || true
  echo
fi

if [[ $cases == *engine* ]]; then
  fresh_sw="" fresh_dc="" floor="" same_sw="" same_dc=""
  for r in $(seq 1 "$rounds"); do
    "$sw" remove -p "${prefix}ce" --platform compose >/dev/null 2>&1 || true
    docker-compose -p "${prefix}dc" -f "$work/engine.yml" down -t 1 >/dev/null 2>&1 || true
    docker rm -f $(docker ps -aq --filter "label=${prefix}.floor") >/dev/null 2>&1 || true
    a=$(time_ms "$sw" deploy --no-wait --platform compose -f "$work/engine.yml" -p "${prefix}ce")
    b=$(time_ms docker-compose -p "${prefix}dc" -f "$work/engine.yml" up -d)
    start=$(now_ms)
    for i in $(seq 1 10); do
      docker run -d --label "${prefix}.floor=1" --name "${prefix}floor$i" -e INDEX=$i stackwright/workload:test >/dev/null &
    done
    wait
    c=$(($(now_ms) - start))
    d=$(time_ms "$sw" deploy --no-wait --platform compose -f "$work/engine.yml" -p "${prefix}ce")
    e=$(time_ms docker-compose -p "${prefix}dc" -f "$work/engine.yml" up -d)
    fresh_sw="$fresh_sw $a" fresh_dc="$fresh_dc $b" floor="$floor $c" same_sw="$same_sw $d" same_dc="$same_dc $e"
    echo "round $r: fresh stackwright $a ms, docker-compose $b ms, 10 docker run -d $c ms; unchanged stackwright $d ms, docker-compose $e ms"
  done
  report "one engine, 10 services, unchanged" "$(median <<<"$same_sw")" "$(median <<<"$same_dc")" "<= 0.5x"
  report "one engine, 10 services, fresh vs docker run" "$(median <<<"$fresh_sw")" "$(median <<<"$floor")" "<= 1.1x"
  report "one engine, 10 services, fresh vs compose" "$(median <<<"$fresh_sw")" "$(median <<<"$fresh_dc")" "< 1.0x"
  echo
fi

if [[ $cases == *why* ]]; then
  echo "where the time goes (median of $rounds runs; classes from one run with -Xlog):"
  "$sw" deploy --no-wait -p "${prefix}why" --platform compose -f "$work/engine.yml" >/dev/null
  # Each step adds one part: the JVM and the CLI (--help), the Compose loader (config), the store
  # and the engine client (status), the plan's engine reads (plan), a job through the store
  # (the unchanged deploy).
  for cmd in "--help" "config -f $work/config.yml" "status -p ${prefix}none --platform compose" \
    "status -p ${prefix}none --platform swarm" "plan -p ${prefix}why --platform compose -f $work/engine.yml" \
    "deploy --no-wait -p ${prefix}why --platform compose -f $work/engine.yml"; do
    # shellcheck disable=SC2086
    log=$(STACKWRIGHT_OPTS="-Xlog:class+load -Xlog:startuptime" "$sw" $cmd 2>/dev/null || true)
    vm=$(sed -n 's/.*Create VM, \([0-9.]*\) secs/\1/p' <<<"$log" | head -1)
    shared=$(grep -c 'source: shared objects file' <<<"$log" || true)
    jar=$(grep -c 'source: file:' <<<"$log" || true)
    jrt=$(grep -c 'source: jrt:' <<<"$log" || true)
    runs=""
    for r in $(seq 1 "$rounds"); do
      start=$(now_ms)
      # shellcheck disable=SC2086
      "$sw" $cmd >/dev/null 2>&1 || true
      runs="$runs $(($(now_ms) - start))"
    done
    total=$(median <<<"$runs")
    printf '  %-36s %6s ms; JVM created in %s s; classes: %s from the archive, %s from jars, %s from the JDK image\n' \
      "${cmd%% -f*}" "$total" "${vm:-?}" "$shared" "$jar" "$jrt"
  done
  nocds=""
  for r in $(seq 1 "$rounds"); do nocds="$nocds $(STACKWRIGHT_CDS=off time_ms "$sw" config -f "$work/config.yml")"; done
  withcds=""
  for r in $(seq 1 "$rounds"); do withcds="$withcds $(time_ms "$sw" config -f "$work/config.yml")"; done
  report "config with the CDS archive vs without" "$(median <<<"$withcds")" "$(median <<<"$nocds")" "< 1.0x"
  java_floor=""
  for r in $(seq 1 "$rounds"); do java_floor="$java_floor $(time_ms java -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -version)"; done
  printf '%-44s %7s ms\n' "the JVM alone (java -version)" "$(median <<<"$java_floor")"
  ds_floor=""
  for r in $(seq 1 "$rounds"); do ds_floor="$ds_floor $(time_ms docker version)"; done
  printf '%-44s %7s ms\n' "the docker CLI alone (docker version)" "$(median <<<"$ds_floor")"
fi
