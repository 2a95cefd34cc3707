# Sourced by the bench scripts that start the application and talk to it over HTTP.

# A free port on loopback.
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }

# Waits up to SECONDS for the application on PORT to answer its health check; stops the script,
# naming the log, when it does not. Usage: wait_for_health PORT SECONDS LOG
wait_for_health() {
  local port=$1 seconds=$2 log=$3
  for _ in $(seq 1 "$seconds"); do
    curl -fs "127.0.0.1:$port/actuator/health" >/dev/null 2>&1 && return 0
    sleep 1
  done
  curl -fs "127.0.0.1:$port/actuator/health" >/dev/null || { echo "the application did not start; see $log" >&2; exit 1; }
}

# Makes every pool of the application on PORT very large through the admin API (user demo), so that
# no request waits for capacity. Usage: large_pools PORT
large_pools() {
  local port=$1 pool
  for pool in $(curl -fs -u demo:demo "127.0.0.1:$port/flowcast/api/admin/pools" | python3 -c 'import json,sys; print(" ".join(json.load(sys.stdin)))'); do
    curl -fs -u demo:demo -X PUT "127.0.0.1:$port/flowcast/api/admin/pools/$pool" -H 'Content-Type: application/json' \
      -d '{"vcpu": 100000, "memoryMb": 1000000000, "networkMbps": 1000000, "diskIops": 1000000, "pricePerVcpuHour": 0.04, "pricePerGbHour": 0.004, "interruptionRatePerHour": 0}' >/dev/null
  done
}
