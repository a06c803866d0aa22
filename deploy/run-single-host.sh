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
#   ELASTIC_RABBITMQ_ENV    with the RabbitMQ bus: the cloud's broker credentials
#                           (default /etc/elastic/rabbitmq.env, made by deploy/rabbitmq-user.sh),
#                           used when no SPRING_RABBITMQ_USERNAME, _PASSWORD or _VIRTUAL_HOST (nor
#                           --spring.rabbitmq.username=..., ...) is given
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

# setting NAME ENV_VAR ARGS...: the value of --NAME=... in ARGS (the last one), else of ENV_VAR
setting() {
  local name=$1 var=$2 arg value="${!2:-}"
  shift 2
  for arg in "$@"; do
    [[ $arg == --$name=* ]] && value="${arg#--"$name"=}"
  done
  printf '%s' "$value"
}

transport="$(setting elastic.bus.transport ELASTIC_BUS_TRANSPORT "$@")"
if [[ $transport == rabbitmq ]]; then
  rabbit_env="${ELASTIC_RABBITMQ_ENV:-/etc/elastic/rabbitmq.env}"
  given=""
  for key in username password virtual-host; do
    var="SPRING_RABBITMQ_$(tr 'a-z-' 'A-Z_' <<<"$key")"
    given+="$(setting "spring.rabbitmq.$key" "$var" "$@")"
  done
  if [[ -z $given && -e $rabbit_env ]]; then
    if [[ ! -r $rabbit_env ]]; then
      echo "run-single-host: cannot read $rabbit_env (root-only); run as root or give SPRING_RABBITMQ_USERNAME, _PASSWORD and _VIRTUAL_HOST" >&2
      exit 1
    fi
    # exported as Spring reads them from the environment: arguments would still win
    for var in SPRING_RABBITMQ_USERNAME SPRING_RABBITMQ_PASSWORD SPRING_RABBITMQ_VIRTUAL_HOST; do
      export "$var=$(sed -n "s/^$var=//p" "$rabbit_env" | tail -n 1)"
    done
  fi
  # RabbitMQ's own guest account: acceptable on this host's broker, never across a network
  rabbit_host="$(setting spring.rabbitmq.host SPRING_RABBITMQ_HOST "$@")"
  rabbit_user="$(setting spring.rabbitmq.username SPRING_RABBITMQ_USERNAME "$@")"
  rabbit_password="$(setting spring.rabbitmq.password SPRING_RABBITMQ_PASSWORD "$@")"
  case "${rabbit_host:-127.0.0.1}" in
    127.* | localhost | ::1 | '[::1]') ;;
    *)
      if [[ ${rabbit_user:-guest} == guest && ${rabbit_password:-guest} == guest ]]; then
        echo "run-single-host: refusing guest/guest for the RabbitMQ broker at $rabbit_host: give the cloud's user" \
          "(deploy/rabbitmq-user.sh makes one; copy $rabbit_env here, or set SPRING_RABBITMQ_USERNAME, _PASSWORD, _VIRTUAL_HOST)" >&2
        exit 2
      fi
      ;;
  esac
fi

read -r -a java_opts <<<"${JAVA_OPTS:-}"
# the data directory also as the Spring property it maps to; an argument --elastic.data-dir=...
# still wins, since command-line arguments outrank system properties
exec "$java_bin" "${java_opts[@]}" "-Delastic.data-dir=$ELASTIC_DATA_DIR" -jar "$jar" "$@"
