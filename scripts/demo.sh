#!/usr/bin/env bash
# The demo: prepares the engine, builds Stackwright, and runs examples/demo/stack.yml through the
# quickstart host application, which deploys it to the local Swarm, prints every event while the
# stack converges, shows its status, and removes it again (pass --keep to leave it running).
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
bash "$root_dir/scripts/dev-env.sh"
cd "$root_dir"
./mvnw -B -ntp -q -DskipTests install
exec java -cp "examples/target/stackwright-examples.jar" io.stackwright.examples.QuickstartDemo \
  examples/demo/stack.yml "$@"
