#!/usr/bin/env bash
# Starts per second over HTTP with 10^3 and with 10^5 completed composed instances in PostgreSQL's
# history: the application as the README starts it (java -jar, demo and postgres profiles, the job
# executor on), driven by bench/http-load.py, on two databases that differ only in their history.
#
#   bench/history-growth-http.sh prepare [--instances 1000] [--copies 100] [--time-scale 0.1]
#   bench/history-growth-http.sh copy [--copies 100]        # the large database again from the small
#   bench/history-growth-http.sh measure [--repetitions 3] [--requests 250] [--rounds 3] [--time-scale 0.1]
#   bench/history-growth-http.sh                             # prepare, then measure
# Databases: --small DB --large DB (default flowcast_hist_small, flowcast_hist_large on
# localhost:5432, user flowcast, password FLOWCAST_DB_PASSWORD or flowcast; copy makes the large
# one anew, so the user needs CREATEDB). Also --port PORT, --clients 20, FLOWCAST_JAR (default
# target/flowcast-*.jar).
#
# prepare: empties the small database, starts the application on it (every pool very large, the
# monitor as in measure) and sends --instances composition requests (rounds of 250 from 20
# clients, alice's four intents; a few start through the queue), waits until every instance has
# ended, and stops it: 10^3 instances of real history, run. Its demo steps take --time-scale times
# their declared durations (on one worker of 4 slots per pool, 1,000 instances at the declared
# durations take about an hour to end; at 0.1, 13 minutes on a busy machine). Then copy (15 minutes
# for 100 copies, 13 GB).
#
# copy: makes the large database anew from the small one (its template) and multiplies its history
# --copies times in SQL (bench/history-growth-copy.sql). The large history is COPIED, NOT RUN:
# running 10^5 instances to their end took 72 minutes of both cores in-process on H2 (48 ms an
# instance, docs/BENCHMARKS.md), and over HTTP with the demo's steps it takes hours. Copied are the
# rows of ended instances only (never a runtime act_ru_* row, never an open reservation): every
# act_hi_* and act_ge_bytearray row of an ended root instance, and Flowcast's ended steps,
# decisions, released reservations, step runs and the user's actions of those instances. Every id
# that belongs to a copied instance is marked with the copy's number in all tables alike; copy n
# is moved n - 1 times the original run's span back in time, so that the history reads as run
# back to back before the original, not as a hundred times the last minutes' traffic. It prints
# the row counts per table before and after, and runs VACUUM ANALYZE.
#
# measure: the same jar with the same options on each database in turn (small, large, small, ...,
# --repetitions times each): the resource monitor pointed at an unreachable Prometheus
# (FLOWCAST_RESOURCES_SOURCE=prometheus, port 9), so that every answer is STARTED whatever the
# machine's load, every pool very large, one worker per pool, the demo's steps at --time-scale as
# in prepare (at other durations than its history holds, the adaptive check would find every step
# slow and compose again); http-load.py's rounds; then the instances still running are cancelled
# through the engine's REST API (so that they do not run on into the next run on that database)
# and the application stops. Each run thus adds the same requests to either database's history
# (printed before each run: composed instances ended). It prints every round, then per database
# the median requests/s of rounds 2 and later (round 1 warms a fresh JVM up), and large / small.
set -euo pipefail
cd "$(dirname "$0")/.."
small=flowcast_hist_small
large=flowcast_hist_large
instances=1000
copies=100
repetitions=3
requests=250
rounds=3
clients=20
time_scale=0.1
port=""
steps=()
while [ $# -gt 0 ]; do
  case "$1" in
    prepare|copy|measure) steps+=("$1"); shift ;;
    --small) small="$2"; shift 2 ;;
    --large) large="$2"; shift 2 ;;
    --instances) instances="$2"; shift 2 ;;
    --copies) copies="$2"; shift 2 ;;
    --repetitions) repetitions="$2"; shift 2 ;;
    --requests) requests="$2"; shift 2 ;;
    --rounds) rounds="$2"; shift 2 ;;
    --clients) clients="$2"; shift 2 ;;
    --time-scale) time_scale="$2"; shift 2 ;;
    --port) port="$2"; shift 2 ;;
    *) echo "history-growth-http: unknown argument $1 (see the header of $0)" >&2; exit 2 ;;
  esac
