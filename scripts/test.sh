#!/usr/bin/env bash
# The test command: prepares the engine (scripts/dev-env.sh), then runs every unit and
# integration test with the Maven wrapper. Extra arguments go to Maven. A full run (no
# arguments) also checks that every published module built its -sources and -javadoc jars.
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root_dir/scripts/dev-env.sh"
cd "$root_dir"
./mvnw -B -ntp -T 2 verify "$@"
if [ "$#" -eq 0 ]; then
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
fi
