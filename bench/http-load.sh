#!/usr/bin/env bash
# The application as the README starts it (java -jar, demo profile, job executor on, H2 in a file in
# a scratch folder, or PostgreSQL with --database postgres), driven over HTTP on loopback by
# bench/http-load.py: rounds of composition requests, each while the instances of the rounds before
# it run (nothing is deleted), or a sustained run. One command per row of the table in
# docs/BENCHMARKS.md ("the running application under load"):
#
#   bench/http-load.sh                                   # the catalog's pools: a first round, then again
#   bench/http-load.sh --pools large                     # every pool very large (admin API): first, again
#   bench/http-load.sh --pools large --sustain 600       # 20 clients for 10 minutes
#   bench/http-load.sh --database postgres ...           # the same on PostgreSQL (FLOWCAST_DB_URL, a
#                                                        # database this script empties first)
#   bench/http-load.sh --drain 1000                      # 1,000 requests queued, then room for all:
#                                                        # how the queue drains (bench/queue-drain.py)
#   bench/http-load.sh --pools large --requests 500 --rounds 3 --clear-before 2
#                                                        # round 2 from none running (round 1's warm-up
#                                                        # deleted), round 3 with round 2's 500 running
#   bench/http-load.sh --pools large --static            # the same instances started by definition id
#                                                        # through /engine-rest, without composing
#   bench/http-load.sh --port 18300 ...                  # a port of your choice (default: a free one)
# Other options go to http-load.py (--requests 200 --clients 20 --rounds 2). JVM options for the
# application (a profile, a heap size) go in FLOWCAST_JAVA_OPTS, for example
#   FLOWCAST_JAVA_OPTS='-XX:StartFlightRecording=filename=/tmp/load.jfr,settings=profile' bench/http-load.sh
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
database=h2
pools=catalog
port=""
passed=()
while [ $# -gt 0 ]; do
  case "$1" in
    --database) database="$2"; shift 2 ;;
    --pools) pools="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *) passed+=("$1"); shift ;;
  esac
done
# FLOWCAST_JAR: another build's jar, to measure two side by side with the same script
jar=${FLOWCAST_JAR:-$(ls target/flowcast-*.jar 2>/dev/null | grep -v original | head -1 || true)}
[ -n "$jar" ] || { mvn -B -ntp -q -DskipTests package; jar=$(ls target/flowcast-*.jar | grep -v original | head -1); }
jar=$(realpath "$jar")
# shellcheck source=bench/running-app.sh
source bench/running-app.sh
work=$(mktemp -d /tmp/flowcast-http-load.XXXXXX)
[ -n "$port" ] || port=$(free_port)
profiles=demo
if [ "$database" = postgres ]; then
  profiles=demo,postgres
  url="${FLOWCAST_DB_URL:-jdbc:postgresql://localhost:5432/flowcast_bench}"
  db="${url##*/}"; db="${db%%\?*}"
  PGPASSWORD="${FLOWCAST_DB_PASSWORD:-flowcast}" psql -h localhost -U "${FLOWCAST_DB_USER:-flowcast}" -d "$db" -qc \
    'drop schema public cascade; create schema public' >/dev/null
  export FLOWCAST_DB_URL="$url"
fi
app=""
trap '[ -n "$app" ] && kill "$app" 2>/dev/null; wait 2>/dev/null || true' EXIT
# the pools at the catalog's capacity, one worker per pool, as docs/BENCHMARKS.md measured it (the
# demo's own local-workers provider would size the pools by their workers and queue the load)
# shellcheck disable=SC2086 # FLOWCAST_JAVA_OPTS is a list of options, split on spaces
(cd "$work" && exec java ${FLOWCAST_JAVA_OPTS:-} -jar "$jar" --spring.profiles.active="$profiles" --server.port="$port" \
  --flowcast.capacity.provider=fixed --flowcast.workers.local.per-pool=1 > "$work/app.log" 2>&1) &
app=$!
wait_for_health "$port" 180 "$work/app.log"
echo "http-load: $database, pools $pools, application on port $port, log $work/app.log" >&2
[ "$pools" = large ] && large_pools "$port"
script=bench/http-load.py
for option in "${passed[@]}"; do
  [ "$option" = --drain ] && script=bench/queue-drain.py
done
python3 "$script" --base "http://127.0.0.1:$port" "${passed[@]}"
