#!/bin/sh
# Builds the tiny bootable guest the node agent's real-QEMU tests run: a Debian kernel and a
# busybox initramfs on an isolinux ISO, booted from a cdrom drive like a customer's install CD; the
# ISO is hybrid (isohdpfx MBR), so the same bytes imaged onto a disk drive boot as a hard disk too.
#
#   deploy/build-test-guest.sh OUTDIR
#
# Writes OUTDIR/test-guest.iso (and OUTDIR/vmlinuz, OUTDIR/initrd.gz for direct kernel boot).
# Needs the Debian packages linux-image-amd64 busybox-static cpio xorriso isolinux syslinux-common
# (deploy/install-deps.sh installs them). Nothing is downloaded here.
#
# What the guest does, on its serial console (ttyS0, 115200):
#   ELASTIC-TEST-GUEST-BOOTED                    once init runs
#   DISK name=sda bus=ide|scsi|virtio ro=0|1 sectors=N   one line per block device
#   NIC name=eth0 mac=xx:.. driver=e1000|8139too|virtio_net   one line per interface
#   DHCP name=eth0 ip=A.B.C.D   (or DHCP name=eth0 none) after udhcpc on the first NIC (but
#                                the private one of a test's instructions)
#   MARKER disk=/dev/vdb ELASTIC-TEST-MARKER boot=UUID   written at 1 MiB of a data drive, one
#                                whose first bytes are ELASTIC-TEST-DATA (or MARKER ... failed)
#   CONFIG disk=/dev/vdb         a test's instructions were found (see below)
#   PRIVATE name=eth1 ip=A.B.C.D the NIC with PRIVATE_MAC got PRIVATE_IP/PRIVATE_MASK
#   PING peer=A.B.C.D ok|none    per PING address: answered, or not within PING_SECONDS of boot
#   ELASTIC-TEST-GUEST-READY                     once it listens for the power button
#   ELASTIC-TEST-GUEST-POWEROFF                  when the ACPI power button was pressed
# A test gives a guest instructions on a raw disk whose first bytes are ELASTIC-TEST-CONFIG,
# followed by lines KEY=VALUE: PRIVATE_MAC, PRIVATE_IP, PRIVATE_MASK (configure that NIC), PING
# (addresses to ping, space-separated, each once a second until it answers) and PING_SECONDS (how
# long to keep trying, default 30, counted from when the guest read them).
# A spoofing guest (HostileNetworkTest), before its PINGs: SPOOF_IP=A.B.C.D adds that address to
# the public NIC and, each second for SPOOF_SECONDS (default 20), sends a gratuitous ARP for it
# and pings SPOOF_PING from it, then prints SPOOF ip=A.B.C.D arp=SENT ping=ok|none;
# SPOOF_MAC=OLD/NEW ... gives the NIC whose MAC is OLD the MAC NEW (SPOOF name=ethN mac=NEW).
# A rogue DHCP server (HostileNetworkTest): ROGUE_DHCP=FIRST-LAST runs busybox udhcpd on the public
# NIC offering FIRST..LAST with itself as router, then prints ROGUE_DHCP serving=FIRST-LAST router=IP.
# Keys typed on the guest's keyboard (a VNC console's) are echoed on its screen (tty1).
# The guest powers off on the ACPI power button: a background reader of the button's input device
# (button.ko + evdev) runs poweroff -f on its first event. (busybox acpid was tried first: it
# exits at once in this bare initramfs, and a 24-byte read needs no configuration.)
set -eu

OUT=${1:?usage: $0 OUTDIR}
mkdir -p "$OUT"
OUT=$(cd "$OUT" && pwd)

