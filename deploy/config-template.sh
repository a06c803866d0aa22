#!/usr/bin/env bash
# Prints the commented template of a host's configuration file (/etc/elastic/elastic.conf) for the
# roles given: deploy/install-units.sh writes it when the host has none; run it alone to see the
# lines a role added later needs.
#
#   deploy/config-template.sh ROLE...    (api, storage, agent, lb)
set -euo pipefail

if [[ $# -lt 1 ]]; then
  echo "usage: config-template.sh ROLE...   (api, storage, agent, lb)" >&2
  exit 2
fi
api=false storage=false agent=false lb=false
for role in "$@"; do
  case "$role" in
    api) api=true ;;
    storage) storage=true ;;
    agent) agent=true ;;
    lb) lb=true ;;
    *) echo "config-template: unknown role '$role'" >&2; exit 2 ;;
  esac
done

cat <<'EOF'
# This host's settings for the elastic-cloud units (deploy/systemd/; docs/operations.md,
# "Several hosts"). systemd reads it as root (EnvironmentFile=) and gives it to every elastic-*
# unit of the host: one NAME=value a line, '#' starts a comment line. A value is taken as written
# (spaces included) but for backslashes: put a value that has one in single quotes, NAME='a\.b'.
# Every setting of docs/configuration.md can be given here as its environment variable: upper
# case, '.' and '-' as '_', a list index as _N_ (elastic.storage.pools[0].name is
# ELASTIC_STORAGE_POOLS_0_NAME). Keep it root-only (0600): it holds secrets. After a change:
# systemctl restart elastic-ROLE, one unit at a time.
#
# Left to the units (each role its own; set here, a value would be every role's):
#   ELASTIC_DATA_DIR         /var/lib/elastic/ROLE
#   ELASTIC_MANAGEMENT_PORT  storage 8081, agent 8082 (health and metrics on 127.0.0.1)
# The RabbitMQ user, password and virtual host come from /etc/elastic/rabbitmq.env (made by
# deploy/rabbitmq-user.sh on the broker's machine, copied to every host); a line here wins.

## Every role but lb
# the broker (default 127.0.0.1:5672)
#SPRING_RABBITMQ_HOST=mq.example
#SPRING_RABBITMQ_PORT=5672
# JVM options, e.g. the heap
#JAVA_OPTS=-Xmx2g
EOF

if [[ $api == true || $storage == true ]]; then
  cat <<'EOF'

## api and storage
# REQUIRED: the data path's shared secret, the same on every api and storage host
# (openssl rand -hex 32)
#ELASTIC_DATAPATH_SECRET=
# during a rotation, on storage hosts: more secrets accepted, comma-separated (docs/operations.md,
# "Internal TLS"); remove it once every process sends the new one
#ELASTIC_DATAPATH_ACCEPTEDSECRETS=
# REQUIRED off loopback: the data path's TLS, the files of deploy/internal-ca.sh host. On an API
# host they must be the API's user's (elastic): copy them with rsync -a --chown=elastic:elastic
#ELASTIC_DATAPATH_TLS_KEYSTORE=/etc/elastic/data-path/keystore.p12
#ELASTIC_DATAPATH_TLS_PASSWORDFILE=/etc/elastic/data-path/password
#ELASTIC_DATAPATH_TLS_CAFILE=/etc/elastic/data-path/ca.pem
EOF
fi

if [[ $api == true ]]; then
  cat <<'EOF'

## api
# REQUIRED: the PostgreSQL database every API instance shares (Flyway makes the schema)
#SPRING_DATASOURCE_URL=jdbc:postgresql://db.example:5432/elastic
#SPRING_DATASOURCE_USERNAME=elastic
#SPRING_DATASOURCE_PASSWORD=
# the admin's password, the same on every API instance (unset: each instance generates its own at
# first start and prints it once, in journalctl -u elastic-api)
#ELASTIC_ADMIN_PASSWORD=
# the public port (default 8080) and address (default every interface)
#SERVER_PORT=8080
#SERVER_ADDRESS=10.0.0.21
# behind deploy/load-balancer.sh: count each client by its own address, believing
# X-Forwarded-For from the balancer's address (ELASTIC_LB_SOURCE) alone
#SERVER_FORWARD_HEADERS_STRATEGY=native
#SERVER_TOMCAT_REMOTEIP_INTERNAL_PROXIES='10\.0\.0\.5'
# the master key that seals the VNC passwords: the same file on every API instance (default
# /var/lib/elastic/api/keys/master.key, made at the first instance's first start)
#ELASTIC_MASTER_KEY_FILE=/var/lib/elastic/api/keys/master.key
# how long requests in flight may take to finish at a stop (Spring's graceful shutdown)
#SPRING_LIFECYCLE_TIMEOUT_PER_SHUTDOWN_PHASE=30s
EOF
fi

if [[ $storage == true ]]; then
  cat <<'EOF'

## storage
# this machine's name, and its address on the storage network (data path and NBD exports)
#ELASTIC_STORAGE_HOST=st1.example
#ELASTIC_STORAGE_DATA_PATH_ADDRESS=10.0.0.11
#ELASTIC_STORAGE_NBD_ADDRESS=10.0.0.11
# the pools: names unique in the cloud (name them after the host)
#ELASTIC_STORAGE_POOLS_0_NAME=st1-a
#ELASTIC_STORAGE_POOLS_0_DIRECTORY=/srv/a
# TLS on the NBD exports guests read (docs/operations.md, "NBD exports")
#ELASTIC_STORAGE_NBD_TLSDIR=/etc/elastic/nbd
EOF
fi

if [[ $agent == true ]]; then
  cat <<'EOF'

## agent
# the node name guests are marked with (unique; keep it while guests run), this machine's name,
# its address on the network between hypervisor hosts (VXLAN)
#ELASTIC_AGENT_NODE=hv1
#ELASTIC_AGENT_HOST=hv1.example
#ELASTIC_AGENT_TUNNEL_ADDRESS=10.0.1.21
EOF
fi

if [[ $lb == true ]]; then
  cat <<'EOF'

## lb (the load balancer, elastic-lb.service; deploy/load-balancer.sh has the details)
# REQUIRED: where clients connect, and every API instance, ADDRESS:PORT each, separated by spaces
#ELASTIC_LB_LISTEN=0.0.0.0:80
#ELASTIC_LB_INSTANCES=10.0.0.21:8080 10.0.0.22:8080
# the address it connects to the instances from (their SERVER_TOMCAT_REMOTEIP_INTERNAL_PROXIES)
#ELASTIC_LB_SOURCE=10.0.0.5
#ELASTIC_LB_MAXCONN=400
EOF
fi
