#!/usr/bin/env bash
# Runs HAProxy in the foreground as the one address in front of several API instances
# (docs/operations.md, "Several API instances"):
#
#   deploy/load-balancer.sh LISTEN INSTANCE [INSTANCE ...]
#
# LISTEN and each INSTANCE are ADDRESS:PORT: where clients connect, and each API instance's public
# port. Requests go round-robin to the instances whose GET /actuator/health answers 200 (checked
# every 2 s, each check given 5 s: an instance is out after 3 failures, back after 2 successes). A
# check that fails on every instance at once says more about the load than about the instances:
# then requests still go to all of them (each is also listed as an unchecked backup), and whatever
# refuses the connection is skipped. A connection refused is tried again on another instance, a
# request already sent never is. HAProxy adds the client's
# address to X-Forwarded-For: run the instances with
#   --server.forward-headers-strategy=native --server.tomcat.remoteip.internal-proxies=REGEX
# where REGEX matches ELASTIC_LB_SOURCE only, so that they count each client by its own address
# (the per-address limits, failed logins) and believe the header from this proxy alone.
#
# Environment:
#   ELASTIC_LB_SOURCE   the address HAProxy connects to the instances from (default: the kernel's
#                       choice); give one that no client has, and trust only it
#   ELASTIC_LB_MAXCONN  connections to each instance at most (default 400: below the instances'
#                       elastic.http.max-connections-per-address, 512)
#   ELASTIC_LB_CONFIG   where the generated configuration is written (default: a file in $TMPDIR,
#                       removed at exit)
#   ELASTIC_LB_SOCKET   a path for HAProxy's runtime API (admin level, mode 0600; default none):
#                       take an instance out, add one, see what each has in flight, without a
#                       restart (docs/operations.md, "Several API instances"). Each instance is the
#                       server named by its ADDRESS:PORT in the backend `instances`, and its
#                       unchecked backup by ADDRESS:PORT-unchecked.
# Put TLS in front of LISTEN (or add a `crt` to its bind line) before customers use it.
set -euo pipefail

usage="usage: load-balancer.sh LISTEN INSTANCE [INSTANCE ...]   (each ADDRESS:PORT)"
if [[ $# -lt 2 ]]; then
  echo "$usage" >&2
  exit 2
fi
for endpoint in "$@"; do
  if [[ ! $endpoint =~ ^[A-Za-z0-9.:-]+:[0-9]{1,5}$ ]]; then
    echo "load-balancer: not ADDRESS:PORT: '$endpoint'; $usage" >&2
    exit 2
  fi
done
socket_line=""
if [[ -n ${ELASTIC_LB_SOCKET:-} ]]; then
  [[ $ELASTIC_LB_SOCKET =~ ^/[A-Za-z0-9._/-]+$ ]] || { echo "load-balancer: ELASTIC_LB_SOCKET must be an absolute path" >&2; exit 2; }
  socket_line="  stats socket $ELASTIC_LB_SOCKET mode 600 level admin"
fi
command -v haproxy >/dev/null || { echo "load-balancer: haproxy is missing (deploy/install-deps.sh)" >&2; exit 1; }
listen="$1"
shift
maxconn="${ELASTIC_LB_MAXCONN:-400}"
[[ $maxconn =~ ^[0-9]+$ ]] || { echo "load-balancer: ELASTIC_LB_MAXCONN must be a number" >&2; exit 2; }
source_line=""
if [[ -n ${ELASTIC_LB_SOURCE:-} ]]; then
  [[ $ELASTIC_LB_SOURCE =~ ^[0-9A-Fa-f.:]+$ ]] || { echo "load-balancer: ELASTIC_LB_SOURCE must be an address" >&2; exit 2; }
  source_line="  source $ELASTIC_LB_SOURCE"
fi

config="${ELASTIC_LB_CONFIG:-}"
if [[ -z $config ]]; then
  config="$(mktemp "${TMPDIR:-/tmp}/elastic-lb.XXXXXX")"
  trap 'rm -f "$config"' EXIT
fi
{
  cat <<EOF
global
  maxconn 4096
$socket_line

defaults
  mode http
  option forwardfor
  # a connection refused is tried on another instance; a request that went out never is (a create
  # that an instance carried out before it died must not be carried out twice)
  retries 2
  option redispatch
  retry-on conn-failure
  timeout connect 5s
  # inactivity, not duration: the instances bound slow clients themselves (elastic.http.*)
  timeout client 60s
  # a start waits for its host's answer (up to three bus timeouts)
  timeout server 300s
  timeout http-keep-alive 20s
  # a browser console's WebSocket, once upgraded: quiet while the guest's screen does not change;
  # the instances close idle consoles themselves (elastic.console.idle-timeout, 15 min)
  timeout tunnel 16m
  # what HAProxy answers itself (no instance up, an instance failing mid-reply, one too slow) in
  # the API's own shape: a text body and the error type in X-Elastic-Error
  http-error status 502 content-type text/plain hdr X-Elastic-Error system string "the API instance failed to answer; try again"
  http-error status 503 content-type text/plain hdr X-Elastic-Error system string "no API instance is available; try again"
  http-error status 504 content-type text/plain hdr X-Elastic-Error system string "the API instance did not answer in time; try again"

frontend api
  bind $listen
  default_backend instances

backend instances
  balance roundrobin
  option httpchk GET /actuator/health
  http-check expect status 200
  # a busy instance answers its check slowly; a dead one refuses it at once
  timeout check 5s
  default-server check inter 2s fall 3 rise 2 maxconn $maxconn
  # when every check fails, every instance still gets requests (round-robin over the backups)
  option allbackups
EOF
  [[ -n $source_line ]] && echo "$source_line"
  # named by address, so that a name stays the instance's when the list changes
  for instance in "$@"; do
    echo "  server $instance $instance"
  done
  for instance in "$@"; do
    echo "  server $instance-unchecked $instance backup no-check"
  done
} > "$config"

haproxy -c -q -f "$config"
echo "load-balancer: $listen -> $* (config $config)"
# not exec: the trap removes the generated file once HAProxy ends (it stops on SIGTERM or SIGINT)
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT
haproxy -W -db -f "$config" &
pid=$!
wait "$pid" || true
wait "$pid" 2>/dev/null || true
