#!/bin/sh
# Builds the storage box: a Debian kernel and a busybox initramfs carrying lvm2, cryptsetup,
# dmsetup, thin-provisioning-tools, qemu-storage-daemon and qemu-guest-agent. Booted under TCG
# (deploy/storage-box/start.sh), its virtual disks become LVM physical volumes with a thin pool,
# driven only through the guest agent and reached over NBD, on hosts without device-mapper.
#
#   deploy/storage-box/build.sh OUTDIR
#
# Writes OUTDIR/vmlinuz, OUTDIR/initrd.gz and OUTDIR/manifest (what went in, with versions).
# The kernel, busybox and qemu-storage-daemon come from the host (linux-image-amd64,
# busybox-static, qemu-system-x86 from deploy/install-deps.sh). lvm2, cryptsetup and the guest
# agent only the box needs: their .debs are fetched once with `apt-get download` into
# $ELASTIC_BOX_CACHE/debs (default /var/cache/elastic/storage-box) and unpacked with dpkg -x;
# nothing is installed on the host. Each binary goes in with its ldd closure.
#
# What the box does at boot (its /init, below):
#   - loads its modules, sets eth0 to elastic.ip=A.B.C.D/NN from the kernel command line;
#   - starts qemu-ga on the virtio-serial port named org.qemu.guest_agent.0;
#   - makes every blank /dev/vd* a PV of the VG elastic.vg=NAME (creating the VG and a thin pool
#     NAME/thinpool on first boot, extending the VG with disks added later), activates the VG;
#   - prints ELASTIC-STORAGE-BOX-READY vg=NAME on the serial console (or
#     ELASTIC-STORAGE-BOX-FAILED reason=... when it cannot).
set -eu

OUT=${1:?usage: $0 OUTDIR}
CACHE=${ELASTIC_BOX_CACHE:-/var/cache/elastic/storage-box}
DEBS="lvm2 liblvm2cmd2.03 libdevmapper-event1.02.1 dmeventd thin-provisioning-tools cryptsetup-bin dmsetup qemu-guest-agent"

fail() { echo "storage-box build: $*" >&2; exit 1; }

