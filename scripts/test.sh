#!/usr/bin/env bash
# Runs every test of the gateway, then the native build's sources-only step. Installs what the
# tests need when it is missing (Debian):
# Node.js + npm for the browser-client test, redis-server for the multi-replica tests (they start
# their own servers on free ports), Chromium and its driver for the tests of the demo and console
# pages (e2e/DemoAndConsoleBrowserTest, headless through Selenium), then the pinned
# socket.io-client from the lock file.
set -euo pipefail
cd "$(dirname "$0")/.."

need_packages=()
command -v node >/dev/null 2>&1 || need_packages+=(nodejs)
command -v npm >/dev/null 2>&1 || need_packages+=(npm)
command -v redis-server >/dev/null 2>&1 || need_packages+=(redis-server)
command -v redis-cli >/dev/null 2>&1 || need_packages+=(redis-tools)
[ -x /usr/bin/chromium ] || need_packages+=(chromium)
[ -x /usr/bin/chromedriver ] || need_packages+=(chromium-driver)
if [ ${#need_packages[@]} -gt 0 ]; then
  if [ "$(id -u)" -ne 0 ]; then
    echo "missing ${need_packages[*]}: run 'sudo apt-get install -y ${need_packages[*]}' first" >&2
    exit 1
  fi
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need_packages[@]}"
fi

npm ci --prefix src/test/node --no-audit --no-fund --loglevel=error
# BenchHarnessIT runs the benchmark load generator at a tiny size against the packaged gateway and
# against S0's bare Vert.x peer.
./mvnw -B -q -f bench/loadgen/pom.xml package
./mvnw -B -q -f bench/peers/vertx/pom.xml package
./mvnw -B verify "$@"

# The native build as far as it goes without GraalVM: Quarkus' native-image build steps
# (reflection, resources, build-time initialisation) and the native-image command line, written to
# target/native-sources/. Compiling the executable needs GraalVM / Mandrel or Docker (README,
# "Native executable").
rm -rf target/native-sources
./mvnw -B -q package -Dnative -Dquarkus.native.sources-only=true -DskipTests
if [ ! -s target/native-sources/native-image.args ]; then
  echo "the native build wrote no target/native-sources/native-image.args" >&2
  exit 1
fi
