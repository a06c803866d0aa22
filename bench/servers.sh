#!/usr/bin/env bash
# The servers benchmarks (docs/performance.md), in one run, each figure beside its baseline:
#   (a) the power calls through the API against libvirt's own calls on the same domain XML (the
#       agent's domain, dumped), on real QEMU guests (qemu:///system; the test guest of
#       deploy/build-test-guest.sh as a cdrom, a public NIC on a network of the run's own):
#       create with start and start (to running) against `virsh create`, stop and destroy (to
#       gone) against `virsh destroy`, shutdown to info saying stopped against `virsh shutdown` to
#       the domain gone; each target: at most 150 ms more (the table shows difference and ratio);
#   (b) servers created and destroyed per second by 50 concurrent clients, with the node agent on
#       libvirt's test:///default driver (a second system), beside two GET /ping per loop and beside
#       the agent's libvirt work alone (LibvirtHypervisor start + destroy on test:///default).
# Starts libvirtd (deploy/start-services.sh), builds (mvn -q -DskipTests package), a few minutes.
#
# Environment:
#   BENCH_DIR          systems' data, logs, the test guest (default bench/target/servers)
#   BENCH_REPEATS      repeats of (a), the median is kept (default 5; each boots two guests)
#   BENCH_CLIENTS      concurrent clients of (b) (default 50)
#   BENCH_SECONDS      measured seconds of each (b) figure, after 5 s of warm-up (default 20)
#   BENCH_SYSTEM_JAVA_OPTS  JAVA_OPTS of the systems (default empty: the JVM's defaults)
#   BENCH_ONLY         latency: only (a); throughput: only (b) (no QEMU guest needed); default both
#   BENCH_START_SECONDS how long a system may take to become healthy (default 600: a loaded machine)
#   BENCH_SKIP_BUILD=1 do not run maven first
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
for tool in java virsh qemu-system-x86_64; do
  command -v "$tool" >/dev/null || { echo "bench/servers.sh: $tool is missing (deploy/install-deps.sh)" >&2; exit 1; }
done
"$repo/deploy/start-services.sh" >/dev/null
if [[ ${BENCH_SKIP_BUILD:-} != 1 ]]; then
  mvn -B -q -DskipTests package
fi

dir="${BENCH_DIR:-$repo/bench/target/servers}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

# libvirt's test driver prints every failed lookup to stderr ("Domain not found", the agent looking
# for a guest before it starts one): those lines are dropped, nothing else
java -Xmx1g \
  "-Dbench.dir=$dir" \
  "-Dbench.repeats=${BENCH_REPEATS:-5}" \
  "-Dbench.clients=${BENCH_CLIENTS:-50}" \
  "-Dbench.seconds=${BENCH_SECONDS:-20}" \
  "-Dbench.only=${BENCH_ONLY:-}" \
  "-Dit.repositoryRoot=$repo" \
  "-Dit.javaOpts=${BENCH_SYSTEM_JAVA_OPTS:-}" \
  "-Dit.startTimeoutSeconds=${BENCH_START_SECONDS:-600}" \
  -cp "$repo/bench/target/bench.jar" io.elasticcloud.bench.ServerBench \
  2> >(grep -v --line-buffered '^libvirt: Test Driver error : Domain not found' >&2)
