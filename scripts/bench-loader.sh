#!/usr/bin/env bash
# Loads a generated 5-service and 500-service Compose file on a warm JVM and prints both times
# and their ratio (benchmarks' LoaderBenchmark). Target: 500 services in under 300 ms.
# Usage: scripts/bench-loader.sh [rounds]   (default 30 rounds for the large file)
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root_dir"
[ -f benchmarks/target/stackwright-benchmarks.jar ] || ./mvnw -B -ntp -q -pl benchmarks -am -DskipTests package
exec java -Xss4m -cp benchmarks/target/stackwright-benchmarks.jar io.stackwright.benchmarks.LoaderBenchmark "${1:-30}"
