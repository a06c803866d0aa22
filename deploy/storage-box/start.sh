#!/usr/bin/env bash
# Starts a storage box (see build.sh): a TCG guest whose raw sparse disks DIR/pv-K.img are the
# PVs of one LVM volume group, reached by the host through its guest agent socket and over NBD on
# a host bridge. Run as root (bridge and tap).
#
#   deploy/storage-box/start.sh NAME DIR [--disks N] [--disk-size SIZE] [--ip 169.254.77.X] [--vg VG]
#
# Defaults: 2 disks of 8G, ip 169.254.77.11, vg elastic; the settings a box came up with are kept
# in DIR/box.conf as the defaults of the next start of the same DIR. Disks are created only when
# missing and every existing DIR/pv-K.img is attached (a VG never loses a PV). The bridge elastic-box gets
# 169.254.77.1/24 (idempotent); the box's tap is ebox-X (X = last octet of its address).
# Waits up to ELASTIC_BOX_TIMEOUT seconds (120) for ELASTIC-STORAGE-BOX-READY, then prints
#   agent=DIR/qga.sock address=169.254.77.X vg=VG pid=PID
# ELASTIC_BOX_MEMORY sets the box's memory in MiB (256; 192 is the floor, see README.md).
# ELASTIC_BOX_CPUS sets its virtual CPUs (1).
# On failure: exit status 1, the tail of DIR/console.log on stderr, and the box stopped.
# The kernel and initrd come from ELASTIC_BOX_BUILD (default $ELASTIC_BOX_CACHE/build, cache
# default /var/cache/elastic/storage-box), built there when missing or made by an older build.sh.
set -euo pipefail

HERE=$(cd "$(dirname "$0")" && pwd)
BRIDGE=elastic-box
BRIDGE_ADDR=169.254.77.1/24
CACHE=${ELASTIC_BOX_CACHE:-/var/cache/elastic/storage-box}
BUILD=${ELASTIC_BOX_BUILD:-$CACHE/build}
TIMEOUT=${ELASTIC_BOX_TIMEOUT:-120}
MEMORY=${ELASTIC_BOX_MEMORY:-256}
CPUS=${ELASTIC_BOX_CPUS:-1}

fail() { echo "storage-box start: $*" >&2; exit 1; }
usage() { fail "usage: $0 NAME DIR [--disks N] [--disk-size SIZE] [--ip 169.254.77.X] [--vg VG]"; }

[[ $# -ge 2 ]] || usage
NAME=$1 DIR=$2
shift 2
[[ $NAME =~ ^[A-Za-z0-9_.-]{1,64}$ ]] || fail "NAME must be 1-64 of [A-Za-z0-9_.-]: $NAME"
[[ $(id -u) -eq 0 ]] || fail "run as root (it makes a bridge and a tap)"
mkdir -p "$DIR"
DIR=$(cd "$DIR" && pwd)

disks=2 disk_size=8G ip=169.254.77.11 vg=elastic
if [[ -f $DIR/box.conf ]]; then
    while IFS='=' read -r key value; do
        case $key in
            disks) disks=$value ;;
            disk_size) disk_size=$value ;;
            ip) ip=$value ;;
            vg) vg=$value ;;
        esac
    done < "$DIR/box.conf"
fi
while [[ $# -gt 0 ]]; do
    [[ $# -ge 2 ]] || usage
    case $1 in
        --disks) disks=$2 ;;
        --disk-size) disk_size=$2 ;;
        --ip) ip=$2 ;;
        --vg) vg=$2 ;;
        *) usage ;;
    esac
    shift 2
done
[[ $disks =~ ^[1-9][0-9]?$ ]] || fail "--disks must be 1-99: $disks"
[[ $disk_size =~ ^[0-9]+[KMGT]?$ ]] || fail "--disk-size must be like 8G: $disk_size"
[[ $ip =~ ^169\.254\.77\.([0-9]{1,3})$ ]] || fail "--ip must be in 169.254.77.0/24: $ip"
octet=${BASH_REMATCH[1]}
((octet >= 2 && octet <= 254)) || fail "--ip 169.254.77.$octet: .0, .1 (the bridge) and .255 are taken"
[[ $vg =~ ^[A-Za-z0-9_][A-Za-z0-9_+.-]{0,62}$ ]] || fail "--vg is not a valid VG name: $vg"

if [[ -f $DIR/qemu.pid ]] && kill -0 "$(cat "$DIR/qemu.pid")" 2>/dev/null; then
    fail "a box already runs from $DIR (pid $(cat "$DIR/qemu.pid")): deploy/storage-box/stop.sh $DIR"
fi
command -v qemu-system-x86_64 >/dev/null || fail "missing qemu-system-x86_64: apt-get install qemu-system-x86"

