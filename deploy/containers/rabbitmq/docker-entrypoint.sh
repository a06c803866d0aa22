#!/bin/bash
# The default user from the environment, reachable from outside the container (RabbitMQ lets
# guest in from loopback only otherwise), then the server in the foreground.
set -euo pipefail
if [[ ${1:-} == rabbitmq-server ]]; then
  {
    echo "loopback_users = none"
    echo "default_user = ${RABBITMQ_DEFAULT_USER:-guest}"
    echo "default_pass = ${RABBITMQ_DEFAULT_PASS:-guest}"
    echo "default_vhost = ${RABBITMQ_DEFAULT_VHOST:-/}"
  } >/etc/rabbitmq/rabbitmq.conf
  shift
  exec /usr/lib/rabbitmq/bin/rabbitmq-server "$@"
fi
exec "$@"
