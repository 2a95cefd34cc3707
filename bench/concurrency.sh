#!/usr/bin/env bash
# Concurrent composition requests over HTTP on loopback against the whole application in one
# process (H2 in memory, demo profile, a steady measured machine, job executor off): requests per
# second, p50 and p99 per round, answers by status; pools with room for all, then the catalog's.
# Usage: bench/concurrency.sh [requests per round] [clients] [rounds] [warm-up rounds]   (default 200 20 5 5)
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl app -am test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/target/bench-classpath.txt" >/dev/null
java -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  dev.flowcast.api.ConcurrencyBenchmark "${1:-200}" "${2:-20}" "${3:-5}" "${4:-5}"
