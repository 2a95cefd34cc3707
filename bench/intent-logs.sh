#!/usr/bin/env bash
# Next-action prediction on public event logs (Tax et al. 2017 protocol), one evaluate run per
# log, with the machine's load beside each. Usage: bench/intent-logs.sh LOG.csv [LOG.csv ...]
# The logs are the CSV files of verenich/ProcessSequencePrediction (data/, commit 9f51f9a):
# helpdesk.csv, bpi_12_w.csv, bpi_12_w_no_repeat.csv, bpi_13_incidents.csv, env_permit.csv.
set -euo pipefail
cd "$(dirname "$0")/.."
mvn -B -ntp -q -DskipTests package
for log in "${@:-datasets/eventlogs/helpdesk.csv}"; do
  echo "== $log; $(nproc) cores; load: $(uptime | sed 's/.*load average: //')"
  # H: some of these logs write hours without a leading zero
  java -jar target/flowcast-0.1.0-SNAPSHOT.jar evaluate --log "$log" --time-format 'yyyy-MM-dd H:mm:ss' 2>/dev/null
done
