#!/usr/bin/env bash
# The scale benchmark (docs/performance.md, "At scale"; issue 16), in one run: the API service on
# PostgreSQL and RabbitMQ (separate API, storage and agent processes; the agent in maintenance)
# before a simulated fleet of node agents on fake hypervisors (bench/fleet.sh's Fleet), with
# drives and servers grown in steps to 1,000, 10,000 and 100,000 of each over 1,000 customers: one big
# customer holds a tenth of each kind (at most 10,000), one small customer 5 drives, 5 servers and a
# VLAN, the rest go round-robin to the others; a tenth of the servers are active on the fleet (at
# most 100 per host), the others stopped, each with one of its owner's drives. Everything is made
# through the public API (drive creates are real encrypted volumes on the storage process's disk;
# no bulk loader). Per step it prints: median and p99 of every list/info call for the big and the
# small customer and their per-object cost against the first step (targets: <= 1.5 for the big
# customer's many-object calls, <= 1.2 for one-object calls and the small customer's); the drive
# create rate while growing (16 clients) against the disk work alone and server create+destroy (50
# clients) against the agent's libvirt work alone on test:///default (the
# baselines of bench/creates.sh and bench/servers.sh, measured in this run); the API process's heap
# after a full GC; the database's size; the API process killed and started again (until
# /actuator/health is UP, every host listed reachable, hosts falsely silent, active servers kept,
# the API's CPU per second after it). Writes BENCH_DIR/scale.svg, the median latency per call.
#
# Measured time (2026-12-03, 2 cores, quiet machine): 1,451 s in all; the fleet and the customers
# 17 s, the 1,000 step grown in 29 s, the 10,000 step in 111 s, the 100,000 step in 977 s (each
# step's calls, churn and restart 1-3 minutes more); 2,916 s on a slower shared machine (2026-12-04).
# BENCH_STEPS=1000,10000 takes about 5 minutes.
# Starts RabbitMQ and PostgreSQL (deploy/start-services.sh), builds (mvn -q -DskipTests package).
#
# Environment:
#   BENCH_DIR          the systems' data, logs and the plot (default bench/target/scale)
#   BENCH_STEPS        servers and drives per step, ascending; the first is the baseline (default 1000,10000,100000)
#   BENCH_CUSTOMERS    customers (default 1000)
#   BENCH_HOSTS        fleet hosts (default 1000)
#   BENCH_SAMPLES      timed calls per call and customer, after 10 untimed (default 20)
#   BENCH_CHURN_SECONDS measured seconds of server create+destroy per step, after 5 s of warm-up (default 15)
#   BENCH_SYSTEM_JAVA_OPTS  JAVA_OPTS of the system's processes (default empty: the harness's)
#   BENCH_START_SECONDS how long a process may take to become healthy (default 600: a loaded machine)
#   BENCH_SKIP_BUILD=1 do not run maven first
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
for tool in java jcmd; do
  command -v "$tool" >/dev/null || { echo "bench/scale.sh: $tool is missing (deploy/install-deps.sh)" >&2; exit 1; }
done
"$repo/deploy/start-services.sh" >/dev/null
if [[ ${BENCH_SKIP_BUILD:-} != 1 ]]; then
  mvn -B -q -DskipTests package
fi

dir="${BENCH_DIR:-$repo/bench/target/scale}"
mkdir -p "$dir"
dir="$(cd "$dir" && pwd)"

# libvirt's test driver prints every failed lookup to stderr (the baseline's guests): dropped.
# The HTTP client drops its idle connections after 10 s, before the API's 20 s
# (server.tomcat.connection-timeout) closes them: a POST sent on a connection the server has just
# closed would fail with no answer (the client retries only GETs)
java -Xmx3g -Djdk.httpclient.keepalive.timeout=10 \
  "-Dbench.dir=$dir" \
  "-Dbench.steps=${BENCH_STEPS:-1000,10000,100000}" \
  "-Dbench.customers=${BENCH_CUSTOMERS:-1000}" \
  "-Dbench.hosts=${BENCH_HOSTS:-1000}" \
  "-Dbench.samples=${BENCH_SAMPLES:-20}" \
  "-Dbench.churn-seconds=${BENCH_CHURN_SECONDS:-15}" \
  "-Dit.repositoryRoot=$repo" \
  "-Dit.javaOpts=${BENCH_SYSTEM_JAVA_OPTS:-}" \
  "-Dit.startTimeoutSeconds=${BENCH_START_SECONDS:-600}" \
  -cp "$repo/bench/target/bench.jar" io.elasticcloud.bench.ScaleBench \
  2> >(grep -v --line-buffered '^libvirt: Test Driver error : Domain not found' >&2)
