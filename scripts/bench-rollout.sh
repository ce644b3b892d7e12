#!/usr/bin/env bash
# Runs the rollout integration tests (Swarm and single engine, HAProxy in the data path, a steady
# 40 requests/s) and prints their BENCH lines: per strategy, total duration, requests sent and
# failed, the time from a bad version's detection to rollback complete, and (probe-verified
# rollback) from its first failed probe to rollback complete.
# Needs what scripts/dev-env.sh sets up (engine in Swarm mode, test images, HAProxy image).
set -euo pipefail
root_dir=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
cd "$root_dir"
bash scripts/dev-env.sh
./mvnw -B -ntp -pl integration-tests -am verify -Dtest=none -Dsurefire.failIfNoSpecifiedTests=false \
  -Dit.test='SwarmRolloutIT,ComposeRolloutIT,SwarmSideBySideIT,ComposeSideBySideIT,ProbeVerifiedRolloutIT' 2>&1 \
  | grep -E '^BENCH|Tests run:|FAIL' || true
