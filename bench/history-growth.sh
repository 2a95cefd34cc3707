#!/usr/bin/env bash
# Does a composition get slower as history grows? Composed instances are run to their end until
# each level of completed instances is reached; at each level compositions are timed.
# Usage: bench/history-growth.sh [levels, comma-separated] [compositions per measurement] [repetitions]
#   [warm-up rounds]  (default 1000,10000 200 5 1; filling takes about 40 ms per completed instance on
#   2 cores, and warms the JIT up; a file filled before is measured at once: give it 10 warm-up rounds)
# History of 10^5 instances does not fit an in-memory H2 in the default heap (about 6 GB held
# 37,000): put it in an H2 file, the application's own default, e.g.
#   BENCH_JAVA_OPTS='-Dflowcast.bench.database-url=jdbc:h2:file:/tmp/flowcast-history;LOCK_TIMEOUT=10000' \
#     bench/history-growth.sh 1000,10000,100000 100 3
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl app -am test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/target/bench-classpath.txt" >/dev/null
java ${BENCH_JAVA_OPTS:-} -cp "target/classes:target/test-classes:$(cat target/bench-classpath.txt)" \
  dev.flowcast.composer.HistoryGrowthBenchmark "${1:-1000,10000}" "${2:-200}" "${3:-5}" "${4:-1}"
