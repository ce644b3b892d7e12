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
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root_dir/scripts/dev-env.sh"
cd "$root_dir"
if [ "$#" -gt 0 ]; then
  exec ./mvnw -B -ntp -T 2 verify "$@"
fi

started=$(date +%s)
./mvnw -B -ntp -T 2 install -DskipTests
built=$(date +%s)

logs=target/test-logs
mkdir -p "$logs"
# The jars, -sources and -javadoc jars are built and installed above; the two builds below
# compile nothing new and resolve the modules they do not build from the local repository.
again=(-B -ntp -Dmaven.javadoc.skip=true -Dmaven.source.skip=true)
# build NAME PREFIX MAVEN-ARGS...: one of the two, its lines prefixed, its log kept.
build() {
  local name=$1 prefix=$2
  shift 2
  ./mvnw "${again[@]}" "$@" 2>&1 | tee "$logs/$name.log" | sed -u "s/^/[$prefix] /"
}
build integration-tests it verify -pl stackwright-cli,integration-tests &
its=$!
build modules modules -T 2 verify -pl '!stackwright-cli,!integration-tests' &
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
if [ "$status" -ne 0 ]; then
  echo "[test] FAILED: see the [it] and [modules] lines above (logs in $logs/)" >&2
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
