#!/usr/bin/env bash
# Runs every benchmark scenario against the gateway, Node socket.io and python-socketio on this
# machine, one server at a time, and writes BENCHMARKS.md. Loopback only; every step is bounded.
#   bench/run.sh            full sizes (about 25 minutes on 2 cores)
#   BENCH_SIZE=smoke bench/run.sh   tiny sizes, to check the harness (about 7 minutes)
# The chat-task (S7, S8) and long-polling (S9-S11) scenarios are bench/tasks.sh and
# bench/polling.sh, which run here too and can run alone.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RESULTS="$ROOT/bench/results"
LOGS="$RESULTS/logs"
rm -rf "$RESULTS" && mkdir -p "$LOGS"

if [ "${BENCH_SIZE:-full}" = smoke ]; then
  CONNECTIONS=300; USERS=100; ROOM=100; CALLERS=50; DURATION=3; WARMUP=2
else
  CONNECTIONS=10000; USERS=1000; ROOM=1000; CALLERS=200; DURATION=10; WARMUP=10
fi
SECRET=bench-secret
# The gateway runs with the JVM flags of its container image (one place: the Dockerfile).
GATEWAY_JVM_OPTS=$(sed -n 's/^ENV GATEWAY_JVM_OPTS="\(.*\)"$/\1/p' src/main/docker/Dockerfile.jvm)
ulimit -n 20000

source "$ROOT/bench/lib.sh"

established() {
  ss -Htn state established "( sport = :$1 )" 2>/dev/null | wc -l
}

# S1: connections/s, then RSS (and JVM heap) per idle connection, measured while the load
# generator holds every connection open. Every server first serves and closes a tenth of the
# connections, so that code paths loaded or compiled once are not counted per connection.
scenario_connect() {
  local kind=$1 port pid before heap_before after heap_after gen
  port=$(free_port); pid=$(start_server "$kind" "$port"); wait_ready "$kind" "$port" >/dev/null
  loadgen connect --url "http://127.0.0.1:$port" --connections $((CONNECTIONS / 10)) --hold-s 1 \
    --local-addresses 127.0.0.4 --out "$RESULTS/$kind-connect-warmup.json" >"$LOGS/loadgen-$kind-connect-warmup.log" 2>&1 \
    || log "$kind connect warm-up failed"
  sleep 3
  # A full GC, then time for G1 to give the freed heap back (it uncommits in the background).
  if [[ $kind == gateway* ]]; then jcmd "$pid" GC.run >/dev/null 2>&1 || true; sleep 3; fi
  before=$(rss_kb "$pid"); heap_before=$(heap_kb "$kind" "$pid")
  # Two generator processes: one process stays under 9,000 connections (20,000 fds).
  local half=$((CONNECTIONS / 2)) gens=()
  for i in 0 1; do
    loadgen connect --url "http://127.0.0.1:$port" --connections "$half" --user-offset $((i * half)) \
      --hold-s 20 --local-addresses "127.0.0.$((2 + i))" --server-pid "$pid" \
      --out "$RESULTS/$kind-connect-$i.json" >"$LOGS/loadgen-$kind-connect-$i.log" 2>&1 &
    gens+=($!)
  done
  gen=${gens[0]}
  for _ in $(seq 1 600); do
    [ "$(established "$port")" -ge "$CONNECTIONS" ] && break
    kill -0 "$gen" 2>/dev/null || break
    sleep 0.5
  done
  sleep 3
  # A full GC, then time for G1 to give the freed heap back (it uncommits in the background).
  if [[ $kind == gateway* ]]; then jcmd "$pid" GC.run >/dev/null 2>&1 || true; sleep 3; fi
  after=$(rss_kb "$pid"); heap_after=$(heap_kb "$kind" "$pid")
  for g in "${gens[@]}"; do wait "$g" || true; done
  printf '{"server":"%s","connections":%s,"rss_before_kb":%s,"rss_after_kb":%s,"heap_before_kb":%s,"heap_after_kb":%s}\n' \
    "$kind" "$CONNECTIONS" "$before" "$after" "${heap_before:-null}" "${heap_after:-null}" >"$RESULTS/$kind-memory.json"
  stop_pid "$pid"
}