done
[ ${#steps[@]} -gt 0 ] || steps=(prepare measure)
jar=${FLOWCAST_JAR:-$(ls target/flowcast-*.jar 2>/dev/null | grep -v original | head -1 || true)}
[ -n "$jar" ] || { mvn -B -ntp -q -DskipTests package; jar=$(ls target/flowcast-*.jar | grep -v original | head -1); }
jar=$(realpath "$jar")
# shellcheck source=bench/running-app.sh
source bench/running-app.sh
[ -n "$port" ] || port=$(free_port)
work=$(mktemp -d /tmp/flowcast-history-http.XXXXXX)
export PGPASSWORD="${FLOWCAST_DB_PASSWORD:-flowcast}"
sql() { local db=$1; shift; psql -h localhost -U "${FLOWCAST_DB_USER:-flowcast}" -d "$db" -v ON_ERROR_STOP=1 -Atq "$@"; }

app=""
trap '[ -n "$app" ] && kill "$app" 2>/dev/null; wait 2>/dev/null || true' EXIT

# Starts the application on database $1 (log $2), every pool very large, the monitor unreachable,
# further options ($3 ...) added.
start_app() {
  local db=$1 log=$2
  shift 2
  # shellcheck disable=SC2086 # FLOWCAST_JAVA_OPTS is a list of options, split on spaces
  (cd "$work" && FLOWCAST_DB_URL="jdbc:postgresql://localhost:5432/$db" FLOWCAST_RESOURCES_SOURCE=prometheus \
    FLOWCAST_RESOURCES_PROMETHEUS_URL=http://127.0.0.1:9 exec java ${FLOWCAST_JAVA_OPTS:-} -jar "$jar" \
    --spring.profiles.active=demo,postgres --server.port="$port" \
    --flowcast.capacity.provider=fixed --flowcast.workers.local.per-pool=1 "$@" > "$log" 2>&1) &
  app=$!
  local began=$SECONDS
  wait_for_health "$port" 300 "$log"
  echo "  started on $db in $((SECONDS - began)) s"
  large_pools "$port"
}

# Waits up to an hour until no instance runs in database $1 (the demo's steps take seconds to
# minutes), so that a run leaves only history behind.
wait_until_ended() {
  for _ in $(seq 1 360); do
    [ "$(sql "$1" -c 'select count(*) from act_ru_execution')" = 0 ] && return 0
    sleep 10
  done
  echo "history-growth-http: instances still run in $1 after an hour" >&2
}

# Cancels every instance still running, through the engine's REST API (a batch, run by the job
# executor), as an administrator would: a measured run's instances would take half an hour to end on
# one worker per pool, and would otherwise run on into the next run on that database.
cancel_running() {
  curl -fs -u demo:demo -X POST "127.0.0.1:$port/engine-rest/process-instance/delete" -H 'Content-Type: application/json' \
    -d '{"processInstanceQuery": {"rootProcessInstances": true}, "deleteReason": "the measured run is over"}' >/dev/null
}

stop_app() {
  kill "$app" 2>/dev/null || true
  wait "$app" 2>/dev/null || true
  app=""
}

# Exact row counts of the tables that grow with completed instances, one "table rows" a line.
row_counts() {
  sql "$1" -F ' ' -c "select table_name, (xpath('/row/c/text()', query_to_xml(format('select count(*) as c from %I', table_name), false, true, '')))[1]::text
    from information_schema.tables where table_schema = 'public' and table_type = 'BASE TABLE'
      and (table_name like 'act_hi_%' or table_name in ('act_ge_bytearray', 'act_ru_execution', 'act_ru_job', 'act_ru_ext_task',
        'act_ru_variable', 'flowcast_step', 'flowcast_decision', 'flowcast_reservation', 'flowcast_activity', 'flowcast_step_run'))
    order by 1"
}

composed() {  # ended and running composed (root, not queue) instances
  sql "$1" -c "select count(*) filter (where end_time_ is not null) || ' ended, ' || count(*) filter (where end_time_ is null) || ' running'
    from act_hi_procinst where id_ = root_proc_inst_id_ and proc_def_key_ like 'flowcast-%' and proc_def_key_ <> 'flowcast-queue'"
}

prepare() {
  echo "history-growth-http: preparing $small with $instances composed instances, run (application log $work/prepare.log)"
  sql "$small" -c 'set client_min_messages = warning' -c 'drop schema public cascade; create schema public'
  start_app "$small" "$work/prepare.log" --flowcast.demo.time-scale="$time_scale"
  local began
  began=$(date +%s)
  python3 bench/http-load.py --base "http://127.0.0.1:$port" --requests "$requests" --clients "$clients" \
    --rounds $(( (instances + requests - 1) / requests )) | grep '"round"' | sed 's/^/  /'
  echo "  $(composed "$small") after $(( $(date +%s) - began )) s; waiting for every instance to end"
  wait_until_ended "$small"
  echo "  $(composed "$small") after $(( $(date +%s) - began )) s"
  stop_app
  copy
}

copy() {
  sql "$small" -c 'set client_min_messages = error' -c 'vacuum analyze'
  sql postgres -c "drop database if exists $large" -c "create database $large template $small owner ${FLOWCAST_DB_USER:-flowcast}"
  echo "history-growth-http: multiplying the history of $large by $copies (copied, not run)"
  row_counts "$large" > "$work/rows-before.txt"
  local copied=$SECONDS
  sql "$large" -1 -v copies="$copies" -f bench/history-growth-copy.sql
  echo "  copied in $((SECONDS - copied)) s; vacuum analyze"
  sql "$large" -c 'set client_min_messages = error' -c 'vacuum analyze'
  row_counts "$large" > "$work/rows-after.txt"
  echo "rows per table: $small ($large before the copy) and $large"
  join "$work/rows-before.txt" "$work/rows-after.txt" | awk '{ printf "  %-24s %10d %12d\n", $1, $2, $3 }'
  echo "  composed instances: $(composed "$small") in $small, $(composed "$large") in $large"
  echo "  database sizes: $(sql postgres -c "select string_agg(datname || ' ' || pg_size_pretty(pg_database_size(datname)), ', ')
    from pg_database where datname in ('$small', '$large')")"
}

measure() {
  local results="$work/measure.txt"
  : > "$results"
  for repetition in $(seq 1 "$repetitions"); do
    for db in "$small" "$large"; do
      echo "history-growth-http: $db, repetition $repetition, composed $(composed "$db"), load $(cut -d' ' -f1-3 /proc/loadavg)"
      start_app "$db" "$work/$db-$repetition.log" --flowcast.demo.time-scale="$time_scale"
      python3 bench/http-load.py --base "http://127.0.0.1:$port" --requests "$requests" --clients "$clients" --rounds "$rounds" \
        > "$work/$db-$repetition.json"
      cancel_running
      wait_until_ended "$db"
      stop_app
      sed 's/^/  /' "$work/$db-$repetition.json"
      grep '"round"' "$work/$db-$repetition.json" | sed "s/^/$db /" >> "$results"
    done
  done
  python3 - "$results" "$small" "$large" <<'EOF'
import json, statistics, sys
results, small, large = sys.argv[1:]
rates = {small: [], large: []}
for line in open(results):
    db, row = line.split(" ", 1)
    row = json.loads(row)
    if row["round"] != 1:  # the first round of a fresh JVM is its warm-up
        rates[db].append(row["requestsPerSecond"])
for db, values in rates.items():
    print(f"{db}: requests/s of rounds 2.. {values}, median {statistics.median(values) if values else None}")
if rates[small] and rates[large]:
    print(f"large / small: {statistics.median(rates[large]) / statistics.median(rates[small]):.2f}")
EOF
}

for step in "${steps[@]}"; do
  "$step"
done
