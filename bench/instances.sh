#!/usr/bin/env bash
# The API instances benchmark (docs/performance.md "Several API instances"): servers created (with
# the start) and destroyed per second by 50 concurrent clients through HAProxy with two API
# instances, beside the same with one instance in the same run; separate API, storage and agent
# processes on this machine's PostgreSQL and RabbitMQ, the agent on libvirt's test:///default
# driver (no QEMU). Target: two instances at least 0.9 of one (on one machine they share its
# cores: the point is that the rate does not fall). Starts the services
# (deploy/start-services.sh), builds (mvn -q -DskipTests package), about seven minutes after that.
#
# Environment:
#   BENCH_DIR          the processes' data and logs (default bench/target/instances)
#   BENCH_CLIENTS      concurrent clients, each a customer of its own (default 50)
#   BENCH_SECONDS      measured seconds of each round, after 5 s of warm-up (default 20)
#   BENCH_ROUNDS       alternating rounds of each figure, the median is kept (default 3)
#   BENCH_SYSTEM_JAVA_OPTS  JAVA_OPTS of the processes (default empty: the JVM's defaults)
#   BENCH_START_SECONDS how long a process may take to become healthy (default 600: a loaded machine)
#   BENCH_SKIP_BUILD=1 do not run maven first
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
for tool in java haproxy; do
  command -v "$tool" >/dev/null || { echo "bench/instances.sh: $tool is missing (deploy/install-deps.sh)" >&2; exit 1; }
done
"$repo/deploy/start-services.sh" >/dev/null
if [[ ${BENCH_SKIP_BUILD:-} != 1 ]]; then
  mvn -B -q -DskipTests package
fi

dir="${BENCH_DIR:-$repo/bench/target/instances}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

# libvirt's test driver prints every failed lookup to stderr ("Domain not found", the agent looking
# for a guest before it starts one): those lines are dropped, nothing else
java -Xmx1g \
  "-Dbench.dir=$dir" \
  "-Dbench.clients=${BENCH_CLIENTS:-50}" \
  "-Dbench.seconds=${BENCH_SECONDS:-20}" \
  "-Dbench.rounds=${BENCH_ROUNDS:-3}" \
  "-Dit.repositoryRoot=$repo" \
  "-Dit.javaOpts=${BENCH_SYSTEM_JAVA_OPTS:-}" \
  "-Dit.startTimeoutSeconds=${BENCH_START_SECONDS:-600}" \
  -cp "$repo/bench/target/bench.jar" io.elasticcloud.bench.InstancesBench \
  2> >(grep -v --line-buffered '^libvirt: Test Driver error : Domain not found' >&2)