heap_kb() {
  if [[ $1 == gateway* ]]; then
    jcmd "$2" GC.heap_info 2>/dev/null | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {gsub("K","",$(i+1)); print $(i+1); exit}}'
  fi
}

scenario_load() {
  local kind=$1 scenario=$2 port pid
  shift 2
  port=$(free_port); pid=$(start_server "$kind" "$port"); wait_ready "$kind" "$port" >/dev/null
  loadgen "$scenario" --url "http://127.0.0.1:$port" --duration-s "$DURATION" --warmup-s "$WARMUP" \
    --server-pid "$pid" "$@" \
    --out "$RESULTS/$kind-$scenario.json" >"$LOGS/loadgen-$kind-$scenario.log" 2>&1 || log "$kind $scenario failed"
  stop_pid "$pid"
}

# S5: two replicas of the same server on one redis-server; clients on one, emits on the other.
scenario_cross() {
  local kind=$1 redis_port a b pa pb
  redis_port=$(free_port)
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
    --dir "$RESULTS" --daemonize yes --logfile "$LOGS/redis-$kind.log"
  a=$(free_port); b=$(free_port)
  pa=$(start_server "$kind" "$a" "redis://127.0.0.1:$redis_port")
  pb=$(start_server "$kind" "$b" "redis://127.0.0.1:$redis_port")
  wait_ready "$kind" "$a" >/dev/null; wait_ready "$kind" "$b" >/dev/null
  loadgen cross --url "http://127.0.0.1:$a" --emit-url "http://127.0.0.1:$b" --connections "$USERS" \
    --duration-s "$DURATION" --warmup-s "$WARMUP" --out "$RESULTS/$kind-cross.json" >"$LOGS/loadgen-$kind-cross.log" 2>&1 \
    || log "$kind cross failed"
  stop_pid "$pa"; stop_pid "$pb"
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
}

# S6: launch to ready, and idle RSS, three times each.
scenario_start() {
  local kind=$1 port pid ms rss runs=()
  for _ in 1 2 3; do
    port=$(free_port); pid=$(start_server "$kind" "$port")
    ms=$(wait_ready "$kind" "$port"); sleep 2; rss=$(rss_kb "$pid")
    runs+=("{\"ready_ms\":$ms,\"idle_rss_kb\":$rss}")
    stop_pid "$pid"
  done
  local IFS=,
  printf '{"server":"%s","runs":[%s]}\n' "$kind" "${runs[*]}" >"$RESULTS/$kind-start.json"
}

train_aot_cache() {
  local port pid
  port=$(free_port)
  env WEBUI_SECRET_KEY=$SECRET "$JDK25/bin/java" $GATEWAY_JVM_OPTS -XX:AOTCacheOutput="$RESULTS/gateway.aot" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" -jar target/quarkus-app/quarkus-run.jar \
    >"$LOGS/aot-training.log" 2>&1 &
  pid=$!
  wait_ready gateway "$port" >/dev/null
  loadgen connect --url "http://127.0.0.1:$port" --connections 200 --hold-s 1 --out /dev/null >/dev/null 2>&1 || true
  stop_pid "$pid"
}

ensure_tools
build
SERVERS=(gateway node python)
for kind in "${SERVERS[@]}"; do
  log "S1 connect: $kind"; scenario_connect "$kind"
  log "S2 fan-out: $kind"; scenario_load "$kind" fanout --connections "$USERS"
  log "S3 room: $kind"; scenario_load "$kind" room --connections "$ROOM"
  log "S4 calls: $kind"; scenario_load "$kind" calls --connections "$CALLERS"
  log "S5 cross-replica: $kind"; scenario_cross "$kind"
  log "S6 start: $kind"; scenario_start "$kind"
done
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
if [ -x "$JDK25/bin/java" ]; then
  log "S6 start: gateway on JDK 25 with an AOT cache"
  train_aot_cache
  scenario_start gateway25
fi
log "S7, S8 chat tasks: gateway"
BENCH_SKIP_BUILD=1 bench/tasks.sh
log "S9, S10, S11 long-polling: gateway, node, python"
BENCH_SKIP_BUILD=1 bench/polling.sh
BENCH_SIZE=${BENCH_SIZE:-full} /usr/bin/python3 bench/report.py "$RESULTS" >BENCHMARKS.md
log "wrote BENCHMARKS.md"
