#!/usr/bin/env bash
# Loads a generated 5-service and 500-service Compose file on a warm JVM and prints both times
# and their ratio (orchestrator-core's LoaderBenchmark). Target: 500 services in under 300 ms.
# Usage: scripts/bench-loader.sh [rounds]   (default 30 rounds for the large file)
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -o -pl orchestrator-core -am -DskipTests test-compile install -Dmaven.install.skip=true >/dev/null 2>&1 \
  || ./mvnw -q -B -pl orchestrator-core -am -DskipTests test-compile
cp_file="$(mktemp)"
trap 'rm -f "$cp_file"' EXIT
./mvnw -q -B -o -pl orchestrator-core dependency:build-classpath -Dmdep.outputFile="$cp_file" >/dev/null
classpath="orchestrator-core/target/test-classes:orchestrator-core/target/classes:$(cat "$cp_file")"
exec java -Xss4m -cp "$classpath" io.stackwright.core.compose.LoaderBenchmark "${1:-30}"
