#!/usr/bin/env bash
# Long-polling benchmarks: the load generator's clients speak Engine.IO over HTTP long-polling (no
# upgrade) to the gateway, Node socket.io and python-socketio, each serving polling only; writes
# bench/polling.md and puts it into BENCHMARKS.md. Loopback only; every step bounded.
#   S9   idle RSS per polling session (2,000 sessions, each with a GET waiting at the server)
#   S10  fan-out to polling clients: deliveries/s at saturation, emit→receive p50/p99 at half rate
#   S11  two gateway replicas in Redis mode; the clients handshake at A and poll via B, which
#        forwards every GET and POST to A: the latency this adds, against the same clients
#        polling A directly (events at a fixed rate; calls, whose ack travels in a POST)
#   bench/polling.sh                  full sizes (about 8 minutes)
#   BENCH_SIZE=smoke bench/polling.sh tiny sizes, to check the harness
#   BENCH_SCENARIOS="S10" BENCH_SERVERS="gateway" bench/polling.sh   only some (bench/lib.sh); a
#                                     smoke or filtered run writes bench/results-polling/polling.md only
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
RESULTS="$ROOT/bench/results-polling"
LOGS="$RESULTS/logs"
rm -rf "$RESULTS" && mkdir -p "$LOGS"
SECRET=bench-secret
GATEWAY_JVM_OPTS=$(sed -n 's/^ENV GATEWAY_JVM_OPTS="\(.*\)"$/\1/p' src/main/docker/Dockerfile.jvm)
# A polling session costs the load generator up to two sockets and the server one or two: 2,000
# sessions stay well inside this.
ulimit -n 20000
source "$ROOT/bench/lib.sh"
check_filters

if [ "${BENCH_SIZE:-full}" = smoke ]; then
  SESSIONS=200; USERS=100; FORWARD_CLIENTS=50; FORWARD_RATE=200; DURATION=3; WARMUP=2
else
  SESSIONS=2000; USERS=1000; FORWARD_CLIENTS=200; FORWARD_RATE=1000; DURATION=10; WARMUP=10
fi
# Every server serves polling only, so no client is offered an upgrade.
POLLING_ONLY=(GATEWAY_TRANSPORTS=polling PEER_TRANSPORTS=polling)

if [ "${BENCH_SKIP_BUILD:-}" != 1 ]; then
  ensure_tools
  build
fi
# The machine's load and the other test jobs running, before and after: the report states both.
machine_load() {
  printf '{"loadavg":"%s","other_jobs":%s}\n' "$(cut -d' ' -f1-3 /proc/loadavg)" \
    "$(pgrep -fc 'surefire|failsafe|scripts/test.sh' || true)" >"$RESULTS/load-$1.json"
}
machine_load before

heap_kb() {
  if [[ $1 == gateway* ]]; then
    jcmd "$2" GC.heap_info 2>/dev/null | awk '/used/ {for (i=1;i<=NF;i++) if ($i=="used") {gsub("K","",$(i+1)); print $(i+1); exit}}'
  fi
}

# A full GC, then time for G1 to give the freed heap back (it uncommits in the background).
settle() {
  sleep 3
  if [[ $1 == gateway* ]]; then jcmd "$2" GC.run >/dev/null 2>&1 || true; sleep 3; fi
}

# S9: like S1 of bench/run.sh, over polling. A tenth of the sessions first opens and closes, so
# that code loaded or compiled once is not counted per session; RSS is read while the load
# generator holds every session idle (each with its GET waiting at the server).
scenario_idle() {
  local kind=$1 port pid before heap_before after heap_after gen log
  port=$(free_port); pid=$(start_server "$kind" "$port" "" "${POLLING_ONLY[@]}"); wait_ready "$kind" "$port" >/dev/null
  loadgen connect --transport polling --url "http://127.0.0.1:$port" --connections $((SESSIONS / 10)) --hold-s 1 \
    --out "$RESULTS/$kind-idle-warmup.json" >"$LOGS/loadgen-$kind-idle-warmup.log" 2>&1 || log "$kind S9 warm-up failed"
  settle "$kind" "$pid"
  before=$(rss_kb "$pid"); heap_before=$(heap_kb "$kind" "$pid")
  log="$LOGS/loadgen-$kind-idle.log"
  loadgen connect --transport polling --url "http://127.0.0.1:$port" --connections "$SESSIONS" --hold-s 20 \
    --server-pid "$pid" --out "$RESULTS/$kind-idle-connect.json" >"$log" 2>&1 &
  gen=$!
  for _ in $(seq 1 600); do
    grep -q 'holding' "$log" 2>/dev/null && break
    kill -0 "$gen" 2>/dev/null || break
    sleep 0.5
  done
  settle "$kind" "$pid"
  after=$(rss_kb "$pid"); heap_after=$(heap_kb "$kind" "$pid")
  wait "$gen" || log "$kind S9 load generator failed"
  printf '{"server":"%s","sessions":%s,"rss_before_kb":%s,"rss_after_kb":%s,"heap_before_kb":%s,"heap_after_kb":%s}\n' \
    "$kind" "$SESSIONS" "$before" "$after" "${heap_before:-null}" "${heap_after:-null}" >"$RESULTS/$kind-idle.json"
  stop_pid "$pid"
}

