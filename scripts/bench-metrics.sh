#!/usr/bin/env bash
# Benchmark: reading CPU and memory of 50 replicas from cgroup files, from the engine's one-shot
# stats endpoint in parallel, and with `docker stats --no-stream`, in the same run. Prints per-round
# times, the medians and the ratios against docker stats.
# Usage: bash scripts/bench-metrics.sh [REPLICAS] [ROUNDS] [PLATFORM]   (default 50 5 compose)
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root_dir/scripts/dev-env.sh"
cd "$root_dir"
[ -f examples/target/stackwright-cli.jar ] || ./mvnw -B -ntp -q -DskipTests install
exec java -cp examples/target/stackwright-cli.jar io.stackwright.examples.bench.MetricsBenchmark "$@"