# the kernel and initrd, rebuilt when missing or made by another version of build.sh
want=$(sha256sum "$HERE/build.sh" | cut -d' ' -f1)
if ! grep -qxF "build-script $want" "$BUILD/manifest" 2>/dev/null \
        || [[ ! -f $BUILD/vmlinuz || ! -f $BUILD/initrd.gz ]]; then
    mkdir -p "$BUILD"
    (
        # boxes started side by side build once
        flock -w 600 9 || fail "another build of $BUILD did not finish within 600 s"
        if ! grep -qxF "build-script $want" "$BUILD/manifest" 2>/dev/null; then
            echo "storage-box start: building the box into $BUILD" >&2
            sh "$HERE/build.sh" "$BUILD" > /dev/null
        fi
    ) 9> "$BUILD/.lock"
fi

# the disks: raw sparse files, created only when missing
drives=()
k=1
while [[ $k -le $disks || -f $DIR/pv-$k.img ]]; do
    img=$DIR/pv-$k.img
    [[ -f $img ]] || truncate -s "$disk_size" "$img"
    drives+=(-drive "file=$img,format=raw,if=none,id=pv$k,discard=unmap,detect-zeroes=unmap"
             -device "virtio-blk-pci,drive=pv$k,serial=pv-$k")
    k=$((k + 1))
done

# the bridge (idempotent) and this box's tap on it
# (boxes may start side by side: every step must hold when another start made it first)
ip link add "$BRIDGE" type bridge 2>/dev/null || ip link show "$BRIDGE" >/dev/null
ip addr replace "$BRIDGE_ADDR" dev "$BRIDGE"
ip link set "$BRIDGE" up
# the box's link is this host's own, as a real storage host's devices are its own: nothing is
# forwarded to or from it (a guest routed through this host must not reach the box's exports)
for dir in -i -o; do
    iptables -C FORWARD "$dir" "$BRIDGE" -j DROP 2>/dev/null || iptables -I FORWARD "$dir" "$BRIDGE" -j DROP
done
tap=ebox-$octet
# a tap with carrier has a QEMU on it: another box has this address
if [[ $(cat "/sys/class/net/$tap/carrier" 2>/dev/null) == 1 ]]; then
    fail "169.254.77.$octet is taken: its tap $tap is in use by another box"
fi
ip link del "$tap" 2>/dev/null || true
ip tuntap add dev "$tap" mode tap
ip link set "$tap" master "$BRIDGE"
ip link set "$tap" up
echo "$tap" > "$DIR/tap"
mac=$(printf '52:54:00:a9:4d:%02x' "$octet")

rm -f "$DIR/qemu.pid" "$DIR/qga.sock"
[[ -f $DIR/console.log ]] && mv "$DIR/console.log" "$DIR/console.previous.log"
: > "$DIR/console.log"
if ! qemu-system-x86_64 -name "storage-box-$NAME" \
        -accel tcg,tb-size=64 -cpu max -m "$MEMORY" -smp "$CPUS" -nodefaults -display none -no-reboot \
        -kernel "$BUILD/vmlinuz" -initrd "$BUILD/initrd.gz" \
        -append "console=ttyS0,115200 loglevel=3 panic=-1 elastic.ip=$ip/24 elastic.vg=$vg" \
        -serial "file:$DIR/console.log" \
        -device virtio-serial-pci \
        -chardev "socket,id=qga,path=$DIR/qga.sock,server=on,wait=off" \
        -device virtserialport,chardev=qga,name=org.qemu.guest_agent.0 \
        -netdev "tap,id=net0,ifname=$tap,script=no,downscript=no" \
        -device "virtio-net-pci,netdev=net0,mac=$mac" \
        "${drives[@]}" \
        -pidfile "$DIR/qemu.pid" -daemonize 2> "$DIR/qemu.err"; then
    ip link del "$tap" 2>/dev/null || true
    fail "qemu-system-x86_64 did not start: $(cat "$DIR/qemu.err")"
fi
pid=$(cat "$DIR/qemu.pid")

deadline=$((SECONDS + TIMEOUT))
while ! grep -q "^ELASTIC-STORAGE-BOX-READY vg=$vg" "$DIR/console.log"; do
    if grep -q "^ELASTIC-STORAGE-BOX-FAILED" "$DIR/console.log" || ! kill -0 "$pid" 2>/dev/null \
            || ((SECONDS >= deadline)); then
        echo "storage-box start: box $NAME not ready (pid $pid); console tail:" >&2
        tail -n 30 "$DIR/console.log" >&2
        "$HERE/stop.sh" "$DIR" >&2 || true
        exit 1
    fi
    sleep 0.2
done
# kept only once the box came up with them: a mistaken option does not become the default
printf 'disks=%s\ndisk_size=%s\nip=%s\nvg=%s\n' "$disks" "$disk_size" "$ip" "$vg" > "$DIR/box.conf"
echo "agent=$DIR/qga.sock address=$ip vg=$vg pid=$pid"
