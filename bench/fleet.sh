#!/usr/bin/env bash
# The simulated fleet benchmark (docs/performance.md, "A fleet of hosts"), in one run: the API
# service on PostgreSQL and RabbitMQ (separate API, storage and agent processes) before a fleet of
# 1, 100 and 1,000 node agents on fake hypervisors in one JVM (each its own node on the bus, with
# its own heartbeats, spread over the interval): hosts listed reachable, the API's CPU per
# heartbeat, servers running through that kept active by reconciliation, server create+start
# (placement) latency median and p99 against the one-host figure, hosts falsely listed unreachable. Starts RabbitMQ and PostgreSQL (deploy/start-services.sh),
# builds (mvn -q -DskipTests package), about five minutes after the build.
#
# Environment:
#   BENCH_DIR          the systems' data and logs (default bench/target/fleet)
#   BENCH_SIZES        fleet sizes, the first is the baseline (default 1,100,1000)
#   BENCH_CREATES      sequential server creates (each destroyed) per size (default 50)
#   BENCH_SECONDS      the idle window of the API's CPU figure per size (default 60)
#   BENCH_GUESTS       servers kept running through that window, all still active after it (default 100)
#   BENCH_SYSTEM_JAVA_OPTS  JAVA_OPTS of the system's processes (default empty: the harness's)
#   BENCH_START_SECONDS how long a process may take to become healthy (default 600: a loaded machine)
#   BENCH_SKIP_BUILD=1 do not run maven first
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
command -v java >/dev/null || { echo "bench/fleet.sh: java is missing (deploy/install-deps.sh)" >&2; exit 1; }
"$repo/deploy/start-services.sh" >/dev/null
if [[ ${BENCH_SKIP_BUILD:-} != 1 ]]; then
  mvn -B -q -DskipTests package
fi

dir="${BENCH_DIR:-$repo/bench/target/fleet}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

java -Xmx2g \
  "-Dbench.dir=$dir" \
  "-Dbench.sizes=${BENCH_SIZES:-1,100,1000}" \
  "-Dbench.creates=${BENCH_CREATES:-50}" \
  "-Dbench.seconds=${BENCH_SECONDS:-60}" \
  "-Dbench.guests=${BENCH_GUESTS:-100}" \
  "-Dit.repositoryRoot=$repo" \
  "-Dit.javaOpts=${BENCH_SYSTEM_JAVA_OPTS:-}" \
  "-Dit.startTimeoutSeconds=${BENCH_START_SECONDS:-600}" \
  -cp "$repo/bench/target/bench.jar" io.elasticcloud.bench.FleetBench
