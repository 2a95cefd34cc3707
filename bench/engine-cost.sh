#!/usr/bin/env bash
# What composing costs on the request path: a composition whose workflow is deployed already against
# the same BPMN started by key, side by side in one process; and a first composition with its deployment.
# Usage: bench/engine-cost.sh [starts per measurement] [repetitions] [first compositions]
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl app -am test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/target/bench-classpath.txt" >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  dev.flowcast.composer.EngineCostBenchmark "${1:-200}" "${2:-7}" "${3:-20}"
