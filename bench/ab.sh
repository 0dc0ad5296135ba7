#!/usr/bin/env bash
# A/B check of the gateway against an earlier build of itself: S2 fan-out, S3 room broadcast and
# S4 calls, the two builds alternating for ROUNDS rounds, on this machine, loopback only. Prints one
# line per run and the median of each figure; writes bench/results-ab/*.json.
#   bench/ab.sh BEFORE_APP_DIR [AFTER_APP_DIR]    (dirs holding quarkus-run.jar; AFTER defaults to
#                                                  target/quarkus-app, built with package first)
set -euo pipefail
cd "$(dirname "$0")/.."
BEFORE=${1:?usage: bench/ab.sh BEFORE_APP_DIR [AFTER_APP_DIR]}
AFTER=${2:-target/quarkus-app}
ROUNDS=${ROUNDS:-3}
USERS=1000; ROOM=1000; CALLERS=200; DURATION=10; WARMUP=20
SECRET=bench-secret
RESULTS=bench/results-ab
GATEWAY_JVM_OPTS=$(sed -n 's/^ENV GATEWAY_JVM_OPTS="\(.*\)"$/\1/p' src/main/docker/Dockerfile.jvm)
rm -rf "$RESULTS" && mkdir -p "$RESULTS"
ulimit -n 20000
[ -f bench/loadgen/target/loadgen.jar ] || ./mvnw -B -q -f bench/loadgen/pom.xml package

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

run() { # run LABEL APP_DIR SCENARIO CONNECTIONS ROUND
  local label=$1 app=$2 scenario=$3 connections=$4 round=$5 port pid
  port=$(free_port)
  WEBUI_SECRET_KEY=$SECRET java $GATEWAY_JVM_OPTS -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
    -jar "$app/quarkus-run.jar" >"$RESULTS/$label-$scenario-$round.log" 2>&1 &
  pid=$!
  for _ in $(seq 1 300); do
    curl -sf "http://127.0.0.1:$port/q/health/ready" >/dev/null 2>&1 && break
    sleep 0.1
  done
  java -Xms512m -Xmx2g -jar bench/loadgen/target/loadgen.jar "$scenario" --url "http://127.0.0.1:$port" \
    --duration-s "$DURATION" --warmup-s "$WARMUP" --server-pid "$pid" --connections "$connections" \
    --secret "$SECRET" --out "$RESULTS/$label-$scenario-$round.json" >>"$RESULTS/loadgen.log" 2>&1 \
    || echo "$label $scenario round $round failed" >&2
  kill "$pid"; wait "$pid" 2>/dev/null || true
}

for round in $(seq 1 "$ROUNDS"); do
  for label in before after; do
    app=$BEFORE; [ "$label" = after ] && app=$AFTER
    run "$label" "$app" fanout "$USERS" "$round"
    run "$label" "$app" room "$ROOM" "$round"
    run "$label" "$app" calls "$CALLERS" "$round"
  done
done

/usr/bin/python3 - "$RESULTS" "$ROUNDS" <<'PY'
import json, os, statistics, sys
results, rounds = sys.argv[1], int(sys.argv[2])
figures = [
    ("S2 fan-out delivered at saturation (msg/s)", "fanout", "saturation", "deliveriesPerSec", "value"),
    ("S2 server CPU per delivered message (us)", "fanout", "saturation", None, None),
    ("S2 emit->receive p99 at half rate (ms)", "fanout", "rate", "emitToReceive", "p99"),
    ("S3 room broadcast deliveries (msg/s)", "room", "room", "deliveriesPerSec", "value"),
    ("S3 room broadcast emit->receive p99 (ms)", "room", "room", "emitToReceive", "p99"),
    ("S4 calls (calls/s)", "calls", "calls", "callsPerSec", "value"),
]
def value(label, scenario, rnd, group, name, field):
    path = os.path.join(results, f"{label}-{scenario}-{rnd}.json")
    if not os.path.exists(path):
        return None
    metrics = json.load(open(path)).get("metrics", {}).get(group, {})
    if name is None:  # CPU per delivered message
        cpu, rate = metrics.get("serverCpu", {}).get("value"), metrics.get("deliveriesPerSec", {}).get("value")
        return cpu / 100 / rate * 1e6 if cpu and rate else None
    return metrics.get(name, {}).get(field)
print("| Figure | before (median) | after (median) | after / before | runs before | runs after |")
print("|---|---|---|---|---|---|")
for title, scenario, group, name, field in figures:
    runs = {label: [v for v in (value(label, scenario, r, group, name, field) for r in range(1, rounds + 1)) if v is not None]
            for label in ("before", "after")}
    med = {label: statistics.median(v) if v else None for label, v in runs.items()}
    ratio = f"{med['after'] / med['before']:.2f}" if med["before"] and med["after"] else "n/a"
    fmt = lambda vs: ", ".join(f"{v:,.1f}" for v in vs)
    print(f"| {title} | {med['before'] or 0:,.1f} | {med['after'] or 0:,.1f} | {ratio} | {fmt(runs['before'])} | {fmt(runs['after'])} |")
PY
