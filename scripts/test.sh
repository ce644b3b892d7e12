#!/usr/bin/env bash
# The test command: prepares the engine (scripts/dev-env.sh), then runs every unit and
# integration test with the Maven wrapper. Extra arguments go to Maven.
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root_dir/scripts/dev-env.sh"
cd "$root_dir"
exec ./mvnw -B -ntp verify "$@"
