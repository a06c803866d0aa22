#!/usr/bin/env bash
# Stops a storage box started by start.sh from DIR: SIGTERM to its QEMU, SIGKILL after
# ELASTIC_BOX_STOP_SECONDS (10), then removes its tap. Keeps the disks (DIR/pv-K.img), box.conf
# and console.log: start.sh on the same DIR boots the same volumes again. Nothing running is fine.
#
#   deploy/storage-box/stop.sh DIR
set -euo pipefail

DIR=${1:?usage: $0 DIR}
WAIT=${ELASTIC_BOX_STOP_SECONDS:-10}
[[ -d $DIR ]] || { echo "storage-box stop: no directory $DIR" >&2; exit 1; }
DIR=$(cd "$DIR" && pwd)

if [[ -f $DIR/qemu.pid ]]; then
    pid=$(cat "$DIR/qemu.pid")
    # only the QEMU of this DIR: a stale pidfile's number may belong to another process by now
    if [[ $pid =~ ^[0-9]+$ ]] && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -qF "$DIR/qemu.pid"; then
        kill -TERM "$pid" 2>/dev/null || true
        end=$((SECONDS + WAIT))
        while kill -0 "$pid" 2>/dev/null && ((SECONDS < end)); do sleep 0.1; done
        if kill -0 "$pid" 2>/dev/null; then
            kill -KILL "$pid" 2>/dev/null || true
            for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        fi
    fi
    rm -f "$DIR/qemu.pid"
fi
if [[ -f $DIR/tap ]]; then
    ip link del "$(cat "$DIR/tap")" 2>/dev/null || true
    rm -f "$DIR/tap"
fi
rm -f "$DIR/qga.sock"
