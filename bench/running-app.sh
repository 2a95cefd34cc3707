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
