#!/usr/bin/env bash
# Starts, without systemd, the services the system and its tests use, where they do not run yet:
# virtlogd and libvirtd (the hypervisor), PostgreSQL on 127.0.0.1:5432 and RabbitMQ on
# 127.0.0.1:5672, with the cloud's own RabbitMQ user and virtual host (deploy/rabbitmq-user.sh).
# Then what the system tests of NBD over TLS need: a client certificate for libvirt's QEMU
# (nbd_tls_client below) and the loopback address their exports listen on (nbd_test_route).
# Every wait is bounded; a service that does not come up fails the script.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

log() { echo "start-services: $*"; }

# true when something accepts TCP connections on 127.0.0.1:$1
port_open() { timeout 2 bash -c "exec 3<>/dev/tcp/127.0.0.1/$1" 2>/dev/null; }

# wait_for SECONDS DESCRIPTION COMMAND...: polls COMMAND twice a second until it succeeds
wait_for() {
  local seconds=$1 what=$2
  shift 2
  local deadline=$((SECONDS + seconds))
  until "$@"; do
    if ((SECONDS >= deadline)); then
      log "$what: not ready after ${seconds}s"
      return 1
    fi
    sleep 0.5
  done
}

running() { pgrep -x "$1" >/dev/null; }

libvirt_answers() { timeout 5 virsh -c qemu:///system version >/dev/null 2>&1; }

start_libvirt() {
  if ! command -v libvirtd >/dev/null; then
    log "libvirtd is not installed (deploy/install-deps.sh installs it)"
    return 1
  fi
  if running virtlogd; then
    log "virtlogd already running"
  else
    virtlogd -d
    log "virtlogd started"
  fi
  if running libvirtd && libvirt_answers; then
    log "libvirtd already running"
    return 0
  fi
  if ! running libvirtd; then
    libvirtd -d
  fi
  wait_for 60 "libvirtd (qemu:///system)" libvirt_answers
  log "libvirtd answers on qemu:///system"
}

postgres_ready() {
  if command -v pg_isready >/dev/null; then
    pg_isready -q -h 127.0.0.1 -p 5432 -t 2
  else
    port_open 5432
  fi
}

start_postgres() {
  if postgres_ready; then
    log "PostgreSQL already accepting connections on 127.0.0.1:5432"
    return 0
  fi
  if ! command -v pg_ctlcluster >/dev/null || [[ ! -d /etc/postgresql ]]; then
    log "PostgreSQL is not installed (deploy/install-deps.sh installs it)"
    return 1
  fi
  local version
  for version in $(ls /etc/postgresql); do
    if [[ -d /etc/postgresql/$version/main ]]; then
      # "already running" is not an error here
      timeout 60 pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    fi
  done
  wait_for 60 "PostgreSQL on 127.0.0.1:5432" postgres_ready
  log "PostgreSQL accepts connections on 127.0.0.1:5432"
}

start_rabbitmq() {
  if port_open 5672; then
    log "RabbitMQ already listening on 127.0.0.1:5672"
    return 0
  fi
  if ! command -v rabbitmq-server >/dev/null; then
    log "RabbitMQ is not installed (deploy/install-deps.sh installs it)"
    return 1
  fi
  # the package's own scripts run the broker as the rabbitmq user when started as root
  timeout 60 rabbitmq-server -detached
  wait_for 120 "RabbitMQ on 127.0.0.1:5672" port_open 5672
  log "RabbitMQ listens on 127.0.0.1:5672"
}

# The system tests' NBD over TLS (MultiHostGuestTest), with deploy/internal-ca.sh: a CA of their
# own in /etc/elastic/test-ca (made once; a test's storage process gets its server certificate
# from it), this host's certificate in /etc/elastic/test-host and in QEMU's layout in
# /etc/pki/qemu, the default of qemu.conf's nbd_tls_x509_cert_dir (qemu.conf is not changed): for
# a disk with tls='yes' libvirt gives its QEMU ca-cert.pem, client-cert.pem and client-key.pem from
# there. QEMU runs as libvirt-qemu: the client key is group libvirt-qemu, 0640, set again at every
# run (the script rewrites the keys). A client certificate of another CA there (an operator's, on
# a hypervisor host) is left alone.
nbd_tls_client() {
  local dir=/etc/pki/qemu ca=/etc/elastic/test-ca
  if [[ -f $dir/client-cert.pem ]] && ! openssl verify -CAfile "$ca/ca-cert.pem" "$dir/client-cert.pem" >/dev/null 2>&1; then
    log "$dir/client-cert.pem is of another CA: kept (the NBD TLS system tests need one of $ca)"
    return 0
  fi
  # (called after ||, where set -e does not stop a function: each step returns its failure)
  "$here/internal-ca.sh" ca --ca-dir "$ca" || return 1
  "$here/internal-ca.sh" host "$(hostname)" 127.0.0.1 --ca-dir "$ca" --out /etc/elastic/test-host --qemu-dir "$dir" \
    || return 1
  if getent group libvirt-qemu >/dev/null; then
    chgrp libvirt-qemu "$dir/client-key.pem" && chmod 0640 "$dir/client-key.pem" || return 1
  fi
  log "NBD TLS client certificate of $ca in $dir"
}

# 127.0.109.1 with quickack (the tests' nbd.address, MultiHostGuestTest): QEMU 7.2's NBD server
# (Debian 12) sends each reply as several TLS records without TCP_NODELAY or cork, so a reply waits
# for the client's delayed ACK, 40 ms a request (a guest's boot takes minutes; fixed in QEMU 8.0).
# Hypervisor hosts need the same on their route to the storage network (docs/operations.md).
nbd_test_route() {
  ip route replace local 127.0.109.1 dev lo table local src 127.0.109.1 quickack 1
}

failed=()
start_libvirt || failed+=(libvirt)
start_postgres || failed+=(postgresql)
if start_rabbitmq; then
  "$here/rabbitmq-user.sh" || failed+=(rabbitmq-user)
else
  failed+=(rabbitmq)
fi

nbd_tls_client || failed+=(nbd-tls-client)
nbd_test_route || failed+=(nbd-test-route)

if ((${#failed[@]})); then
  log "FAILED to start: ${failed[*]}"
  exit 1
fi
log "all services up"
