#!/usr/bin/env bash
# The drive creation benchmark (docs/performance.md "Drive creation"): encrypted drives created per
# second by 16 concurrent clients (POST /drives/create, one customer), measured after 100 and after
# 2,000 existing drives, beside the disk work alone (the same number of volumes made by the storage
# service's FileVolumeBackend.create in the benchmark's process, 16 threads, same disk). Targets:
# at least 100/s at every step, and the last step at least 0.8 of the first (creation must not slow
# down as drives grow in number). The single-host system as deploy/bootstrap.sh runs it (H2).
# Builds (mvn -q -DskipTests package), then a minute or two.
#
# Environment:
#   BENCH_DIR          the system's data and log (default bench/target/creates)
#   BENCH_CLIENTS      concurrent clients (default 16)
#   BENCH_CREATES      creations per measured figure (default 500)
#   BENCH_EXISTING     existing drives before each figure, ascending (default 100,2000)
#   BENCH_SYSTEM_JAVA_OPTS  JAVA_OPTS of the system (default empty: the JVM's defaults)
#   BENCH_START_SECONDS how long the system may take to become healthy (default 600: a loaded machine)
#   BENCH_SKIP_BUILD=1 do not run maven first
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
command -v java >/dev/null || { echo "bench/creates.sh: java is missing (deploy/install-deps.sh)" >&2; exit 1; }
if [[ ${BENCH_SKIP_BUILD:-} != 1 ]]; then
  mvn -B -q -DskipTests package
fi

dir="${BENCH_DIR:-$repo/bench/target/creates}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

exec java -Xmx1g \
  "-Dbench.dir=$dir" \
  "-Dbench.clients=${BENCH_CLIENTS:-16}" \
  "-Dbench.creates=${BENCH_CREATES:-500}" \
  "-Dbench.existing=${BENCH_EXISTING:-100,2000}" \
  "-Dit.repositoryRoot=$repo" \
  "-Dit.javaOpts=${BENCH_SYSTEM_JAVA_OPTS:-}" \
  "-Dit.startTimeoutSeconds=${BENCH_START_SECONDS:-600}" \
  -cp "$repo/bench/target/bench.jar" io.elasticcloud.bench.DriveCreateBench
