#!/usr/bin/env bash
# The front door benchmark (docs/performance.md): a customer's GET /drives/UUID/info p99 on a quiet
# system, then while 1,000 hostile connections are open (idle, slow headers, slow unauthenticated
# bodies, a customer's slow writes), each figure beside the other in the same run; target: at most
# twice the quiet p99. Builds (mvn -q -DskipTests package), about a minute after that.
#
# Environment:
#   BENCH_DIR          the system's data and log (default bench/target/frontdoor)
#   BENCH_CONNECTIONS  hostile connections (default 1000)
#   BENCH_CALLS        sequential calls per p99 (default 400)
#   BENCH_SYSTEM_JAVA_OPTS  JAVA_OPTS of the system (default empty: the JVM's defaults)
#   BENCH_SKIP_BUILD=1 do not run maven first
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
if [[ ${BENCH_SKIP_BUILD:-} != 1 ]]; then
  mvn -B -q -DskipTests package
fi
dir="${BENCH_DIR:-$repo/bench/target/frontdoor}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

java -Xmx1g \
  "-Dbench.dir=$dir" \
  "-Dbench.connections=${BENCH_CONNECTIONS:-1000}" \
  "-Dbench.calls=${BENCH_CALLS:-400}" \
  "-Dit.repositoryRoot=$repo" \
  "-Dit.javaOpts=${BENCH_SYSTEM_JAVA_OPTS:-}" \
  -cp "$repo/bench/target/bench.jar" io.elasticcloud.bench.FrontDoorBench