# S10: bench/run.sh's S2 (fanout) with polling clients.
scenario_fanout() {
  local kind=$1 port pid
  port=$(free_port); pid=$(start_server "$kind" "$port" "" "${POLLING_ONLY[@]}"); wait_ready "$kind" "$port" >/dev/null
  loadgen fanout --transport polling --url "http://127.0.0.1:$port" --connections "$USERS" \
    --duration-s "$DURATION" --warmup-s "$WARMUP" --server-pid "$pid" \
    --out "$RESULTS/$kind-fanout.json" >"$LOGS/loadgen-$kind-fanout.log" 2>&1 || log "$kind S10 failed"
  stop_pid "$pid"
}

# S11: two replicas on one redis-server (ours, on a free port), one key prefix. Emits and calls go
# to A, which holds every session; only the polls go to A ("direct") or to B ("forwarded").
scenario_forward() {
  local redis_port a b pa pb shared
  redis_port=$(free_port); a=$(free_port); b=$(free_port)
  redis-server --bind 127.0.0.1 --port "$redis_port" --save '' --appendonly no \
    --dir "$RESULTS" --daemonize yes --logfile "$LOGS/redis.log"
  shared=(REDIS_KEY_PREFIX=bench-polling "${POLLING_ONLY[@]}")
  pa=$(start_server gateway "$a" "redis://127.0.0.1:$redis_port" "${shared[@]}" GATEWAY_CLUSTER_ADVERTISED_ADDRESS="127.0.0.1:$a")
  pb=$(start_server gateway "$b" "redis://127.0.0.1:$redis_port" "${shared[@]}" GATEWAY_CLUSTER_ADVERTISED_ADDRESS="127.0.0.1:$b")
  wait_ready gateway "$a" >/dev/null; wait_ready gateway "$b" >/dev/null
  local route poll
  for route in direct forwarded; do
    poll=$a; [ "$route" = forwarded ] && poll=$b
    log "S11 $route: events at $FORWARD_RATE/s, polls to port $poll"
    loadgen fanout --transport polling --url "http://127.0.0.1:$a" --poll-url "http://127.0.0.1:$poll" \
      --connections "$FORWARD_CLIENTS" --rate "$FORWARD_RATE" --duration-s "$DURATION" --warmup-s "$WARMUP" \
      --server-pid "$pa" --out "$RESULTS/forward-$route-fanout.json" >"$LOGS/loadgen-forward-$route-fanout.log" 2>&1 \
      || log "S11 $route fanout failed"
    log "S11 $route: calls, 8 in flight"
    loadgen calls --transport polling --url "http://127.0.0.1:$a" --poll-url "http://127.0.0.1:$poll" \
      --connections "$FORWARD_CLIENTS" --window 8 --duration-s "$DURATION" --warmup-s "$WARMUP" \
      --server-pid "$pa" --out "$RESULTS/forward-$route-calls.json" >"$LOGS/loadgen-forward-$route-calls.log" 2>&1 \
      || log "S11 $route calls failed"
  done
  stop_pid "$pa"; stop_pid "$pb"
  redis-cli -p "$redis_port" shutdown nosave >/dev/null 2>&1 || true
}

for kind in $(servers); do
  if selected S9; then log "S9 idle polling sessions: $kind"; scenario_idle "$kind"; fi
  if selected S10; then log "S10 polling fan-out: $kind"; scenario_fanout "$kind"; fi
done
if selected S11; then
  log "S11 forwarded polls: two gateway replicas"
  scenario_forward
fi
machine_load after

if partial_run; then
  BENCH_SIZE=${BENCH_SIZE:-full} /usr/bin/python3 bench/report_polling.py report "$RESULTS" >"$RESULTS/polling.md"
  log "wrote bench/results-polling/polling.md (a smoke or filtered run leaves bench/polling.md alone)"
else
  BENCH_SIZE=${BENCH_SIZE:-full} /usr/bin/python3 bench/report_polling.py report "$RESULTS" >bench/polling.md
  /usr/bin/python3 bench/report_polling.py splice BENCHMARKS.md bench/polling.md
  log "wrote bench/polling.md and its section of BENCHMARKS.md"
fi
