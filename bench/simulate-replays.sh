#!/usr/bin/env bash
# The strategies of `simulate` on elastic pools, on many replays: windows of the help-desk log
# (where the replayed events begin, as a share of the log) times seeds, at the default density
# (the log's gaps / 300) and at four times it (/ 1200), lead times 90 s on-demand and 3 min spot.
# Every replay runs static-peak, static-mean, a grid of reactive-autoscale (target utilization x
# cool-down), a grid of flowcast (target utilization), the ablations flowcast-without-arrivals and
# flowcast-series-only and the oracle (all three at flowcast's first target utilization). The pools
# and their planners run WARM_UP (default 5 minutes) before the first request. Then bench/simulate-elastic.py prints every goal, met or
# missed, with its figures and a Wilcoxon signed-rank test over the replays.
# Usage: bench/simulate-replays.sh [OUT_DIR]
# Settings (environment): WINDOWS, SEEDS, SPEEDUPS, REQUESTS, PARALLEL (replays at once),
#   REACTIVE_U, REACTIVE_C (the reactive grid), FLOWCAST_U (flowcast's grid), LEAD_TIMES, WARM_UP,
#   OVERFLOW (the predictive planner's --overflow: none, the default, or spill; decision 0040),
#   SCALE_IN_HOLD (its --scale-in-hold: scale-in-delay, the default, or lead-time; decision 0043),
#   STRATEGIES (default all seven; fewer when the others' code is unchanged since an earlier run whose
#   reports are then merged in: their replays are seeded, so they give the same figures again).
# To add settings to an earlier run (say, other cool-downs of the reactive rule), run only those into a
# folder of their own and merge: STRATEGIES=reactive-autoscale REACTIVE_C=PT1M bench/simulate-replays.sh
# /tmp/more; python3 bench/simulate-elastic.py /tmp/earlier /tmp/more (later folders add strategies).
# The figures do not depend on the machine's speed (the replay's clock is the engine's).
set -euo pipefail
cd "$(dirname "$0")/.."
out="${1:-$(mktemp -d)}"
windows="${WINDOWS:-0.4 0.5 0.6 0.667 0.75 0.85}"
seeds="${SEEDS:-42 43}"
speedups="${SPEEDUPS:-300 1200}"
requests="${REQUESTS:-400}"
parallel="${PARALLEL:-1}"
reactive_u="${REACTIVE_U:-0.8,0.5,1.0,0.3,0.2}"
reactive_c="${REACTIVE_C:-PT5M,PT1M}"
flowcast_u="${FLOWCAST_U:-0.8,0.5,1.0}"
lead_times="${LEAD_TIMES:-on-demand=PT90S,spot=PT3M}"
warm_up="${WARM_UP:-PT5M}"
overflow="${OVERFLOW:-none}"
scale_in_hold="${SCALE_IN_HOLD:-scale-in-delay}"
strategies="${STRATEGIES:-static-peak,static-mean,reactive-autoscale,flowcast,flowcast-without-arrivals,flowcast-series-only,oracle}"
log="${LOG:-datasets/eventlogs/helpdesk.csv}"
series="${SERIES:-datasets/timeseries/rds_cpu_utilization_cc0c53.csv}"
[ -f target/flowcast-0.1.0-SNAPSHOT.jar ] || mvn -B -ntp -q -DskipTests package
mkdir -p "$out"
# a copy, so that a build during the run does not pull the jar from under it
cp target/flowcast-0.1.0-SNAPSHOT.jar "$out/flowcast.jar"
replays=()
for seed in $seeds; do
  for window in $windows; do
    for speedup in $speedups; do
      replays+=("$speedup $window $seed")
    done
  done
done
run_one() {
  read -r speedup window seed <<<"$1"
  name="d$speedup-w$window-s$seed"
  [ -s "$out/$name.json" ] && return 0
  # exit code 1: the report is complete but some requests never completed (the table counts them as lost)
  status=0
  java -jar "$out/flowcast.jar" simulate --json --pools elastic --log "$log" --series "$series" \
      --strategies "$strategies" \
      --lead-time "$lead_times" --warm-up "$warm_up" --overflow "$overflow" \
      --scale-in-hold "$scale_in_hold" --reactive-target-utilization "$reactive_u" --reactive-cooldown "$reactive_c" \
      --target-utilization "$flowcast_u" --requests "$requests" --speedup "$speedup" --window-start "$window" \
      --seed "$seed" 2>"$out/$name.err" >"$out/$name.part" || status=$?
  if [ "$status" -le 1 ] && [ -s "$out/$name.part" ]; then
    mv "$out/$name.part" "$out/$name.json"
    echo "$(date -u +%H:%M:%S) replay $name done"
  else
    echo "$(date -u +%H:%M:%S) replay $name FAILED (exit $status): see $out/$name.err"
  fi
}
export -f run_one
export out log series lead_times warm_up overflow scale_in_hold reactive_u reactive_c flowcast_u requests strategies
printf '%s\n' "${replays[@]}" | xargs -P "$parallel" -I{} bash -c 'run_one "$@"' _ {}
python3 bench/simulate-elastic.py "$out"
