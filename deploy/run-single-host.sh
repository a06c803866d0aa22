#!/usr/bin/env bash
# Runs the whole system on this host, in the foreground: the API service, a node agent and a
# storage node in one process (launcher/target/elastic-cloud.jar, built by
# `mvn -DskipTests package`). Works from any directory. For several hosts, deploy/run-host.sh runs
# this script with some of the three switched off.
#
# Environment:
#   SERVER_PORT             HTTP port (default 8080)
#   ELASTIC_DATA_DIR        database, volumes and keys (default: ./data of the current directory)
#   ELASTIC_ADMIN_PASSWORD  the admin's password; if unset at first start one is generated and
#                           printed once ("Generated admin password: ...")
#   JAVA_OPTS               extra JVM options, split at spaces
# Arguments are passed on to the application, e.g. --server.address=127.0.0.1
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
jar="$repo/launcher/target/elastic-cloud.jar"
if [[ ! -f $jar ]]; then
  echo "run-single-host: $jar is missing; build it first: (cd $repo && mvn -DskipTests package)" >&2
  exit 1
fi

java_bin=java
if [[ -n ${JAVA_HOME:-} && -x $JAVA_HOME/bin/java ]]; then
  java_bin="$JAVA_HOME/bin/java"
fi

ELASTIC_DATA_DIR="${ELASTIC_DATA_DIR:-$PWD/data}"
mkdir -p "$ELASTIC_DATA_DIR"
ELASTIC_DATA_DIR="$(cd "$ELASTIC_DATA_DIR" && pwd)"
export ELASTIC_DATA_DIR
export SERVER_PORT="${SERVER_PORT:-8080}"

read -r -a java_opts <<<"${JAVA_OPTS:-}"
# the data directory also as the Spring property it maps to; an argument --elastic.data-dir=...
# still wins, since command-line arguments outrank system properties
exec "$java_bin" "${java_opts[@]}" "-Delastic.data-dir=$ELASTIC_DATA_DIR" -jar "$jar" "$@"
