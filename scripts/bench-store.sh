#!/usr/bin/env bash
# Benchmark: no-op jobs per second through the store's queue (submit + claim + finish) on embedded
# H2 and on PostgreSQL (scripts/dev-postgres.sh), in one run, with their ratio. Goal: >= 100/s
# on PostgreSQL.
# Usage: bash scripts/bench-store.sh [JOBS] [WORKERS]   (defaults 3000 and 4)
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root_dir"
[ -f benchmarks/target/stackwright-benchmarks.jar ] || ./mvnw -B -ntp -q -pl benchmarks -am -DskipTests package
exec java -Xmx256m -Dorg.slf4j.simpleLogger.defaultLogLevel=warn \
  -cp benchmarks/target/stackwright-benchmarks.jar io.stackwright.benchmarks.StoreBenchmark "$@"
