#!/usr/bin/env bash
# Times the Traefik router (benchmarks' RouterBenchmark) for a stack of N richly routed
# services: validate, prepare (Swarm labels), render (file YAML), setWeights (atomic file rewrite).
# Usage: scripts/bench-router.sh [services] [rounds]   (default 100 services, 50 rounds)
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root_dir"
[ -f benchmarks/target/stackwright-benchmarks.jar ] || ./mvnw -B -ntp -q -pl benchmarks -am -DskipTests package
exec java -cp benchmarks/target/stackwright-benchmarks.jar io.stackwright.benchmarks.RouterBenchmark "${1:-100}" "${2:-50}"