KERNEL=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$KERNEL" ] || fail "no Debian kernel in /boot: apt-get install linux-image-amd64"
KVER=${KERNEL#/boot/vmlinuz-}
MODDIR=/lib/modules/$KVER
[ -e "$MODDIR/modules.dep" ] || fail "missing $MODDIR/modules.dep: apt-get install linux-image-amd64"
[ -x /bin/busybox ] && ldd /bin/busybox 2>&1 | grep -q "not a dynamic executable" \
    || fail "missing a static /bin/busybox: apt-get install busybox-static"
[ -x /usr/bin/qemu-storage-daemon ] || fail "missing /usr/bin/qemu-storage-daemon: apt-get install qemu-system-x86"
for tool in cpio gzip ldd dpkg-deb apt-get; do
    command -v $tool >/dev/null || fail "missing $tool on the host"
done

# The box's own packages, downloaded only when their .deb is not in the cache yet.
mkdir -p "$CACHE/debs"
missing=
for p in $DEBS; do
    ls "$CACHE/debs/${p}_"*.deb >/dev/null 2>&1 || missing="$missing $p"
done
if [ -n "$missing" ]; then
    echo "storage-box build: downloading$missing into $CACHE/debs" >&2
    (cd "$CACHE/debs" && timeout 600 apt-get -q -o APT::Sandbox::User=root download $missing >&2) \
        || fail "could not download$missing (apt-get download; is a Debian mirror reachable?)"
fi

mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
DEBROOT=$WORK/deb
ROOT=$WORK/root
mkdir -p "$DEBROOT"
for p in $DEBS; do
    deb=$(ls "$CACHE/debs/${p}_"*.deb | sort -V | tail -n 1)
    dpkg -x "$deb" "$DEBROOT"
    echo "deb $(dpkg-deb -f "$deb" Package) $(dpkg-deb -f "$deb" Version)" >> "$WORK/manifest"
done

mkdir -p "$ROOT"/bin "$ROOT"/sbin "$ROOT"/usr/bin "$ROOT"/usr/sbin "$ROOT"/lib/x86_64-linux-gnu \
    "$ROOT"/lib64 "$ROOT"/proc "$ROOT"/sys "$ROOT"/dev "$ROOT"/tmp "$ROOT"/run "$ROOT"/etc/lvm \
    "$ROOT"/lib/modules/"$KVER"
ln -s lib "$ROOT"/usr/lib
mkdir -p "$ROOT"/var
ln -s ../run "$ROOT"/var/run
cp /bin/busybox "$ROOT"/bin/busybox
ln -s busybox "$ROOT"/bin/sh
# lvm runs /sbin/modprobe for a device-mapper target that is not loaded yet
ln -s ../bin/busybox "$ROOT"/sbin/modprobe

# Copies a binary and every shared library it loads (resolved against the unpacked .debs first,
# then the host); a library found nowhere fails the build with its name.
LIBPATH=$DEBROOT/lib/x86_64-linux-gnu:$DEBROOT/usr/lib/x86_64-linux-gnu
add_binary() {
    src=$1 dst=$2
    [ -e "$src" ] || fail "missing $src"
    cp -L "$src" "$ROOT$dst"
    LD_LIBRARY_PATH=$LIBPATH ldd "$src" > "$WORK/ldd" 2>&1 || fail "ldd $src failed: $(cat "$WORK/ldd")"
    if grep -q "not found" "$WORK/ldd"; then
        fail "$src needs libraries found neither in the .debs nor on the host: $(grep "not found" "$WORK/ldd" | awk '{print $1}' | tr '\n' ' ')"
    fi
    for lib in $(awk '$2 == "=>" && $3 ~ /^\// {print $3}' "$WORK/ldd"); do
        [ -e "$ROOT/lib/x86_64-linux-gnu/$(basename "$lib")" ] || cp -L "$lib" "$ROOT/lib/x86_64-linux-gnu/"
    done
}
add_binary "$DEBROOT/sbin/lvm" /sbin/lvm
add_binary "$DEBROOT/sbin/dmsetup" /sbin/dmsetup
add_binary "$DEBROOT/sbin/cryptsetup" /sbin/cryptsetup
add_binary "$DEBROOT/usr/sbin/pdata_tools" /usr/sbin/pdata_tools
add_binary "$DEBROOT/usr/sbin/qemu-ga" /usr/sbin/qemu-ga
add_binary /usr/bin/qemu-storage-daemon /usr/bin/qemu-storage-daemon
for tool in thin_check thin_repair thin_dump thin_restore thin_ls thin_trim thin_metadata_size; do
    ln -s pdata_tools "$ROOT/usr/sbin/$tool"
done
for cmd in $(find "$DEBROOT/sbin" -type l -lname lvm -printf '%f\n'); do
    ln -s lvm "$ROOT/sbin/$cmd"
done
cp -L /lib64/ld-linux-x86-64.so.2 "$ROOT"/lib64/
# glibc loads libgcc_s when a thread exits or is cancelled (qemu-ga, qemu-storage-daemon)
[ -e "$ROOT"/lib/x86_64-linux-gnu/libgcc_s.so.1 ] || cp -L /lib/x86_64-linux-gnu/libgcc_s.so.1 "$ROOT"/lib/x86_64-linux-gnu/
echo "qemu-storage-daemon $(dpkg-query -W -f='${Version}' qemu-system-x86 2>/dev/null || echo unknown)" >> "$WORK/manifest"
echo "busybox $(dpkg-query -W -f='${Version}' busybox-static 2>/dev/null || echo unknown)" >> "$WORK/manifest"
echo "kernel $KVER" >> "$WORK/manifest"

# Modules in load order, each with what it depends on (modules.dep). crc32c_generic goes before
# dm_thin_pool: busybox modprobe ignores libcrc32c's softdep on crc32c, and libcrc32c fails without.
# af_alg, algif_skcipher and algif_hash are what cryptsetup probes the kernel's ciphers through.
MODULES="virtio_pci virtio_blk virtio_net virtio_console crc32c_generic libcrc32c dm_mod dm_crypt dm_thin_pool dm_snapshot xts aesni_intel af_alg algif_skcipher algif_hash"
: > "$WORK/deps"
queue=$MODULES
while [ -n "$queue" ]; do
    set -- $queue
    mod=$1; shift; queue="$*"
    pattern=$(echo "$mod" | sed 's/[-_]/[-_]/g')
    line=$(grep -E "(^|/)$pattern\.ko(\.[a-z]+)?:" "$MODDIR/modules.dep" | head -n 1) || true
    if [ -z "$line" ]; then
        grep -qE "/$pattern\.ko" "$MODDIR/modules.builtin" && continue
        fail "module $mod not found for kernel $KVER"
    fi
    grep -qxF "$line" "$WORK/deps" && continue
    echo "$line" >> "$WORK/deps"
    for dep in ${line#*:}; do
        name=$(basename "$dep"); queue="$queue ${name%%.ko*}"
    done
done
while IFS= read -r line; do
    path=${line%%:*}
    mkdir -p "$ROOT/lib/modules/$KVER/$(dirname "$path")"
    cp "$MODDIR/$path" "$ROOT/lib/modules/$KVER/$path"
done < "$WORK/deps"
cp "$WORK/deps" "$ROOT/lib/modules/$KVER/modules.dep"
echo "modules $MODULES" >> "$WORK/manifest"

# No udev in the box: libdevmapper makes the /dev/mapper nodes itself. No lvmetad (gone in 2.03),
# no lvmpolld, no dmeventd monitoring. Only the virtual disks are PVs: the LVs and the dm-crypt
# devices on them hold customers' data, which LVM must never scan.
cat > "$ROOT"/etc/lvm/lvm.conf <<'CONF'
devices {
    filter = [ "a|^/dev/vd[a-z]+$|", "r|.*|" ]
    global_filter = [ "a|^/dev/vd[a-z]+$|", "r|.*|" ]
    obtain_device_list_from_udev = 0
    external_device_info_source = "none"
    use_devicesfile = 0
    multipath_component_detection = 0
    md_component_detection = 0
}
activation {
    udev_sync = 0
    udev_rules = 0
    verify_udev_operations = 0
    monitoring = 0
    thin_pool_autoextend_threshold = 100
}
global {
    use_lvmpolld = 0
    event_activation = 0
    thin_check_executable = "/usr/sbin/thin_check"
}
backup {
    backup = 1
    archive = 0
}
CONF

cat > "$ROOT"/init <<SCRIPT
#!/bin/sh
export PATH=/sbin:/usr/sbin:/usr/bin:/bin
# inherited by everything the agent runs: no udev to wait for, no warnings about the agent's fds
export DM_DISABLE_UDEV=1 LVM_SUPPRESS_FD_WARNINGS=1
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
mkdir -p /run/lock/lvm /run/cryptsetup /run/qemu-ga /etc/lvm/backup
exec < /dev/null
say() { echo "\$*" > /dev/console; }
die() { say "ELASTIC-STORAGE-BOX-FAILED reason=\$*"; while :; do sleep 3600; done; }
uptime_s() { cut -d' ' -f1 /proc/uptime; }

for m in $MODULES; do modprobe \$m || say "BOX module \$m failed"; done

ip= vg=
for w in \$(cat /proc/cmdline); do
    case \$w in
        elastic.ip=*) ip=\${w#elastic.ip=} ;;
        elastic.vg=*) vg=\${w#elastic.vg=} ;;
    esac
done
[ -n "\$ip" ] || die "no-elastic.ip"
[ -n "\$vg" ] || die "no-elastic.vg"

ip link set lo up
i=0; while [ ! -e /sys/class/net/eth0 ] && [ \$i -lt 50 ]; do sleep 0.1; i=\$((i+1)); done
ip addr add "\$ip" dev eth0 && ip link set eth0 up || die "eth0"

port=
i=0
while [ -z "\$port" ] && [ \$i -lt 50 ]; do
    for p in /sys/class/virtio-ports/*; do
        [ "\$(cat \$p/name 2>/dev/null)" = org.qemu.guest_agent.0 ] && port=/dev/\$(basename \$p)
    done
    [ -n "\$port" ] || { sleep 0.1; i=\$((i+1)); }
done
[ -n "\$port" ] || die "no-agent-port"
qemu-ga -m virtio-serial -p "\$port" -t /run/qemu-ga -f /run/qemu-ga.pid -l /run/qemu-ga.log &

# the disks: wait until their number stops changing (bounded)
i=0 last=-1
while [ \$i -lt 30 ]; do
    n=\$(ls -d /sys/block/vd* 2>/dev/null | wc -l)
    [ "\$n" -gt 0 ] && [ "\$n" = "\$last" ] && break
    last=\$n; i=\$((i+1)); sleep 0.2
done
disks=\$(ls -d /sys/block/vd* 2>/dev/null | sed 's|.*/|/dev/|')
[ -n "\$disks" ] || die "no-disks"

# a blank disk (its first MiB all zero) becomes a PV; a disk with anything else on it that LVM
# does not recognise is left alone (its bytes may be someone's volumes)
for d in \$disks; do
    lvm pvs "\$d" >/dev/null 2>&1 && continue
    if [ -z "\$(head -c 1048576 "\$d" | tr -d '\\000' | head -c 1)" ]; then
        lvm pvcreate -q "\$d" > /dev/null || die "pvcreate-\$d"
        say "BOX pvcreate \$d"
    else
        say "BOX disk \$d is neither blank nor a PV: left alone"
    fi
done
free_pvs=\$(lvm pvs --noheadings -o pv_name,vg_name 2>/dev/null | awk 'NF == 1 {print \$1}')
if ! lvm vgs "\$vg" >/dev/null 2>&1; then
    [ -n "\$free_pvs" ] || die "no-pvs-for-\$vg"
    lvm vgcreate -q "\$vg" \$free_pvs > /dev/null || die "vgcreate"
    say "BOX vgcreate \$vg \$(echo \$free_pvs)"
elif [ -n "\$free_pvs" ]; then
    lvm vgextend -q "\$vg" \$free_pvs > /dev/null || die "vgextend"
    say "BOX vgextend \$vg \$(echo \$free_pvs)"
fi
lvm vgchange -q -ay "\$vg" > /dev/null || die "vgchange"
if ! lvm lvs "\$vg/thinpool" >/dev/null 2>&1; then
    # most of the VG; LVM sizes the pool's metadata and its spare out of the rest. --zero y: a
    # block handed to a volume is zeroed first, so a new volume never shows a destroyed one's bytes
    lvm lvcreate -q --type thin-pool --zero y -l 95%FREE -n thinpool "\$vg" > /dev/null || die "thinpool"
    say "BOX thinpool \$(lvm lvs --noheadings --units m -o lv_size "\$vg/thinpool")"
fi
say "BOX uptime=\$(uptime_s)"
say "ELASTIC-STORAGE-BOX-READY vg=\$vg"
while :; do sleep 3600; done
SCRIPT
chmod 755 "$ROOT"/init

# each output replaced whole (a rename in OUT), the manifest last: it says the build is complete
(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -6) > "$OUT/initrd.gz.new"
cp "$KERNEL" "$OUT/vmlinuz.new"
echo "build-script $(sha256sum "$0" | cut -d' ' -f1)" >> "$WORK/manifest"
cp "$WORK/manifest" "$OUT/manifest.new"
mv "$OUT/initrd.gz.new" "$OUT/initrd.gz"
mv "$OUT/vmlinuz.new" "$OUT/vmlinuz"
mv "$OUT/manifest.new" "$OUT/manifest"
echo "$OUT/initrd.gz"
