#!/usr/bin/env bash
# Times the Traefik router (adapter-traefik's RouterBenchmark) for a stack of N richly routed
# services: validate, prepare (Swarm labels), render (file YAML), setWeights (atomic file rewrite).
# Usage: scripts/bench-router.sh [services] [rounds]   (default 100 services, 50 rounds)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o -pl adapter-traefik -am -DskipTests test-compile install -Dmaven.install.skip=true >/dev/null 2>&1 \
  || ./mvnw -q -B -pl adapter-traefik -am -DskipTests test-compile
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
./mvnw -q -B -o -pl adapter-traefik dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null 2>&1 \
  || ./mvnw -q -B -pl adapter-traefik dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
classpath="adapter-traefik/target/test-classes:adapter-traefik/target/classes:$(cat "$cp_file")"
exec java -cp "$classpath" io.stackwright.traefik.RouterBenchmark "${1:-100}" "${2:-50}"
