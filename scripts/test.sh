#!/usr/bin/env bash
# The test command: prepares the engine (scripts/dev-env.sh), then runs every unit and
# integration test with the Maven wrapper. Extra arguments go to Maven (one `verify` of the
# reactor). A full run (no arguments) also checks that every published module built its -sources
# and -javadoc jars, and prints the time of each module at the end.
#
# A full run builds and installs every module first (no tests), then runs two Maven builds at
# once: the integration tests (with the CLI, whose jar and distribution they run), and every other
# module's tests. In one reactor the integration tests, 2/3 of the run, would wait for every
# module's own tests; most of those wait for the engine or a clock, so the integration tests use
# the CPU they leave idle. The logs of the two builds are in target/test-logs/.
#
# After the tests, every run scans their output (each module's Surefire and Failsafe reports and
# target/test-logs/) for the secret values the tests registered with SecretGuard
# (docs/secrets.md, "The guard"), and fails on a hit, also when the tests passed.
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root_dir/scripts/dev-env.sh"
cd "$root_dir"

# secret_guard: the scan, run from its source (it needs the JDK only, so no build); 1 on a hit.
secret_guard() {
  local java=java
  if [ -n "${JAVA_HOME:-}" ]; then java="$JAVA_HOME/bin/java"; fi
  "$java" orchestrator-test-support/src/main/java/io/stackwright/testing/SecretGuard.java "$root_dir" \
    | sed 's/^\[secret-guard\]/[test] secret guard:/'
  return "${PIPESTATUS[0]}"
}

if [ "$#" -gt 0 ]; then
  status=0
  ./mvnw -B -ntp -T 2 -Dsecret-guard.skip=true verify "$@" || status=$?
  secret_guard || status=1
  exit "$status"
fi

started=$(date +%s)
./mvnw -B -ntp -T 2 install -DskipTests -Dsecret-guard.skip=true
built=$(date +%s)

logs=target/test-logs
mkdir -p "$logs"
# The jars, -sources and -javadoc jars are built and installed above; the two builds below
# compile nothing new and resolve the modules they do not build from the local repository.
# The secret guard runs once at the end, over the whole tree and these logs.
again=(-B -ntp -Dmaven.javadoc.skip=true -Dmaven.source.skip=true -Dsecret-guard.skip=true)
# build NAME PREFIX NICENESS MAVEN-ARGS...: one of the two, its lines prefixed, its log kept.
build() {
  local name=$1 prefix=$2 niceness=$3
  shift 3
  nice -n "$niceness" ./mvnw "${again[@]}" "$@" 2>&1 | tee "$logs/$name.log" | sed -u "s/^/[$prefix] /"
}
build integration-tests it 0 verify -pl stackwright-cli,integration-tests &
its=$!
# niced: the integration tests' load and timing checks (autoscaling, rollouts under load) get the
# CPU first; the modules' tests, mostly unit tests, take what is left and end well before them
build modules modules 5 -T 2 verify -pl '!stackwright-cli,!integration-tests' &
modules=$!
status=0
wait "$modules" || status=1
modules_done=$(date +%s)
wait "$its" || status=1
its_done=$(date +%s)

echo "[test] build and install without tests: $(( built - started )) s; then at once: every"
echo "[test] module's own tests $(( modules_done - built )) s, the CLI and the integration tests"
echo "[test] $(( its_done - built )) s; total $(( its_done - started )) s. Per module:"
for log in "$logs/modules.log" "$logs/integration-tests.log"; do
  sed -n '/Reactor Summary/,/Total time/p' "$log" | grep -E '\.\.\. *(SUCCESS|FAILURE|SKIPPED)' \
    | grep -vE '^\[INFO\] (Stackwright|Stackwright BOM) \.' | sed 's/^\[INFO\] /[test]   /'
done
# the logs are complete now: the guard reads them with the reports
guard=0
secret_guard || guard=1
if [ "$status" -ne 0 ]; then
  echo "[test] FAILED: see the [it] and [modules] lines above (logs in $logs/)" >&2
  exit 1
fi
if [ "$guard" -ne 0 ]; then
  echo "[test] FAILED: a test output holds a secret the tests deployed (files and lines above)" >&2
  exit 1
fi

missing=()
for pom in */pom.xml; do
  module=$(dirname "$pom")
  grep -q '<maven.deploy.skip>true</maven.deploy.skip>' "$pom" && continue
  grep -q '<packaging>pom</packaging>' "$pom" && continue
  for kind in sources javadoc; do
    ls "$module"/target/*-"$kind".jar >/dev/null 2>&1 || missing+=("$module: no -$kind jar")
  done
done
if [ "${#missing[@]}" -gt 0 ]; then
  printf '[test] ERROR: %s\n' "${missing[@]}" >&2
  exit 1
fi
echo "[test] every published module built its -sources and -javadoc jars"
