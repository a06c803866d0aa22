#!/usr/bin/env bash
# The console benchmark (docs/performance.md "The browser console"): one real QEMU guest (the test
# guest of deploy/build-test-guest.sh, whose screen echoes keys; qemu:///system), two viewers open
# throughout, one directly at its VNC (VNC authentication) and one through the API's console proxy
# (WebSocket, security None), in alternating rounds:
#   full (non-incremental) framebuffer updates per second, and their bytes per second, back to
#   back for BENCH_SECONDS each round: target through the proxy at least 0.8 of direct;
#   a key event to the incremental update that shows its glyph, BENCH_KEYS keys each round,
#   median (target at most +5 ms over direct) and p99 (at most +20 ms).
# Starts libvirtd (deploy/start-services.sh), builds (mvn -q -DskipTests package), about two
# minutes after that on 2 cores.
#
# Environment:
#   BENCH_DIR          the system's data and logs, the test guest (default bench/target/console)
#   BENCH_ROUNDS       alternating rounds, direct then proxy (default 3; frames: the median is kept)
#   BENCH_SECONDS      seconds of each frames round (default 10)
#   BENCH_KEYS         keys of each latency round (default 100)
#   BENCH_SYSTEM_JAVA_OPTS  JAVA_OPTS of the system (default empty: the JVM's defaults)
#   BENCH_START_SECONDS how long the system may take to become healthy (default 600: a loaded machine)
#   BENCH_SKIP_BUILD=1 do not run maven first
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
for tool in java virsh qemu-system-x86_64; do
  command -v "$tool" >/dev/null || { echo "bench/console.sh: $tool is missing (deploy/install-deps.sh)" >&2; exit 1; }
done
"$repo/deploy/start-services.sh" >/dev/null
if [[ ${BENCH_SKIP_BUILD:-} != 1 ]]; then
  mvn -B -q -DskipTests package
fi

dir="${BENCH_DIR:-$repo/bench/target/console}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

java -Xmx1g \
  "-Dbench.dir=$dir" \
  "-Dbench.rounds=${BENCH_ROUNDS:-3}" \
  "-Dbench.seconds=${BENCH_SECONDS:-10}" \
  "-Dbench.keys=${BENCH_KEYS:-100}" \
  "-Dit.repositoryRoot=$repo" \
  "-Dit.javaOpts=${BENCH_SYSTEM_JAVA_OPTS:-}" \
  "-Dit.startTimeoutSeconds=${BENCH_START_SECONDS:-600}" \
  -cp "$repo/bench/target/bench.jar" io.elasticcloud.bench.ConsoleBench
