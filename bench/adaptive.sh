#!/usr/bin/env bash
# What watching costs: composed instances whose steps the plugin measures vs the same BPMN under a
# key it ignores, side by side in one process; and one adaptive check over many running instances.
# Usage: bench/adaptive.sh [instances per measurement] [repetitions] [running instances for the check]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl app -am test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/target/bench-classpath.txt" >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  dev.flowcast.adaptive.AdaptiveBenchmark "${1:-40}" "${2:-7}" "${3:-200}"
