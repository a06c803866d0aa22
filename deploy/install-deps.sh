#!/usr/bin/env bash
# Installs what the system and its tests need, on Debian or Ubuntu, as root. Idempotent: when
# everything is already installed it changes nothing and asks no package server anything.
set -euo pipefail

packages=(
  openjdk-17-jdk-headless maven            # build and run (Java 17)
  qemu-utils qemu-system-x86               # volumes (qemu-img, LUKS, NBD) and guests
  qemu-guest-agent                         # the storage box's command seam, tested against a real agent
  libvirt-daemon-system libvirt-clients    # the hypervisor the node agent drives
  dnsmasq-base                             # DHCP on libvirt networks
  dnsmasq-utils                            # dhcp_release: a stopped guest's lease is freed at once
  iproute2                                 # VLAN bridges and VXLAN (ip, bridge), network namespaces in tests
  iptables                                 # ebtables (-nft), iptables: libvirt's nwfilter, the guests' anti-spoofing
  postgresql rabbitmq-server               # the several-hosts mode: database and bus
  haproxy                                  # one address before several API instances (deploy/load-balancer.sh)
  socat                                    #   and its runtime API (ELASTIC_LB_SOCKET)
  systemd                                  # systemd-analyze: the units of deploy/systemd/ are verified in tests
  gzip curl                                # imaging, operator scripts
  openssl                                  # VNC TLS and data path certificates (deploy/vnc-tls-certs.sh, internal-ca.sh)
  wrk                                      # load tests on loopback
  tcpdump                                  # captures of the internal plane: no plaintext of an encrypted drive
  tmux                                     # the CLI's progress bar, checked in a real terminal
  python3-libcloud                         # Apache Libcloud's ElasticHosts driver, a real client
  linux-image-amd64 busybox-static cpio    # the tiny test guest (deploy/build-test-guest.sh)
  xorriso isolinux syslinux-common         #   and its bootable ISO
  docker.io debootstrap                    # the fault tests' containers (deploy/container-images.sh)
  chromium chromium-driver                 # the web pages' browser tests (headless, through Debian's chromedriver)
)

if [[ $(id -u) -ne 0 ]]; then
  echo "install-deps: run as root (apt-get install needs it)" >&2
  exit 1
fi
if ! command -v apt-get >/dev/null || ! command -v dpkg-query >/dev/null; then
  echo "install-deps: needs a Debian or Ubuntu system (apt-get, dpkg-query)" >&2
  exit 1
fi

missing=()
for p in "${packages[@]}"; do
  if [[ $(dpkg-query -W -f='${Status}' "$p" 2>/dev/null) != "install ok installed" ]]; then
    missing+=("$p")
  fi
done

if ((${#missing[@]} == 0)); then
  echo "install-deps: all ${#packages[@]} packages already installed"
  exit 0
fi

echo "install-deps: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
# without systemd, package scripts must not try to start daemons (start-services.sh does that);
# 101 = "action forbidden by policy", which invoke-rc.d honours
policy=/usr/sbin/policy-rc.d
made_policy=no
if [[ ! -e $policy ]]; then
  printf '#!/bin/sh\nexit 101\n' >"$policy"
  chmod 755 "$policy"
  made_policy=yes
fi
trap '[[ $made_policy == yes ]] && rm -f "$policy"' EXIT

apt_opts=(-o DPkg::Lock::Timeout=300 -o Acquire::Retries=3)
timeout 600 apt-get "${apt_opts[@]}" update -q
timeout 1800 apt-get "${apt_opts[@]}" install -y -q --no-install-recommends "${missing[@]}"
echo "install-deps: done"
