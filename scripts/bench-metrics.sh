#!/usr/bin/env bash
# Benchmark: reading CPU and memory of 50 replicas from cgroup files, from the engine's one-shot
# stats endpoint in parallel, and with `docker stats --no-stream`, in the same run. Prints per-round
# times, the medians and the ratios against docker stats.
# Usage: bash scripts/bench-metrics.sh [REPLICAS] [ROUNDS] [PLATFORM]   (default 50 5 compose)
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root_dir/scripts/dev-env.sh"
cd "$root_dir"
[ -f benchmarks/target/stackwright-benchmarks.jar ] || ./mvnw -B -ntp -q -DskipTests -pl benchmarks -am package
exec java -cp benchmarks/target/stackwright-benchmarks.jar io.stackwright.benchmarks.MetricsBenchmark "$@"
