#!/usr/bin/env bash
# Benchmark: a 10-service project up on one engine, Stackwright (embedded) against Debian's
# docker-compose, in the same run. Prints per-round times, the medians and their ratios.
# Usage: bash scripts/bench-compose-up.sh [ROUNDS]   (default 5)
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root_dir/scripts/dev-env.sh"
cd "$root_dir"
[ -f benchmarks/target/stackwright-benchmarks.jar ] || ./mvnw -B -ntp -q -DskipTests -pl benchmarks -am package
exec java -cp benchmarks/target/stackwright-benchmarks.jar io.stackwright.benchmarks.ComposeUpBenchmark "$@"
