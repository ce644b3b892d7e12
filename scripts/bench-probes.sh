#!/usr/bin/env bash
# Benchmark: the health monitor's HTTP probes against local HTTP servers (one port per replica).
# Prints probes per second, probes per CPU-second of the prober (what one core sustains), and the
# prober's CPU share when probing 200 replicas every 5 s.
# Usage: bash scripts/bench-probes.sh [SECONDS]   (default 20)
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root_dir"
[ -f benchmarks/target/stackwright-benchmarks.jar ] || ./mvnw -B -ntp -q -DskipTests -pl benchmarks -am package
exec java -cp benchmarks/target/stackwright-benchmarks.jar io.stackwright.benchmarks.ProbeBenchmark "$@"
