#!/usr/bin/env bash
# Benchmark of issue 13: no-op jobs per second through the queue on H2 and PostgreSQL
# (StoreBenchmark, as scripts/bench-store.sh), then 10 parallel deployments of 10 different
# 3-service stacks on Swarm through Stackwright, the same 10 one after another, and 10 `docker stack deploy` processes at once, each
# until `docker stack services` shows every replica running; then one process supervising 100
# small stacks on one engine (RSS, CPU % of one core over 60 s idle). Removes what it creates.
# Usage: bash scripts/bench-jobs.sh [SUPERVISED_STACKS [supervision-only|swarm-only]]   (default 100)
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root_dir/scripts/dev-env.sh"
cd "$root_dir"
bash test-images/build.sh
./mvnw -B -ntp -q -DskipTests -pl benchmarks -am package
if [ "$#" -lt 2 ]; then
  # the whole set of issue 13's figures in one run: the queue's no-op jobs per second first
  java -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
    -cp benchmarks/target/stackwright-benchmarks.jar io.stackwright.benchmarks.StoreBenchmark
fi
exec java -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp benchmarks/target/stackwright-benchmarks.jar io.stackwright.benchmarks.JobsBenchmark "$@"
