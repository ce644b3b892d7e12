#!/usr/bin/env bash
# Benchmark: nanoseconds per event recorded through MicrometerMetrics (counter, gauge, timer) against
# Micrometer used directly and core's InMemoryMetrics in the same run, and the cost of one Prometheus
# scrape of a fleet of services with every meter core records per service. No engine needed.
# Usage: bash scripts/bench-metrics-micrometer.sh [SERVICES] [ROUNDS]   (default 100 30)
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root_dir"
[ -f benchmarks/target/stackwright-benchmarks.jar ] || ./mvnw -B -ntp -q -pl benchmarks -am -DskipTests package
exec java -cp benchmarks/target/stackwright-benchmarks.jar io.stackwright.benchmarks.MicrometerMetricsBenchmark "${1:-100}" "${2:-30}"
