#!/usr/bin/env bash
# One node against two on one PostgreSQL: the same bounded load of composition requests (loopback
# only), requests per second and latency percentiles, medians of repetitions.
# Usage: bench/cluster.sh JDBC_URL [requests] [clients] [repetitions]
#   e.g. bench/cluster.sh jdbc:postgresql://localhost:5432/flowcast_cluster_test 200 8 3
# The database is emptied first; user flowcast/flowcast must own it (as .ci/run sets it up).
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -q -pl app -am test-compile dependency:build-classpath -Dmdep.outputFile="$PWD/target/bench-classpath.txt" >/dev/null
classpath="target/classes:target/test-classes:$(cat target/bench-classpath.txt)"
SUREFIRE_CLASSPATH="$classpath" java -Dsurefire.test.class.path="$classpath" -cp "$classpath" \
  dev.flowcast.cluster.ClusterThroughputBenchmark "$1" "${2:-200}" "${3:-8}" "${4:-3}"
