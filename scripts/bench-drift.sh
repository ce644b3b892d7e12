#!/usr/bin/env bash
# Benchmark: the cost of drift supervision's periodic full comparison of a Swarm stack (default
# 100 services): milliseconds and Engine API calls per pass, next to `docker service inspect` of
# the same services in the same run.
# Usage: bash scripts/bench-drift.sh [SERVICES] [PASSES]   (defaults 100 and 10)
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root_dir"
[ -f benchmarks/target/stackwright-benchmarks.jar ] || ./mvnw -B -ntp -q -pl benchmarks -am -DskipTests package
exec java -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp benchmarks/target/stackwright-benchmarks.jar io.stackwright.benchmarks.DriftBenchmark "$@"
