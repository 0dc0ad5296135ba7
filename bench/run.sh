#!/usr/bin/env bash
# Runs every benchmark scenario against the gateway, Node socket.io and python-socketio (and S0's
# bare Vert.x server) on this machine, one server at a time, and writes BENCHMARKS.md. Loopback
# only; every step is bounded.
#   bench/run.sh                      full sizes, about 50 minutes on 2 cores: three rounds of S0,
#                                     S2-S5, S2b and S5py (20 s warm-up and 8 s per measured phase)
#                                     about 12 minutes each, S1 and S6 once (5 minutes), the chat
#                                     tasks (3) and long-polling (6) scripts, the builds
#   BENCH_SIZE=smoke bench/run.sh     tiny sizes, to check the harness (about 20 minutes on a quiet
#                                     machine; BENCH_RUNS=1 saves two thirds of the rounds)
#   BENCH_SCENARIOS="S2 S5" BENCH_SERVERS="gateway node" BENCH_RUNS=1 bench/run.sh
#                                     only some scenarios / servers / runs (bench/lib.sh lists the
#                                     names); such a run, like a smoke run, writes its report to
#                                     bench/results/BENCHMARKS.md and leaves BENCHMARKS.md alone
# Scenarios:
#   S0    bare Vert.x WebSocket server (bench/peers/vertx): S2 and S3 against it, the limit
#   S1    connections/s and memory per idle connection (once; memory sampled three times)
#   S2    fan-out: one emit per user, saturation and latency at half of it
#   S2b   S2 against the gateway with 20 emits per HTTP request (the batch emit API)
#   S3    room broadcast: saturation, then the same 20 broadcasts/s for every server
#   S4    server-to-browser calls
#   S5    cross-replica fan-out over Redis, each server with its own adapter
#   S5py  python-socketio's JSON manager messages published to Redis (Open WebUI's backend),
#         delivered by a gateway replica
#   S6    launch to ready and idle RSS (three launches), and the gateway again with the AppCDS
#         archive its container image makes (Java 17) and with an AOT cache (JDK 25, if installed)
# S0, S2-S5, S2b and S5py run BENCH_RUNS times (default 3), the servers taking turns within each
# round, so each figure is a median with its spread and each ratio the median of same-round ratios.
# The chat-task (S7, S8, S12) and long-polling (S9-S11) scenarios are bench/tasks.sh and
# bench/polling.sh, which run here too and can run alone.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RESULTS="$ROOT/bench/results"
LOGS="$RESULTS/logs"
rm -rf "$RESULTS" && mkdir -p "$LOGS"
# a partial run's report must not pick up the sections of an earlier run
rm -f bench/results-tasks/tasks.md bench/results-polling/polling.md

if [ "${BENCH_SIZE:-full}" = smoke ]; then
  CONNECTIONS=300; USERS=100; ROOM=100; CALLERS=50; DURATION=3; WARMUP=2; CHATS=20
else
  # 20 s of warm-up: on a 2-core machine the JVMs' JIT compilers (the gateway's and the load
  # generator's) still took a third of the CPU 8 s into a scenario, and settled after about 16 s
  # (profiling log 14).
  CONNECTIONS=10000; USERS=1000; ROOM=1000; CALLERS=200; DURATION=8; WARMUP=20; CHATS=200
fi
# S5py: Open WebUI emits one event per streamed chunk (CHAT_RESPONSE_STREAM_DELTA_CHUNK_SIZE=1):
# CHATS concurrent replies at 20 chunks/s each.
CHUNK_RATE=20
# S3 and S0 room: after saturation, the same broadcasts per second for every server (20,000
# deliveries/s at full size), below the saturation of all three peers but python-socketio's.
ROOM_RATE=20
BATCH=20
RUNS=${BENCH_RUNS:-3}
SECRET=bench-secret
# The gateway runs with the JVM flags of its container image (one place: the Dockerfile).
GATEWAY_JVM_OPTS=$(sed -n 's/^ENV GATEWAY_JVM_OPTS="\(.*\)"$/\1/p' src/main/docker/Dockerfile.jvm)
ulimit -n 20000

source "$ROOT/bench/lib.sh"
check_filters
read -r -a SERVERS <<<"$(servers)"

established() {
  ss -Htn state established "( sport = :$1 )" 2>/dev/null | wc -l
}

heap_kb() {
  if [[ $1 == gateway* ]]; then
    jcmd "$2" GC.heap_info 2>/dev/null | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {gsub("K","",$(i+1)); print $(i+1); exit}}'
  fi
}

# A full GC, then time for G1 to give the freed heap back (it uncommits in the background).
settle() {
  if [[ $1 == gateway* ]]; then jcmd "$2" GC.run >/dev/null 2>&1 || true; sleep 3; else sleep 1; fi
}

