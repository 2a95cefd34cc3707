#!/usr/bin/env bash
# Soak with faults: the application (demo profile, H2 in a scratch folder, job executor on) measured
# through node_exporter and Prometheus on loopback, N users composing every intent for M minutes;
# midway Prometheus stops and starts again, the intent model in the registry is corrupted, the price
# catalog is replaced by an invalid one, and the spot pool gets an interruption notice. Prints one
# JSON object (requests by status, latency percentiles, what became of every accepted request,
# reservations left, heap, resident memory, open files and threads at start and end).
#
#   bench/soak.sh [--users 20] [--minutes 3] [--max-requests 5000] [--think 0.2]
#
# Needs Debian's prometheus and prometheus-node-exporter (installed if missing) and python3.
# Loopback only; every loop is bounded in count and time.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

for package in prometheus prometheus-node-exporter; do
  command -v "$package" >/dev/null 2>&1 || missing="${missing:-} $package"
done
if [ -n "${missing:-}" ]; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
jar=$(ls target/flowcast-*.jar 2>/dev/null | grep -v original | head -1 || true)
[ -n "$jar" ] || { mvn -B -ntp -q -DskipTests package; jar=$(ls target/flowcast-*.jar | grep -v original | head -1); }
h2=$(find ~/.m2/repository/com/h2database/h2 -name 'h2-*.jar' | sort -V | tail -1)

# shellcheck source=bench/running-app.sh
source bench/running-app.sh
work=$(mktemp -d /tmp/flowcast-soak.XXXXXX)
app_port=$(free_port); exporter_port=$(free_port); prometheus_port=$(free_port)
cp -r task-components "$work/"
mkdir -p "$work/config" && cp src/main/resources/config/prices.yml "$work/config/prices.yml"
cat > "$work/prometheus.yml" <<YAML
global:
  scrape_interval: 2s
scrape_configs:
  - job_name: node
    static_configs:
      - targets: ['127.0.0.1:$exporter_port']
YAML

pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  [ -f "$work/prometheus.pid" ] && kill "$(cat "$work/prometheus.pid")" 2>/dev/null || true
}
trap cleanup EXIT

prometheus-node-exporter --web.listen-address="127.0.0.1:$exporter_port" > "$work/node-exporter.log" 2>&1 &
pids+=($!)
# by process id: a pattern would also match the driver, whose arguments name these commands
start_prometheus="cd $work && { nohup prometheus --config.file=$work/prometheus.yml --storage.tsdb.path=$work/tsdb --web.listen-address=127.0.0.1:$prometheus_port >> $work/prometheus.log 2>&1 & echo \$! > $work/prometheus.pid; }"
stop_prometheus="kill \$(cat $work/prometheus.pid)"
bash -c "$start_prometheus"

# the pools at the catalog's capacity, one worker per pool, as docs/BENCHMARKS.md measured it
(cd "$work" && exec java -jar "$root/$jar" --spring.profiles.active=demo --server.port="$app_port" \
  --flowcast.resources.source=prometheus --flowcast.resources.prometheus.url="http://127.0.0.1:$prometheus_port" \
  --flowcast.demo.time-scale=0.1 --flowcast.queue.retry-interval=PT5S \
  --flowcast.capacity.provider=fixed --flowcast.workers.local.per-pool=1 > "$work/app.log" 2>&1) &
app=$!
pids+=($app)
wait_for_health "$app_port" 120 "$work/app.log"
app_pid=$(pgrep -f -- "--server.port=$app_port" | head -1)
echo "soak: app on port $app_port (pid $app_pid), work folder $work" >&2

python3 bench/soak.py --base "http://127.0.0.1:$app_port" --app-pid "$app_pid" --workdir "$work" --h2-jar "$h2" \
  --prometheus-stop "$stop_prometheus" --prometheus-start "$start_prometheus" "$@"
