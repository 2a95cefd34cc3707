#!/usr/bin/env bash
# The strategies of `simulate` on many replays instead of one: six windows of the help-desk log
# (where the replayed events begin, as a share of the log) times two seeds, at one density.
# Prints a line per replay (SLA misses and cost per strategy), then the sums and the paired
# differences of flowcast against reactive.
# Usage: bench/simulate-fixed-replays.sh [SPEEDUP] [STRATEGIES]
#   SPEEDUP     the log's gaps divided by this (default 300, the default replay's; 1200 = 4x denser)
#   STRATEGIES  comma-separated (default reactive,flowcast,oracle)
# A replay takes about a minute per three strategies on 2 cores; the figures do not depend on the
# machine's speed (the replay's clock is the engine's, set by the replay).
set -euo pipefail
cd "$(dirname "$0")/.."
speedup="${1:-300}"
strategies="${2:-reactive,flowcast,oracle}"
[ -f target/flowcast-0.1.0-SNAPSHOT.jar ] || mvn -B -ntp -q -DskipTests package
out="$(mktemp -d)"
for window in 0.4 0.5 0.6 0.667 0.75 0.85; do
  for seed in 42 43; do
    java -jar target/flowcast-0.1.0-SNAPSHOT.jar simulate --json --no-ablation --strategies "$strategies" \
      --speedup "$speedup" --window-start "$window" --seed "$seed" 2>/dev/null > "$out/$window-$seed.json"
    python3 - "$out/$window-$seed.json" "$window" "$seed" <<'EOF'
import json, sys
report = json.load(open(sys.argv[1]))["strategies"]
print(f"window {sys.argv[2]} seed {sys.argv[3]}:", "  ".join(
    f"{name} {s['slaMisses']} misses {s['cost']:.4f} USD" for name, s in report.items()), flush=True)
EOF
  done
done
python3 - "$out" <<'EOF'
import glob, json, math, sys
runs = [json.load(open(f))["strategies"] for f in sorted(glob.glob(sys.argv[1] + "/*.json"))]
for name in runs[0]:
    print(f"{name}: {sum(r[name]['slaMisses'] for r in runs)} misses, "
          f"{sum(r[name]['cost'] for r in runs):.4f} USD over {len(runs)} replays")
if "flowcast" in runs[0] and "reactive" in runs[0]:
    d = [r["flowcast"]["slaMisses"] - r["reactive"]["slaMisses"] for r in runs]
    mean = sum(d) / len(d)
    sd = math.sqrt(sum((x - mean) ** 2 for x in d) / (len(d) - 1))
    t = mean / (sd / math.sqrt(len(d))) if sd > 0 else float("nan")
    print(f"flowcast - reactive, misses per replay: {d}; mean {mean:+.2f}, paired t {t:+.2f}")
EOF
rm -rf "$out"