median() { printf '%s\n' "$@" | sort -n | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

# S1: connections/s, then RSS (and JVM heap) per idle connection, measured while the load
# generator holds every connection open. Every server first serves and closes a tenth of the
# connections, so that code paths loaded or compiled once are not counted per connection. Memory
# is read three times during the hold; the median counts, the samples are kept.
scenario_connect() {
  local kind=$1 port pid before heap_before gen rss=() heap=()
  port=$(free_port); pid=$(start_server "$kind" "$port"); wait_ready "$kind" "$port" >/dev/null
  loadgen connect --url "http://127.0.0.1:$port" --connections $((CONNECTIONS / 10)) --hold-s 1 \
    --local-addresses 127.0.0.4 --out "$RESULTS/$kind-connect-warmup.json" >"$LOGS/loadgen-$kind-connect-warmup.log" 2>&1 \
    || log "$kind connect warm-up failed"
  sleep 3
  settle "$kind" "$pid"
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
  sleep 2
  for _ in 1 2 3; do
    settle "$kind" "$pid"
    rss+=("$(rss_kb "$pid")"); heap+=("$(heap_kb "$kind" "$pid")")
  done
  for g in "${gens[@]}"; do wait "$g" || true; done
  local heap_after=null heap_samples=null IFS=,
  if [ -n "${heap[0]}" ]; then heap_after=$(median "${heap[@]}"); heap_samples="[${heap[*]}]"; fi
  printf '{"server":"%s","connections":%s,"rss_before_kb":%s,"rss_after_kb":%s,"rss_after_samples_kb":[%s],"heap_before_kb":%s,"heap_after_kb":%s,"heap_after_samples_kb":%s}\n' \
    "$kind" "$CONNECTIONS" "$before" "$(median "${rss[@]}")" "${rss[*]}" "${heap_before:-null}" \
    "$heap_after" "$heap_samples" >"$RESULTS/$kind-memory.json"
  stop_pid "$pid"
}

# scenario_load KIND SCENARIO NAME [loadgen options...]: one run, results in KIND-NAME.json
scenario_load() {
  local kind=$1 scenario=$2 name=$3 port pid
  shift 3
  port=$(free_port); pid=$(start_server "$kind" "$port"); wait_ready "$kind" "$port" >/dev/null
  loadgen "$scenario" --url "http://127.0.0.1:$port" --duration-s "$DURATION" --warmup-s "$WARMUP" \
    --server-pid "$pid" "$@" \
    --out "$RESULTS/$kind-$name.json" >"$LOGS/loadgen-$kind-$name.log" 2>&1 || log "$kind $name failed"
  stop_pid "$pid"
}

start_redis() {
  local port
  port=$(free_port)
  redis-server --bind 127.0.0.1 --port "$port" --save '' --appendonly no \
    --dir "$RESULTS" --daemonize yes --logfile "$LOGS/redis-$port.log"
  echo "$port"
}

stop_redis() { redis-cli -p "$1" shutdown nosave >/dev/null 2>&1 || true; }

# S5: two replicas of the same server on one redis-server; clients on one, emits on the other.
scenario_cross() {
  local kind=$1 name=$2 redis_port a b pa pb
  redis_port=$(start_redis)
  a=$(free_port); b=$(free_port)
  pa=$(start_server "$kind" "$a" "redis://127.0.0.1:$redis_port")
  pb=$(start_server "$kind" "$b" "redis://127.0.0.1:$redis_port")
  wait_ready "$kind" "$a" >/dev/null; wait_ready "$kind" "$b" >/dev/null
  loadgen cross --url "http://127.0.0.1:$a" --emit-url "http://127.0.0.1:$b" --connections "$USERS" \
    --duration-s "$DURATION" --warmup-s "$WARMUP" --server-pid "$pa" --out "$RESULTS/$kind-$name.json" \
    >"$LOGS/loadgen-$kind-$name.log" 2>&1 || log "$kind cross failed"
  stop_pid "$pa"; stop_pid "$pb"
  stop_redis "$redis_port"
}

# S5py: one gateway replica in Redis mode holds the clients; the load generator publishes every emit
# to the socketio channel as python-socketio 5.14+ (Open WebUI's backend) does: saturation, then
# CHATS streamed replies' worth of chunks per second.
scenario_python_manager() {
  local name=$1 redis_port port pid
  redis_port=$(start_redis)
  port=$(free_port)
  pid=$(start_server gateway "$port" "redis://127.0.0.1:$redis_port")
  wait_ready gateway "$port" >/dev/null
  loadgen fanout --url "http://127.0.0.1:$port" --emit-redis "redis://127.0.0.1:$redis_port" \
    --connections "$USERS" --rate $((CHATS * CHUNK_RATE)) --duration-s "$DURATION" --warmup-s "$WARMUP" \
    --server-pid "$pid" --out "$RESULTS/gateway-$name.json" >"$LOGS/loadgen-gateway-$name.log" 2>&1 \
    || log "S5py failed"
  stop_pid "$pid"
  stop_redis "$redis_port"
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

# The container image's AppCDS archive, made the way Dockerfile.jvm makes it: the gateway run on
# this JVM until it is ready, then stopped; the JVM writes the archive as it exits.
train_cds_archive() {
  local port pid
  port=$(free_port)
  env WEBUI_SECRET_KEY=$SECRET java $GATEWAY_JVM_OPTS -XX:ArchiveClassesAtExit="$RESULTS/gateway.jsa" \
    -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" -jar "$ROOT/target/quarkus-app/quarkus-run.jar" \
    >"$LOGS/cds-training.log" 2>&1 &
  pid=$!
  wait_ready gateway "$port" >/dev/null
  stop_pid "$pid"
}

machine_load() { cut -d' ' -f1-3 /proc/loadavg; }

COMMIT=$(measured_commit)
LOAD_BEFORE=$(machine_load)
STARTED=$(date -u +%Y-%m-%dT%H:%M:%SZ)
ensure_tools
if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then build; fi
has_gateway() { [[ " ${SERVERS[*]} " == *" gateway "* ]]; }

for kind in "${SERVERS[@]}"; do
  if selected S1; then log "S1 connect: $kind"; scenario_connect "$kind"; fi
done
for run in $(seq 1 "$RUNS"); do
  if selected S0; then
    log "S0 bare Vert.x, round $run: fan-out, room"
    scenario_load vertx fanout "fanout-r$run" --connections "$USERS"
    scenario_load vertx room "room-r$run" --connections "$ROOM" --rate "$ROOM_RATE"
  fi
  for kind in "${SERVERS[@]}"; do
    if selected S2; then log "S2 fan-out, round $run: $kind"; scenario_load "$kind" fanout "fanout-r$run" --connections "$USERS"; fi
    if selected S3; then log "S3 room, round $run: $kind"; scenario_load "$kind" room "room-r$run" --connections "$ROOM" --rate "$ROOM_RATE"; fi
    if selected S4; then log "S4 calls, round $run: $kind"; scenario_load "$kind" calls "calls-r$run" --connections "$CALLERS"; fi
    if selected S5; then log "S5 cross-replica, round $run: $kind"; scenario_cross "$kind" "cross-r$run"; fi
  done
  if has_gateway && selected S2b; then
    log "S2b batch emit ($BATCH per request), round $run: gateway"
    scenario_load gateway fanout "fanout-batch-r$run" --connections "$USERS" --batch "$BATCH"
  fi
  if has_gateway && selected S5py; then
    log "S5py python-socketio manager messages to a gateway, round $run"
    scenario_python_manager "python-manager-r$run"
  fi
done
for kind in "${SERVERS[@]}"; do
  if selected S6; then log "S6 start: $kind"; scenario_start "$kind"; fi
done
if has_gateway && selected S6; then
  log "S6 start: gateway on Java 17 with the image's AppCDS archive"
  train_cds_archive
  scenario_start gatewaycds
fi
JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
if has_gateway && selected S6 && [ -x "$JDK25/bin/java" ]; then
  log "S6 start: gateway on JDK 25 with an AOT cache"
  train_aot_cache
  scenario_start gateway25
fi
if any_selected S7 S8 S12 && has_gateway; then
  log "S7, S8, S12 chat tasks: gateway"
  BENCH_SKIP_BUILD=1 bench/tasks.sh
fi
if any_selected S9 S10 S11; then
  log "S9, S10, S11 long-polling"
  BENCH_SKIP_BUILD=1 bench/polling.sh
fi
printf '{"commit":"%s","started":"%s","finished":"%s","runs":%s,"size":"%s","scenarios":"%s","servers":"%s","load_before":"%s","load_after":"%s"}\n' \
  "$COMMIT" "$STARTED" "$(date -u +%Y-%m-%dT%H:%M:%SZ)" "$RUNS" "${BENCH_SIZE:-full}" "${BENCH_SCENARIOS:-all}" \
  "${SERVERS[*]}" "$LOAD_BEFORE" "$(machine_load)" >"$RESULTS/meta.json"
if partial_run; then
  BENCH_TASKS_MD="$ROOT/bench/results-tasks/tasks.md" BENCH_POLLING_MD="$ROOT/bench/results-polling/polling.md" \
    BENCH_SIZE=${BENCH_SIZE:-full} /usr/bin/python3 bench/report.py "$RESULTS" >"$RESULTS/BENCHMARKS.md"
  log "wrote bench/results/BENCHMARKS.md (a smoke or filtered run leaves BENCHMARKS.md alone)"
else
  BENCH_SIZE=${BENCH_SIZE:-full} /usr/bin/python3 bench/report.py "$RESULTS" >BENCHMARKS.md
  log "wrote BENCHMARKS.md"
fi
