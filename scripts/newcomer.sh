#!/usr/bin/env bash
# The newcomer's path, as README.md gives it, from a clean clone with nothing beside it (no
# ../shared): clone, build and install the library, then build a fresh host application that
# depends on it through the BOM (scripts/newcomer/), run it against the local Swarm, and check that
# it deployed, answered and removed its stack. Needs the engine that scripts/dev-env.sh prepares.
# Usage: scripts/newcomer.sh   (CI runs it after the test suite)
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
log() { printf '[newcomer] %s\n' "$*" >&2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
started=$(date +%s)

git clone -q "$root_dir" "$work/stackwright"
[ ! -e "$work/shared" ] || { log "ERROR: $work/shared exists; the clone must stand alone"; exit 1; }
# A local Maven repository of its own: the third-party artifacts of ~/.m2 (a newcomer's cache, or
# Maven Central), but no io.stackwright artifact, so only what this clone builds can satisfy the
# host's dependencies; and the test suite, which may run meanwhile, keeps ~/.m2 to itself.
repo=$work/m2
mkdir -p "$repo"
if [ -d "$HOME/.m2/repository" ]; then
  tar -C "$HOME/.m2/repository" --exclude=./io/stackwright -cf - . | tar -C "$repo" -xf -
fi
mvn_opts=(-B -ntp -q -Dmaven.repo.local="$repo")
log "building the clone (no ../shared beside it)"
(cd "$work/stackwright" && ./mvnw "${mvn_opts[@]}" install -DskipTests -Dmaven.javadoc.skip=true \
  -Dmaven.source.skip=true -pl orchestrator-bom,orchestrator-api,compose-loader,orchestrator-core,adapter-swarm -am)

log "building a host application from the README's coordinates"
cp -r "$root_dir/scripts/newcomer/host" "$work/host"
version=$(sed -n "s:.*<version>\(.*\)</version>.*:\1:p" "$work/stackwright/pom.xml" | head -1)
(cd "$work/host" && "$work/stackwright/mvnw" "${mvn_opts[@]}" -Dstackwright.version="$version" package \
  dependency:build-classpath -Dmdep.outputFile=classpath.txt)

log "running it against the local Swarm"
(cd "$work/host" && java -cp "target/classes:$(cat classpath.txt)" demo.HostApp stack.yml)
log "done in $(( $(date +%s) - started )) s"
