#!/usr/bin/env bash
# Makes the container images the fault tests run (integration-tests' ContainerFaultTest):
# local/postgres:15 and local/rabbitmq:3, built from Debian's packages, since no container registry
# is reachable from these machines. Starts dockerd first where it does not run (no systemd here).
# Idempotent: an image already in docker is kept and not built again, so only a first run pays
# (about 4-6 minutes: the Debian base by debootstrap, then both images).
#
# Environment:
#   ELASTIC_DEBIAN_MIRROR   Debian mirror for the base (default: the first of this host's apt sources)
#   ELASTIC_DOCKERD_LOG     dockerd's log when this script starts it (default /var/log/elastic-dockerd.log)
#
# A laptop with a registry needs none of this: the tests take the official images when
# ELASTIC_TEST_POSTGRES_IMAGE=postgres:15 and ELASTIC_TEST_RABBITMQ_IMAGE=rabbitmq:3 are set.
set -euo pipefail

log() { echo "container-images: $*"; }
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
base=local/debian-base:bookworm

if [[ $(id -u) -ne 0 ]]; then
  log "run as root (dockerd, debootstrap)"
  exit 1
fi
for tool in dockerd docker debootstrap; do
  command -v "$tool" >/dev/null || { log "$tool is missing (deploy/install-deps.sh installs it)"; exit 1; }
done

docker_answers() { timeout 5 docker version >/dev/null 2>&1; }

# dockerd as this machine tolerates it: no iptables rules, no forwarding or masquerading (the
# containers are reached through ports published on loopback only), and link-local networks
# away from the project's own (169.254.77.0/24 is the storage box bridge; tests use .0-.40,
# .201-.251): never a private network (172.16/12, 10/8, 192.168/16) nor the uplink's.
start_dockerd() {
  if docker_answers; then
    log "dockerd already running"
    return 0
  fi
  local out="${ELASTIC_DOCKERD_LOG:-/var/log/elastic-dockerd.log}"
  if ! pgrep -x dockerd >/dev/null; then
    # setsid: it must outlive this script and the test run that started it
    setsid dockerd --storage-driver=overlay2 --exec-opt native.cgroupdriver=cgroupfs \
      --iptables=false --ip6tables=false --ip-forward=false --ip-masq=false \
      --bip=169.254.90.1/24 --default-address-pool base=169.254.96.0/20,size=24 \
      --ip=127.0.0.1 >>"$out" 2>&1 </dev/null &
  fi
  local deadline=$((SECONDS + 60))
  until docker_answers; do
    if ((SECONDS >= deadline)); then
      log "dockerd does not answer after 60s; see $out"
      return 1
    fi
    sleep 0.5
  done
  log "dockerd started (log: $out)"
}

present() { docker image inspect "$1" >/dev/null 2>&1; }

mirror() {
  if [[ -n ${ELASTIC_DEBIAN_MIRROR:-} ]]; then
    echo "$ELASTIC_DEBIAN_MIRROR"
    return
  fi
  local found
  found=$(cat /etc/apt/sources.list.d/*.sources /etc/apt/sources.list 2>/dev/null |
    sed -n -e 's/^URIs: *\([^ ]*debian\/\?\)$/\1/p' -e 's/^deb \(\[[^]]*\] \)\?\([^ ]*debian\/\?\) .*/\2/p' |
    grep -v security | head -n 1 || true)
  echo "${found:-http://deb.debian.org/debian}"
}

build_base() {
  if present "$base"; then
    log "$base present, kept"
    return 0
  fi
  local dir started=$SECONDS
  dir=$(mktemp -d /var/tmp/elastic-debootstrap.XXXXXX)
  log "building $base with debootstrap from $(mirror) (1-3 minutes)"
  if ! debootstrap --variant=minbase bookworm "$dir" "$(mirror)" >"$dir.log" 2>&1; then
    rm -rf -- "$dir"
    log "debootstrap failed; see $dir.log"
    return 1
  fi
  tar -C "$dir" -c . | docker import - "$base" >/dev/null
  rm -rf -- "$dir" "$dir.log"
  log "$base built in $((SECONDS - started))s"
}

build_image() { # build_image NAME DIR
  local name=$1 dir=$2 started=$SECONDS
  if present "$name"; then
    log "$name present, kept"
    return 0
  fi
  log "building $name from $dir"
  # the legacy builder: the docker CLI here has no buildx; host network for apt
  DOCKER_BUILDKIT=0 docker build -q --network host --build-arg "BASE=$base" -t "$name" "$dir" >/dev/null
  log "$name built in $((SECONDS - started))s"
}

start_dockerd
build_base
build_image local/postgres:15 "$here/containers/postgres"
build_image local/rabbitmq:3 "$here/containers/rabbitmq"
