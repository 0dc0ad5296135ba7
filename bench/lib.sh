# Functions the benchmark scripts share; sourced by bench/run.sh, bench/tasks.sh and
# bench/polling.sh, which set
# ROOT, RESULTS, LOGS, SECRET and GATEWAY_JVM_OPTS first.
#
# Filters, for developers (a filtered or smoke run never rewrites BENCHMARKS.md, bench/tasks.md or
# bench/polling.md: its report goes to the results directory):
#   BENCH_SCENARIOS="S2 S5"        only these scenarios (space- or comma-separated); unset = all of
#                                  S0 S1 S2 S2b S3 S4 S5 S5py S6 S7 S8 S9 S10 S11 S12
#   BENCH_SERVERS="gateway node"   only these servers where a scenario compares them (S1-S6, S9,
#                                  S10); unset = gateway node python
#   BENCH_RUNS=1                   runs of each repeated scenario (S0, S2-S5, S2b, S5py); default 3

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

ALL_SCENARIOS="S0 S1 S2 S2b S3 S4 S5 S5py S6 S7 S8 S9 S10 S11 S12"
ALL_SERVERS="gateway node python"

# Refuses unknown names in the filters, so a typo never silently runs nothing.
check_filters() {
  local name scenarios=${BENCH_SCENARIOS:-} servers=${BENCH_SERVERS:-}
  for name in ${scenarios//,/ }; do
    [[ " $ALL_SCENARIOS " == *" $name "* ]] || { log "BENCH_SCENARIOS: unknown scenario $name (known: $ALL_SCENARIOS)"; exit 2; }
  done
  for name in ${servers//,/ }; do
    [[ " $ALL_SERVERS " == *" $name "* ]] || { log "BENCH_SERVERS: unknown server $name (known: $ALL_SERVERS)"; exit 2; }
  done
  if [ -n "${BENCH_RUNS:-}" ] && ! [[ $BENCH_RUNS =~ ^[1-9][0-9]?$ ]]; then
    log "BENCH_RUNS must be a whole number from 1 to 99"; exit 2
  fi
}

# selected S2 -> true when BENCH_SCENARIOS is unset or names S2
selected() {
  local chosen=${BENCH_SCENARIOS:-}
  [ -z "$chosen" ] && return 0
  [[ " ${chosen//,/ } " == *" $1 "* ]]
}

any_selected() {
  local name
  for name in "$@"; do selected "$name" && return 0; done
  return 1
}

# The servers compared, in the order they run.
servers() {
  local kind out=() chosen=${BENCH_SERVERS:-}
  for kind in $ALL_SERVERS; do
    if [ -z "$chosen" ] || [[ " ${chosen//,/ } " == *" $kind "* ]]; then out+=("$kind"); fi
  done
  echo "${out[@]}"
}

# True for a smoke or filtered run, whose report must not replace the committed one.
partial_run() {
  [ "${BENCH_SIZE:-full}" = smoke ] || [ -n "${BENCH_SCENARIOS:-}" ] || [ -n "${BENCH_SERVERS:-}" ] \
    || [ "${BENCH_RUNS:-3}" != 3 ]
}

ensure_tools() {
  local missing=()
  command -v redis-server >/dev/null || missing+=(redis-server)
  dpkg -s python3-socketio python3-aiohttp python3-jwt python3-redis >/dev/null 2>&1 \
    || missing+=(python3-socketio python3-aiohttp python3-jwt python3-redis)
  command -v node >/dev/null || missing+=(nodejs npm)
  if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}"
  fi
}

build() {
  log "building the gateway, the load generator, the bare Vert.x peer and the Node peer"
  ./mvnw -B -q package -DskipTests
  ./mvnw -B -q -f bench/loadgen/pom.xml package
  ./mvnw -B -q -f bench/peers/vertx/pom.xml package
  npm ci --prefix bench/peers/node --no-audit --no-fund --loglevel=error
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# The commit measured, "dirty" when the tree has changes: the reports state it.
measured_commit() {
  local commit
  commit=$(git rev-parse --short HEAD 2>/dev/null || echo unknown)
  if [ -n "$(git status --porcelain 2>/dev/null)" ]; then commit="$commit dirty"; fi
  echo "$commit"
}

# start_server KIND PORT [REDIS_URL] [VAR=VALUE...] -> prints the PID; KIND is gateway | gatewaycds
# (with S6's AppCDS archive) | gateway25 | node | python | vertx (S0's bare server, no Redis); the
# VAR=VALUE pairs are added to the server's environment (and win).
start_server() {
  local kind=$1 port=$2 redis=${3:-}
  shift $(( $# < 3 ? $# : 3 ))
  local env=(WEBUI_SECRET_KEY=$SECRET PORT=$port)
  if [ -n "$redis" ]; then
    env+=(REDIS_URL=$redis WEBSOCKET_MANAGER=redis REDIS_KEY_PREFIX=bench-$port)
  fi
  env+=("$@")
  case $kind in
    gateway)
      env "${env[@]}" java $GATEWAY_JVM_OPTS -Dquarkus.http.host=127.0.0.1 -Dquarkus.http.port="$port" \
        -jar target/quarkus-app/quarkus-run.jar >"$LOGS/$kind-$port.log" 2>&1 &;;
    gatewaycds)
      # the container image's start: Java 17 with an AppCDS archive of a whole start (Dockerfile.jvm)
      env "${env[@]}" java $GATEWAY_JVM_OPTS -XX:SharedArchiveFile="$RESULTS/gateway.jsa" -Dquarkus.http.host=127.0.0.1 \
        -Dquarkus.http.port="$port" -jar "$ROOT/target/quarkus-app/quarkus-run.jar" >"$LOGS/$kind-$port.log" 2>&1 &;;
    gateway25)
      env "${env[@]}" "$JDK25/bin/java" $GATEWAY_JVM_OPTS -XX:AOTCache="$RESULTS/gateway.aot" -Dquarkus.http.host=127.0.0.1 \
        -Dquarkus.http.port="$port" -jar target/quarkus-app/quarkus-run.jar >"$LOGS/$kind-$port.log" 2>&1 &;;
    node)
      env "${env[@]}" node bench/peers/node/server.mjs >"$LOGS/$kind-$port.log" 2>&1 &;;
    python)
      env "${env[@]}" /usr/bin/python3 bench/peers/python/server.py >"$LOGS/$kind-$port.log" 2>&1 &;;
    vertx)
      # the gateway's JVM flags, so that only the code on top of Vert.x differs
      env "${env[@]}" java $GATEWAY_JVM_OPTS -jar bench/peers/vertx/target/vertx-peer.jar >"$LOGS/$kind-$port.log" 2>&1 &;;
  esac
  echo $!
}

health_url() {
  case $1 in gateway*) echo "http://127.0.0.1:$2/q/health/ready";; *) echo "http://127.0.0.1:$2/health";; esac
}

# wait_ready KIND PORT -> prints milliseconds from now until the server answered its health check
wait_ready() {
  local start end
  start=$(date +%s%N)
  for _ in $(seq 1 600); do
    if curl -sf "$(health_url "$1" "$2")" >/dev/null 2>&1; then
      end=$(date +%s%N); echo $(( (end - start) / 1000000 )); return 0
    fi
    sleep 0.05
  done
  log "$1 on port $2 did not become ready"; return 1
}

rss_kb() { awk '/VmRSS/ {print $2}' "/proc/$1/status"; }

# Servers start in a subshell, so they are not this shell's children: poll until they are gone.
stop_pid() {
  kill "$1" 2>/dev/null || return 0
  for _ in $(seq 1 100); do kill -0 "$1" 2>/dev/null || return 0; sleep 0.1; done
  kill -9 "$1" 2>/dev/null || true
}

loadgen() {
  java -Xms512m -Xmx2g -jar bench/loadgen/target/loadgen.jar "$@" --secret "$SECRET"
}

