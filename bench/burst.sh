#!/usr/bin/env bash
# A recorded burst against the running demo, once per planner (predictive, then reactive): the
# same requests at the same offsets, preceded by the same users' sessions, on pools of local worker
# processes that the planner starts and stops (provider local-workers, their real start-up time).
#
# The burst is a window of the help-desk log (simulate --export-workload: WINDOW, REQUESTS,
# SPEEDUP), each case one user. Its earlier events, their gaps divided by the speedup like the
# burst's, end just before the burst: they are imported with `import` and the intent model is
# trained on them with `train`, before the application starts, as a team would bring its history.
# Then the application starts (demo profile, H2 in a file, job executor on, the price catalog
# bench/burst-prices.yml), the requests are sent over HTTP at their offsets, the pools are polled
# every 2 s, and bench/burst.py reports per planner: requests within their deadline, vCPU-seconds
# provisioned, and when the planner asked for more units relative to the first request.
#
# Usage: bench/burst.sh [OUT_DIR]     (settings: WINDOW, REQUESTS, SPEEDUP, PLANNERS, LEAD_IN)
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
out="${1:-$(mktemp -d /tmp/flowcast-burst.XXXXXX)}"
window="${WINDOW:-0.4}"
requests="${REQUESTS:-40}"
speedup="${SPEEDUP:-1200}"
planners="${PLANNERS:-predictive reactive}"
# seconds from the import to the first request: import, training and the application's start fit in it
lead_in="${LEAD_IN:-300}"
mkdir -p "$out"
jar=$(ls target/flowcast-*.jar 2>/dev/null | grep -v original | head -1 || true)
[ -n "$jar" ] || { mvn -B -ntp -q -DskipTests package; jar=$(ls target/flowcast-*.jar | grep -v original | head -1); }
cp "$jar" "$out/flowcast.jar"
java -jar "$out/flowcast.jar" simulate --export-workload "$out/workload" --window-start "$window" \
  --requests "$requests" --speedup "$speedup" 2>"$out/export.log" >"$out/workload.json"
# shellcheck source=bench/running-app.sh
source bench/running-app.sh
app=""
trap '[ -n "$app" ] && kill "$app" 2>/dev/null; wait 2>/dev/null || true' EXIT
results=()
for planner in $planners; do
  work="$out/$planner"
  rm -rf "$work"; mkdir -p "$work"
  t0=$(date -u -d "+$lead_in seconds" +%Y-%m-%dT%H:%M:%SZ)
  python3 bench/burst.py history "$out/workload" "$t0" "$work/history.csv"
  settings=(--spring.profiles.active=demo --flowcast.resources.prices="file:$root/bench/burst-prices.yml")
  echo "$(date -u +%H:%M:%S) $planner: import and train" >&2
  (cd "$work" && java -jar "$out/flowcast.jar" import --log history.csv --case-column case \
    --activity-column action --time-column time --time-format iso --user-column user > import.log 2>&1)
  (cd "$work" && java -jar "$out/flowcast.jar" train --training-window P30D > train.log 2>&1)
  port=$(free_port)
  echo "$(date -u +%H:%M:%S) $planner: the application on port $port; the first request at $t0" >&2
  (cd "$work" && exec java -jar "$out/flowcast.jar" "${settings[@]}" --server.port="$port" \
    --flowcast.capacity.provider=local-workers --flowcast.capacity.planner="$planner" > app.log 2>&1) &
  app=$!
  wait_for_health "$port" 180 "$work/app.log"
  python3 bench/burst.py run --base "http://127.0.0.1:$port" --workload "$out/workload" --t0 "$t0" \
    --planner "$planner" --out "$work/result.json"
  kill "$app"; wait "$app" 2>/dev/null || true; app=""
  results+=("$work/result.json")
done
echo
echo "burst: window $window of the help-desk log, $requests requests, gaps / $speedup ($(cat "$out/workload.json"))"
python3 bench/burst.py compare "${results[@]}"
