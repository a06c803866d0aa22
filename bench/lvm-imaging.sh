#!/usr/bin/env bash
# The imaging benchmark of issue 14, as root, one command: a storage box of its own
# (deploy/storage-box/start.sh, two 12 GiB disks), one 10 GiB cipher-none library volume with
# 256 MiB of data spread over it, imaged through the storage service's imaging service by thin
# snapshot and, in the same run on the same backend, by the byte copy (its fallback path). Prints
# both times and their ratio, with the date, the commit and the machine. The body is the test
# class storage-service/src/test/java/io/elasticcloud/storage/lvm/LvmImagingBench.java, built and
# run offline with maven (the build's tests are not run). Stops the box and removes its files.
#
# Needs: root, java 17, maven with the project's dependencies in ~/.m2, qemu-system-x86 (the box),
# about 11 GiB free on the disk of TMPDIR (the byte copy writes every byte: the box's disks are
# sparse files). The byte copy dominates: through the TCG box's NBD exports it ran at 9 MiB/s on a
# busy 2-core machine, so 10 GiB took 19 minutes there (the whole run 20); BENCH_SIZE_GIB=1 takes
# about 4 minutes.
#
# Environment:
#   BENCH_BOX_IP    the box's address (default 169.254.77.52)
#   BENCH_SIZE_GIB  the library volume's size in GiB (default 10; the box's disks are sized for 10)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
[[ $(id -u) -eq 0 ]] || { echo "bench/lvm-imaging: run as root (the storage box needs a bridge and a tap)" >&2; exit 1; }
for tool in java mvn qemu-system-x86_64; do
  command -v "$tool" >/dev/null || { echo "bench/lvm-imaging: $tool is missing" >&2; exit 1; }
done
size_gib="${BENCH_SIZE_GIB:-10}"
[[ $size_gib =~ ^[0-9]+$ && $size_gib -ge 1 && $size_gib -le 10 ]] \
  || { echo "bench/lvm-imaging: BENCH_SIZE_GIB must be 1 to 10" >&2; exit 2; }

out="$(mktemp "${TMPDIR:-/tmp}/lvm-imaging-bench.XXXXXX")"
log="$out.log"
trap 'rm -f "$out" "$log"' EXIT

echo "bench/lvm-imaging: $(date -u '+%Y-%m-%d %H:%M UTC'), commit $(git -C "$repo" rev-parse --short HEAD 2>/dev/null || echo unknown)"
echo "bench/lvm-imaging: machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ *//'), $(uname -r)"
echo "bench/lvm-imaging: starting a storage box at ${BENCH_BOX_IP:-169.254.77.52}, a ${size_gib} GiB volume, both imagings"
start=$SECONDS
if ! (cd "$repo" && ELASTIC_LVM_IMAGING_BENCH=1 ELASTIC_LVM_IMAGING_BENCH_OUT="$out" \
      ELASTIC_LVM_IMAGING_BENCH_IP="${BENCH_BOX_IP:-169.254.77.52}" ELASTIC_LVM_IMAGING_BENCH_GIB="$size_gib" \
      mvn -B -o -q -pl storage-service -am verify -Dtest=LvmImagingBench -Dsurefire.failIfNoSpecifiedTests=false \
      >"$log" 2>&1); then
  tail -n 40 "$log" >&2
  echo "bench/lvm-imaging: failed" >&2
  exit 1
fi
[[ -s $out ]] || { tail -n 40 "$log" >&2; echo "bench/lvm-imaging: the benchmark did not run (no results)" >&2; exit 1; }
sed 's/^/bench\/lvm-imaging: /' "$out"
echo "bench/lvm-imaging: done in $((SECONDS - start)) s (build, box boot and data included)"
