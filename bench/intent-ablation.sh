#!/usr/bin/env bash
# What each feature group of the intent model brings, measured on a validation split inside the
# training part of each log. Usage: bench/intent-ablation.sh LOG.csv [LOG.csv ...]
# (CSV logs in the Tax et al. format: CaseID,ActivityID,CompleteTimestamp)
# ABLATION_OPTS passes system properties to the harness (see IntentAblation's javadoc), e.g.
#   ABLATION_OPTS='-Donly=depth=4,+MARKOV/depth=4 -Dfold=1' bench/intent-ablation.sh LOG.csv
# On a machine busy with other work, add -XX:ActiveProcessorCount=1: the booster then trains on
# one thread instead of two threads that wait for each other (1.7 s instead of 98 s for one
# help-desk row on 2026-11-29, load average 8).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl app -am test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/target/bench-classpath.txt" >/dev/null
uptime
# shellcheck disable=SC2086
java ${ABLATION_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  dev.flowcast.prediction.IntentAblation "${@:-datasets/eventlogs/helpdesk.csv}"
