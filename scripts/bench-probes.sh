#!/usr/bin/env bash
# Benchmark: the health monitor's HTTP probes against local HTTP servers (one port per replica).
# Prints probes per second, probes per CPU-second of the prober (what one core sustains), and the
# prober's CPU share when probing 200 replicas every 5 s.
# Usage: bash scripts/bench-probes.sh [SECONDS]   (default 20)
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root_dir"
[ -f examples/target/stackwright-cli.jar ] || ./mvnw -B -ntp -q -DskipTests install
exec java -cp examples/target/stackwright-cli.jar io.stackwright.examples.bench.ProbeBenchmark "$@"
