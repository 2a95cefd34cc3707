#!/usr/bin/env bash
# What a step costs as an external task served by a worker process, against the same step as a job
# of the engine's job executor, side by side in one application: latency of one step at a time and
# steps per second in a burst, for a worker with one slot and with four.
# Usage: bench/external-steps.sh [steps per latency measurement] [burst size] [repetitions]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl app -am test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/target/bench-classpath.txt" >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  dev.flowcast.worker.ExternalStepBenchmark "${1:-100}" "${2:-200}" "${3:-3}"
