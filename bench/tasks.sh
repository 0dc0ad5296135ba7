#!/usr/bin/env bash
# Chat-task benchmarks of the gateway (there is no peer: Node socket.io and python-socketio have no
# tasks); writes bench/tasks.md and puts it into BENCHMARKS.md. Loopback only; every step bounded.
#   S7  2,000 concurrent completion tasks on one replica, each streaming 100 chunks at 20/s from a
#       fake model server: every chunk delivered in order? CPU per delivered chunk.
#   S8  200 concurrent streaming tasks on replica A; each stopped through replica B: stop request
#       to the model server seeing its stream closed, and to the tab's chat:tasks:cancel.
#   S12 WebSocket compression: 300 replies streamed in real time, in both formats
#       (GATEWAY_COMPLETION_STREAM snapshot and delta), with UVICORN_WS_PER_MESSAGE_DEFLATE true and
#       false, to clients that offer permessage-deflate as browsers do: bytes on the wire (the
#       kernel's TCP count of the client sockets) and gateway CPU per reply.
#   bench/tasks.sh                  full sizes (about 3 minutes)
#   BENCH_SIZE=smoke bench/tasks.sh tiny sizes, to check the harness
#   BENCH_SCENARIOS="S12" bench/tasks.sh   only some of S7 S8 S12 (bench/lib.sh); a smoke or
#                                   filtered run writes bench/results-tasks/tasks.md only
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RESULTS="$ROOT/bench/results-tasks"
LOGS="$RESULTS/logs"
rm -rf "$RESULTS" && mkdir -p "$LOGS"
SECRET=bench-secret
GATEWAY_JVM_OPTS=$(sed -n 's/^ENV GATEWAY_JVM_OPTS="\(.*\)"$/\1/p' src/main/docker/Dockerfile.jvm)
ulimit -n 20000
source "$ROOT/bench/lib.sh"

check_filters

if [ "${BENCH_SIZE:-full}" = smoke ]; then
  TASKS=50; REALTIME_TASKS=20; STOPS=20; COMPRESSION_TASKS=20
else
  TASKS=2000; REALTIME_TASKS=300; STOPS=200; COMPRESSION_TASKS=300
fi

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  log "building the gateway and the load generator"
  ./mvnw -B -q package -DskipTests
  ./mvnw -B -q -f bench/loadgen/pom.xml package
fi

# S7: one replica in memory mode; NAME TASKS [VAR=VALUE... --] [loadgen options...]
scenario_tasks() {
  local name=$1 tasks=$2 upstream port pid env=()
  shift 2
  while [ $# -gt 0 ] && [ "$1" != -- ]; do env+=("$1"); shift; done
  [ $# -gt 0 ] && shift
  upstream=$(free_port); port=$(free_port)
  pid=$(start_server gateway "$port" "" OPENAI_API_BASE_URL="http://127.0.0.1:$upstream/v1" "${env[@]}")
  wait_ready gateway "$port" >/dev/null
  log "$name: $tasks concurrent tasks, 100 chunks at 20/s each ${env[*]}"
  loadgen tasks --url "http://127.0.0.1:$port" --upstream-port "$upstream" --connections "$tasks" \
    --tokens 100 --token-rate 20 --server-pid "$pid" --warmup-s 1 "$@" \
    --out "$RESULTS/gateway-$name.json" >"$LOGS/loadgen-$name.log" 2>&1 || log "$name failed"
  stop_pid "$pid"
}
if selected S7; then
  scenario_tasks tasks "$TASKS"
  scenario_tasks tasks-realtime "$REALTIME_TASKS"
fi

# S12: the clients offer permessage-deflate; the gateway takes it or not.
if selected S12; then
  for stream in snapshot delta; do
    for deflate in true false; do
      scenario_tasks "compression-$stream-$deflate" "$COMPRESSION_TASKS" \
        GATEWAY_COMPLETION_STREAM=$stream UVICORN_WS_PER_MESSAGE_DEFLATE=$deflate -- --compression deflate
    done
  done
fi

# S8: two replicas on one redis-server, one key prefix.
if selected S8; then
  redis_port=$(free_port)
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
    --dir "$RESULTS" --daemonize yes --logfile "$LOGS/redis.log"
  upstream=$(free_port); a=$(free_port); b=$(free_port)
  shared=(OPENAI_API_BASE_URL="http://127.0.0.1:$upstream/v1" REDIS_KEY_PREFIX=bench-tasks)
  pa=$(start_server gateway "$a" "redis://127.0.0.1:$redis_port" "${shared[@]}")
  pb=$(start_server gateway "$b" "redis://127.0.0.1:$redis_port" "${shared[@]}")
  wait_ready gateway "$a" >/dev/null; wait_ready gateway "$b" >/dev/null
  log "S8 stop: $STOPS streaming tasks on A, stopped through B"
  loadgen stop --url "http://127.0.0.1:$a" --emit-url "http://127.0.0.1:$b" --upstream-port "$upstream" \
    --connections "$STOPS" --tokens 100000 --token-rate 20 --stop-interval-ms 20 --server-pid "$pa" \
    --warmup-s 0 --out "$RESULTS/gateway-stop.json" >"$LOGS/loadgen-stop.log" 2>&1 || log "S8 failed"
  stop_pid "$pa"; stop_pid "$pb"
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
fi

if partial_run; then
  BENCH_SIZE=${BENCH_SIZE:-full} /usr/bin/python3 bench/report_tasks.py report "$RESULTS" >"$RESULTS/tasks.md"
  log "wrote bench/results-tasks/tasks.md (a smoke or filtered run leaves bench/tasks.md alone)"
else
  BENCH_SIZE=${BENCH_SIZE:-full} /usr/bin/python3 bench/report_tasks.py report "$RESULTS" >bench/tasks.md
  /usr/bin/python3 bench/report_tasks.py splice BENCHMARKS.md bench/tasks.md
  log "wrote bench/tasks.md and its section of BENCHMARKS.md"
fi
