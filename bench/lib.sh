# Functions the benchmark scripts share; sourced by bench/run.sh, bench/tasks.sh and
# bench/polling.sh, which set
# ROOT, RESULTS, LOGS, SECRET and GATEWAY_JVM_OPTS first.

log() { printf '%s %s\n' "$(date +%H:%M:%S)" "$*" >&2; }

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
  log "building the gateway, the load generator and the Node peer"
  ./mvnw -B -q package -DskipTests
  ./mvnw -B -q -f bench/loadgen/pom.xml package
  npm ci --prefix bench/peers/node --no-audit --no-fund --loglevel=error
}

free_port() {
  /usr/bin/python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

# start_server KIND PORT [REDIS_URL] [VAR=VALUE...] -> prints the PID; KIND is gateway | gateway25 |
# node | python; the VAR=VALUE pairs are added to the server's environment (and win).
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
    gateway25)
      env "${env[@]}" "$JDK25/bin/java" $GATEWAY_JVM_OPTS -XX:AOTCache="$RESULTS/gateway.aot" -Dquarkus.http.host=127.0.0.1 \
        -Dquarkus.http.port="$port" -jar target/quarkus-app/quarkus-run.jar >"$LOGS/$kind-$port.log" 2>&1 &;;
    node)
      env "${env[@]}" node bench/peers/node/server.mjs >"$LOGS/$kind-$port.log" 2>&1 &;;
    python)
      env "${env[@]}" /usr/bin/python3 bench/peers/python/server.py >"$LOGS/$kind-$port.log" 2>&1 &;;
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

