#!/usr/bin/env bash
# What each feature group of the intent model brings, measured on a validation split inside the
# training part of each log. Usage: bench/intent-ablation.sh LOG.csv [LOG.csv ...]
# (CSV logs in the Tax et al. format: CaseID,ActivityID,CompleteTimestamp)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q test-compile dependency:build-classpath -Dmdep.outputFile=target/bench-classpath.txt >/dev/null
uptime
java -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  dev.flowcast.prediction.IntentAblation "${@:-../shared/data/eventlogs/helpdesk.csv}"
