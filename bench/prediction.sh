#!/usr/bin/env bash
# Intent prediction on the request path: one prefix per call vs batches, beside the Markov
# baseline, in one run. Usage: bench/prediction.sh [event-log.csv] [repetitions]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl app -am test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/target/bench-classpath.txt" >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  dev.flowcast.prediction.PredictionBenchmark "${1:-datasets/eventlogs/helpdesk.csv}" "${2:-7}"
