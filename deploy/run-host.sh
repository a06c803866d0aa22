#!/usr/bin/env bash
# Runs some parts of the system on this host, in the foreground, for the several-hosts mode
# (docs/operations.md, "Several hosts"): the same jar as deploy/run-single-host.sh, with the parts
# not named switched off and the RabbitMQ bus.
#
#   deploy/run-host.sh ROLES [--name=value ...]
#
# ROLES: a comma-separated subset of api, storage, agent, e.g. `api`, `storage,agent`.
#   api      the public API and the database (PostgreSQL): one or more per cloud
#   storage  storage nodes (the pools of this host's disks): one per storage host
#   agent    a node agent (libvirt, the guests): one per hypervisor host
#
# Environment, besides run-single-host.sh's (ELASTIC_DATA_DIR, SERVER_PORT, JAVA_OPTS, ...); every
# setting may also be given as an argument (--spring.rabbitmq.host=...), which wins:
#   SPRING_RABBITMQ_HOST, SPRING_RABBITMQ_PORT
#                              the broker (default 127.0.0.1:5672)
#   SPRING_RABBITMQ_USERNAME, SPRING_RABBITMQ_PASSWORD, SPRING_RABBITMQ_VIRTUAL_HOST
#                              the cloud's user there; when none is given, those of
#                              ELASTIC_RABBITMQ_ENV (default /etc/elastic/rabbitmq.env, made by
#                              deploy/rabbitmq-user.sh), else guest/guest, refused for a broker
#                              not on loopback
#   ELASTIC_BUS_RABBITMQ_NAMESPACE  exchanges' and queues' prefix (default elastic)
#   ELASTIC_DATAPATH_SECRET    the data path's shared secret (elastic.data-path.secret): the same
#                              on every api and storage host; required there
#   ELASTIC_DATAPATH_TLS_KEYSTORE, ELASTIC_DATAPATH_TLS_PASSWORDFILE, ELASTIC_DATAPATH_TLS_CAFILE
#                              the data path's TLS, the files of deploy/internal-ca.sh host
#                              (docs/operations.md, "Internal TLS"); required on a storage host
#                              whose data path is not on loopback
#   SPRING_DATASOURCE_URL, SPRING_DATASOURCE_USERNAME, SPRING_DATASOURCE_PASSWORD
#                              PostgreSQL, for api (e.g. jdbc:postgresql://db.example:5432/elastic);
#                              the URL is required there
#   ELASTIC_BUS_TRANSPORT      default rabbitmq here
#   ELASTIC_MANAGEMENT_PORT, ELASTIC_MANAGEMENT_ADDRESS
#                              without api: where health and metrics are served (default
#                              127.0.0.1:8081; docs/operations.md, "Health")
# A required setting missing ends it with status 2 before Java starts.
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
usage="usage: run-host.sh ROLES [--name=value ...]   (ROLES: comma-separated api, storage, agent)"
if [[ $# -lt 1 || $1 == -* ]]; then
  echo "$usage" >&2
  exit 2
fi
roles="$1"
shift

api=false storage=false agent=false
IFS=',' read -r -a named <<<"$roles"
for role in "${named[@]}"; do
  case "$role" in
    api) api=true ;;
    storage) storage=true ;;
    agent) agent=true ;;
    *) echo "run-host: unknown role '$role'; $usage" >&2; exit 2 ;;
  esac
done

# read by Spring from the environment (elastic.api.enabled, ...); arguments still win
export ELASTIC_API_ENABLED="$api" ELASTIC_STORAGE_ENABLED="$storage" ELASTIC_AGENT_ENABLED="$agent"
export ELASTIC_BUS_TRANSPORT="${ELASTIC_BUS_TRANSPORT:-rabbitmq}"
secret_given=false database_given=false
for arg in "$@"; do
  [[ $arg == --elastic.data-path.secret=?* ]] && secret_given=true
  [[ $arg == --spring.datasource.url=?* ]] && database_given=true
done
# Status 2: a setting is missing, which no restart mends (the systemd units do not restart on 2).
if [[ $ELASTIC_BUS_TRANSPORT == rabbitmq ]]; then
  if [[ ($storage == true || $api == true) && -z ${ELASTIC_DATAPATH_SECRET:-} && $secret_given == false ]]; then
    echo "run-host: $roles on the RabbitMQ bus needs ELASTIC_DATAPATH_SECRET (the same on every api and storage host)" >&2
    exit 2
  fi
  # without it an API instance would keep a database of its own (H2 in its data directory)
  if [[ $api == true && -z ${SPRING_DATASOURCE_URL:-} && $database_given == false ]]; then
    echo "run-host: api on the RabbitMQ bus needs SPRING_DATASOURCE_URL (the PostgreSQL database every API instance shares)" >&2
    exit 2
  fi
fi
exec "$repo/deploy/run-single-host.sh" "$@"