KERNEL=$(ls /boot/vmlinuz-*-amd64 2>/dev/null | sort -V | tail -n 1 || true)
[ -n "$KERNEL" ] || { echo "no Debian kernel in /boot: apt-get install linux-image-amd64" >&2; exit 1; }
KVER=${KERNEL#/boot/vmlinuz-}
MODDIR=/lib/modules/$KVER
BUSYBOX=/bin/busybox
for need in "$MODDIR/modules.dep" /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32; do
    [ -e "$need" ] || { echo "missing $need: apt-get install linux-image-amd64 isolinux syslinux-common" >&2; exit 1; }
done
ldd "$BUSYBOX" 2>&1 | grep -q "not a dynamic executable" \
    || { echo "missing /bin/busybox: apt-get install busybox-static" >&2; exit 1; }
command -v cpio >/dev/null || { echo "missing cpio: apt-get install cpio" >&2; exit 1; }
command -v xorriso >/dev/null || { echo "missing xorriso: apt-get install xorriso" >&2; exit 1; }

WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
ROOT=$WORK/root
mkdir -p "$ROOT"/bin "$ROOT"/sbin "$ROOT"/proc "$ROOT"/sys "$ROOT"/dev "$ROOT"/tmp "$ROOT"/etc \
    "$ROOT"/lib/modules/"$KVER"
cp "$BUSYBOX" "$ROOT"/bin/busybox
ln -s busybox "$ROOT"/bin/sh

# The drivers of every bus and NIC model the API offers, with what they depend on (modules.dep).
WANTED="ata_piix sd_mod sr_mod virtio_pci virtio_blk virtio_scsi virtio_net e1000 8139too 8139cp button evdev"
: > "$WORK/deps"
queue=$(echo "$WANTED" | tr - _)
while [ -n "$queue" ]; do
    set -- $queue
    mod=$1; shift; queue="$*"
    line=$(grep -E "(^|/)$mod\.ko(\.[a-z]+)?:" "$MODDIR/modules.dep" | head -n 1) || true
    [ -n "$line" ] || { echo "module $mod not found for kernel $KVER" >&2; exit 1; }
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

cat > "$ROOT"/etc/udhcpc.script <<'SCRIPT'
#!/bin/sh
if [ "$1" = bound ] || [ "$1" = renew ]; then
    ifconfig "$interface" "$ip" netmask "${subnet:-255.255.255.0}" up
fi
SCRIPT
chmod 755 "$ROOT"/etc/udhcpc.script

cat > "$ROOT"/init <<SCRIPT
#!/bin/sh
export PATH=/bin:/sbin
/bin/busybox --install -s /bin
mount -t proc proc /proc
mount -t sysfs sysfs /sys
mount -t devtmpfs devtmpfs /dev
echo ELASTIC-TEST-GUEST-BOOTED
for m in $WANTED; do modprobe \$m 2>/dev/null; done
# give the buses a moment to report their devices
i=0
while [ \$i -lt 20 ]; do
    n=\$(ls /sys/block | wc -l)
    [ "\$n" = "\${last:-}" ] && [ \$i -ge 6 ] && break
    last=\$n; i=\$((i+1)); sleep 0.5
done
for d in /sys/block/*; do
    name=\$(basename \$d)
    case \$name in loop*|ram*) continue ;; esac
    dev=\$(readlink -f \$d/device)
    case "\$name:\$dev" in
        vd*) bus=virtio ;;
        *ata[0-9]*) bus=ide ;;
        *virtio*) bus=scsi ;;
        *) bus=other ;;
    esac
    echo "DISK name=\$name bus=\$bus ro=\$(cat \$d/ro) sectors=\$(cat \$d/size)"
done
# a data drive: a disk whose first bytes are ELASTIC-TEST-DATA gets this boot's marker at 1 MiB
for d in /sys/block/*; do
    name=\$(basename \$d)
    case \$name in loop*|ram*|sr*) continue ;; esac
    [ "\$(head -c 17 /dev/\$name 2>/dev/null)" = ELASTIC-TEST-DATA ] || continue
    marker="ELASTIC-TEST-MARKER boot=\$(cat /proc/sys/kernel/random/boot_id)"
    if echo "\$marker" | dd of=/dev/\$name bs=1048576 seek=1 conv=notrunc 2>/dev/null && sync; then
        echo "MARKER disk=/dev/\$name \$marker"
    else
        echo "MARKER disk=/dev/\$name failed"
    fi
done
# a test's instructions: a disk whose first bytes are ELASTIC-TEST-CONFIG, then KEY=VALUE lines
conf=
for d in /sys/block/*; do
    name=\$(basename \$d)
    case \$name in loop*|ram*|sr*) continue ;; esac
    [ "\$(head -c 19 /dev/\$name 2>/dev/null)" = ELASTIC-TEST-CONFIG ] && conf=/dev/\$name
done
setting() { [ -f /tmp/config ] && sed -n "s/^\$1=//p" /tmp/config | head -n 1; }
if [ -n "\$conf" ]; then
    head -c 4096 \$conf | tr -d '\\000' > /tmp/config
    echo "CONFIG disk=\$conf"
fi
private=\$(setting PRIVATE_MAC)
first=
for n in /sys/class/net/*; do
    name=\$(basename \$n)
    [ "\$name" = lo ] && continue
    drv=\$(basename \$(readlink -f \$n/device/driver))
    echo "NIC name=\$name mac=\$(cat \$n/address) driver=\$drv"
    [ -n "\$first" ] || [ "\$(cat \$n/address)" = "\$private" ] || first=\$name
done
if [ -n "\$first" ]; then
    ifconfig "\$first" up
    if udhcpc -i "\$first" -n -q -f -t 4 -T 2 -s /etc/udhcpc.script >/dev/null 2>&1; then
        echo "DHCP name=\$first ip=\$(ifconfig \$first | sed -n 's/.*inet addr:\([0-9.]*\).*/\1/p')"
    else
        echo "DHCP name=\$first none"
    fi
fi
if [ -n "\$conf" ]; then
    for n in /sys/class/net/*; do
        [ -n "\$private" ] && [ "\$(cat \$n/address)" = "\$private" ] || continue
        ifconfig \$(basename \$n) \$(setting PRIVATE_IP) netmask \$(setting PRIVATE_MASK) up
        echo "PRIVATE name=\$(basename \$n) ip=\$(setting PRIVATE_IP)"
    done
    # a spoofing test's instructions: SPOOF_IP on the public NIC, then SPOOF_MAC, before the PINGs
    spoof=\$(setting SPOOF_IP)
    if [ -n "\$spoof" ] && [ -n "\$first" ]; then
        ip addr add \$spoof/32 dev \$first
        spoofed=none; sent=0
        until=\$(setting SPOOF_SECONDS)
        until=\$((\$(cut -d. -f1 /proc/uptime) + \${until:-20}))
        while [ \$(cut -d. -f1 /proc/uptime) -lt \$until ]; do
            arping -U -c 1 -s \$spoof -I \$first \$spoof >/dev/null 2>&1 && sent=\$((sent+1))
            ping -c 1 -W 1 -I \$spoof \$(setting SPOOF_PING) >/dev/null 2>&1 && spoofed=ok
            sleep 1
        done
        echo "SPOOF ip=\$spoof arp=\$sent ping=\$spoofed"
    fi
    for pair in \$(setting SPOOF_MAC); do
        for n in /sys/class/net/*; do
            [ "\$(cat \$n/address)" = "\${pair%/*}" ] || continue
            ifconfig \$(basename \$n) down
            ifconfig \$(basename \$n) hw ether \${pair#*/}
            ifconfig \$(basename \$n) up
            echo "SPOOF name=\$(basename \$n) mac=\$(cat \$n/address)"
        done
    done
    # a rogue DHCP server's instructions: ROGUE_DHCP=FIRST-LAST offers those addresses on the
    # public NIC, with itself as the router
    rogue=\$(setting ROGUE_DHCP)
    if [ -n "\$rogue" ] && [ -n "\$first" ]; then
        own=\$(ifconfig \$first | sed -n 's/.*inet addr:\([0-9.]*\).*/\1/p')
        printf 'start %s\nend %s\ninterface %s\nlease_file /tmp/udhcpd.leases\nopt router %s\nopt subnet 255.255.255.0\n' \
            \${rogue%-*} \${rogue#*-} \$first \$own > /tmp/udhcpd.conf
        touch /tmp/udhcpd.leases
        if udhcpd /tmp/udhcpd.conf; then echo "ROGUE_DHCP serving=\$rogue router=\$own"; else echo "ROGUE_DHCP failed"; fi
    fi
    seconds=\$(setting PING_SECONDS)
    end=\$((\$(cut -d. -f1 /proc/uptime) + \${seconds:-30}))
    for peer in \$(setting PING); do
        (
            while :; do
                if ping -c 1 -W 1 \$peer >/dev/null 2>&1; then echo "PING peer=\$peer ok"; break; fi
                if [ \$(cut -d. -f1 /proc/uptime) -ge \$end ]; then echo "PING peer=\$peer none"; break; fi
                sleep 1
            done
        ) &
    done
fi
# the ACPI power button (button.ko) is an input device: its first event powers the guest off
button=
for i in /sys/class/input/input*; do
    [ "\$(cat \$i/name)" = "Power Button" ] && button=/dev/input/\$(basename \$(ls -d \$i/event* | head -n 1))
done
if [ -n "\$button" ]; then
    # opened here, before READY: a press that comes before the reader runs is kept for it
    exec 3< \$button
    ( dd bs=24 count=1 <&3 >/dev/null 2>&1; echo ELASTIC-TEST-GUEST-POWEROFF; poweroff -f ) &
else
    echo "NO-POWER-BUTTON"
fi
# the screen's console (tty1) held open, its line discipline echoing: a key typed at the VNC
# console shows on the screen (the console benchmark's input-to-screen latency, bench/console.sh)
cat </dev/tty1 >/dev/null 2>&1 &
echo ELASTIC-TEST-GUEST-READY
while :; do sleep 3600; done
SCRIPT
chmod 755 "$ROOT"/init

(cd "$ROOT" && find . | cpio -o -H newc --quiet | gzip -9) > "$OUT/initrd.gz"
cp "$KERNEL" "$OUT/vmlinuz"

ISO=$WORK/iso
mkdir -p "$ISO/isolinux" "$ISO/boot"
cp /usr/lib/ISOLINUX/isolinux.bin /usr/lib/syslinux/modules/bios/ldlinux.c32 "$ISO/isolinux/"
cp "$OUT/vmlinuz" "$OUT/initrd.gz" "$ISO/boot/"
cat > "$ISO/isolinux/isolinux.cfg" <<'CFG'
SERIAL 0 115200
DEFAULT guest
PROMPT 0
TIMEOUT 0
LABEL guest
  KERNEL /boot/vmlinuz
  APPEND initrd=/boot/initrd.gz console=ttyS0,115200 loglevel=3 panic=-1
CFG
xorriso -as mkisofs -quiet -o "$OUT/test-guest.iso" -V ELASTIC_TEST -J -R \
    -isohybrid-mbr /usr/lib/ISOLINUX/isohdpfx.bin \
    -b isolinux/isolinux.bin -c isolinux/boot.cat -no-emul-boot -boot-load-size 4 -boot-info-table \
    "$ISO" 2>/dev/null
echo "$OUT/test-guest.iso"
