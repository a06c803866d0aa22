#!/usr/bin/env bash
# The drive benchmarks (docs/performance.md): builds (mvn -q -DskipTests package), starts the
# single-host system on a free loopback port with a fresh data directory, and prints each figure
# beside its baseline measured in the same run, on the same disk. A few minutes on 2 cores.
#
# Needs: java 17, maven, gzip, qemu-img (qemu-utils), wrk; free: about 3 GiB on the disk of
# BENCH_DIR and 1 GiB in BENCH_TMPFS.
#
# Environment:
#   BENCH_DIR          data directory of the system, temp files, system log (default bench/target/run);
#                      the disk measured is the one that holds it
#   BENCH_REPEATS      repeats of each measurement, the median is kept (default 3)
#   BENCH_IN_FLIGHT    uploads/downloads: requests in flight, one keep-alive connection each (default 4)
#   BENCH_HTTP_SECONDS wrk: seconds per measurement (default 10)
#   BENCH_TMPFS        where the LUKS baselines put gunzip's output for qemu-img (default /dev/shm)
#   BENCH_SYSTEM_JAVA_OPTS  JAVA_OPTS of the system (default empty: the JVM's defaults, as
#                      deploy/bootstrap.sh runs it)
#   BENCH_JAVA_OPTS    JVM options of the benchmark program (default -Xmx2g)
#   BENCH_SKIP_BUILD=1 do not run maven first
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
for tool in java gzip qemu-img wrk; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh: $tool is missing" >&2; exit 1; }
done
if [[ ${BENCH_SKIP_BUILD:-} != 1 ]]; then
  command -v mvn >/dev/null || { echo "bench/run.sh: mvn is missing" >&2; exit 1; }
  mvn -B -q -DskipTests package
fi

dir="${BENCH_DIR:-$repo/bench/target/run}"
mkdir -p "$dir/tmp"
dir="$(cd "$dir" && pwd)"

read -r -a bench_java_opts <<<"${BENCH_JAVA_OPTS:--Xmx2g}"
exec java "${bench_java_opts[@]}" \
  "-Djava.io.tmpdir=$dir/tmp" \
  "-Dbench.dir=$dir" \
  "-Dbench.repeats=${BENCH_REPEATS:-3}" \
  "-Dbench.inFlight=${BENCH_IN_FLIGHT:-4}" \
  "-Dbench.httpSeconds=${BENCH_HTTP_SECONDS:-10}" \
  "-Dbench.tmpfs=${BENCH_TMPFS:-/dev/shm}" \
  "-Dit.repositoryRoot=$repo" \
  "-Dit.javaOpts=${BENCH_SYSTEM_JAVA_OPTS:-}" \
  -jar "$repo/bench/target/bench.jar"
