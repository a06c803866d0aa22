#!/usr/bin/env bash
# The LVM data path benchmark (issue 14; docs/performance.md, "LVM drives"), as root, one command:
# builds the system's jar when missing, starts a storage box of its own
# (deploy/storage-box/start.sh), starts the single-host system (deploy/run-single-host.sh) with one
# lvm pool in that box, makes a customer and a 2 GiB aes-xts-plain drive, then in the same run,
# over a few repeats: 1 GiB uploaded through the API (gzipped 4 MiB chunks) and downloaded, against
# dd of 1 GiB into and out of the same volume's dm-crypt device inside the box, and the NBD link
# alone (qemu-img bench against an export of that device). Prints MiB/s of each and the ratios;
# the body is bench/lvm.py. Stops the system and the box and removes its files at the end.
#
# Needs: root, java 17, maven (for the build), python3, qemu-img, qemu-system-x86 (the box).
# About 15 minutes on 2 cores (the box is a TCG guest).
#
# Environment:
#   BENCH_BOX_IP        the box's address (default 169.254.77.60)
#   BENCH_REPEATS       repeats (default 3); the median of each figure is kept
#   BENCH_IN_FLIGHT     API requests in flight, and the NBD baseline's depth (default 4)
#   BENCH_SIZE_MIB      bytes moved each way (default 1024; a multiple of 4)
#   BENCH_NBD=0         skip the NBD baseline
#   BENCH_COLD=0        skip the download timed first after each start of the system (before the
#                       service knows any of the volume's ranges written: every sector's ciphertext
#                       is checked for holes)
#   BENCH_SYSTEM_JAVA_OPTS  JAVA_OPTS of the system (default empty)
#   ELASTIC_BOX_MEMORY  the box's memory in MiB (start.sh's default, 256)
#   BENCH_KEEP=1        keep the work directory (the system's log) at the end
#   BENCH_PIN=0         do not pin: by default (2 CPUs or more) the box's QEMU runs on the last
#                       CPU and the system and client on the others, as on two machines
#   ELASTIC_BOX_CPUS    the box's vCPUs (start.sh's default, 1)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ $(id -u) -eq 0 ]] || { echo "bench/lvm: run as root (the storage box needs a bridge and a tap)" >&2; exit 1; }
for tool in java python3 qemu-img qemu-system-x86_64; do
  command -v "$tool" >/dev/null || { echo "bench/lvm: $tool is missing" >&2; exit 1; }
done
size_mib="${BENCH_SIZE_MIB:-1024}"
((size_mib % 4 == 0 && size_mib <= 2040)) || { echo "bench/lvm: BENCH_SIZE_MIB must be a multiple of 4, at most 2040" >&2; exit 2; }
box_ip="${BENCH_BOX_IP:-169.254.77.60}"

if [[ ! -f $repo/launcher/target/elastic-cloud.jar ]]; then
  echo "bench/lvm: building the system (mvn package)"
  (cd "$repo" && mvn -q -B -pl launcher -am package -DskipTests)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/elastic-bench-lvm.XXXXXX")"
cleanup() {
  "$repo/deploy/storage-box/stop.sh" "$work/box" >/dev/null 2>&1 || true
  if [[ ${BENCH_KEEP:-} == 1 ]]; then
    rm -f "$work"/box/pv-*.img
    echo "bench/lvm: kept $work"
  else
    rm -rf "$work"
  fi
}
trap cleanup EXIT

echo "bench/lvm: starting a storage box at $box_ip (one 4 GiB disk, VG elastic)"
"$repo/deploy/storage-box/start.sh" "lvmbench-${box_ip##*.}" "$work/box" --ip "$box_ip" --disks 1 \
  --disk-size 4G --vg elastic

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
pin=()
layout="box with ${ELASTIC_BOX_CPUS:-1} vCPU(s), not pinned"
if [[ ${BENCH_PIN:-1} == 1 ]] && (($(nproc) >= 2)); then
  # two machines on one: the box (every thread of its QEMU) on the last CPU, the system and the
  # client on the others, so neither takes the other's CPU time (see docs/performance.md)
  last=$(($(nproc) - 1))
  taskset -a -p -c "$last" "$(cat "$work/box/qemu.pid")" >/dev/null
  pin=(taskset -c "0-$((last - 1))")
  layout="box with ${ELASTIC_BOX_CPUS:-1} vCPU(s) pinned to CPU $last, system and client to CPUs 0-$((last - 1))"
fi
echo "bench/lvm: $layout"
BENCH_LAYOUT=$layout BENCH_PORT=$port "${pin[@]}" python3 "$repo/bench/lvm.py" "$repo" "$work" "$box_ip" "$work/box/qga.sock"
