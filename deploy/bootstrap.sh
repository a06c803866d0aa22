#!/usr/bin/env bash
# Starts the system on a fresh Debian/Ubuntu machine, as root: installs what it needs, starts the
# services it uses, builds it, and runs it in the foreground on port ${SERVER_PORT:-8080} with its
# data in ./data of the current directory (see deploy/run-single-host.sh for the settings).
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

"$here/install-deps.sh"
"$here/start-services.sh"
# VNC TLS for vnc:tls on guests: a CA and this host's certificate in the agent's default directory
"$here/vnc-tls-certs.sh" /etc/pki/libvirt-vnc
(cd "$repo" && mvn -B -q -DskipTests package)
exec "$here/run-single-host.sh" "$@"
