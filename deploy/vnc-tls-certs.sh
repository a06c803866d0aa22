#!/usr/bin/env bash
# Makes the x509 files of VNC TLS (VeNCrypt) for `vnc:tls on` guests, where they are missing:
#   deploy/vnc-tls-certs.sh [DIR [NAME...]]
# DIR (default /etc/pki/libvirt-vnc, the node agent's default elastic.agent.vnc-tls-dir) gets
#   ca-cert.pem      a CA certificate: give it to customers, their VNC clients verify the host with it
#   ca-key.pem       its key (0600): keep it, or move it away once the server certificate is made
#   server-cert.pem  the host's certificate, signed by the CA, for 127.0.0.1, localhost, the host
#                    name, every address of `hostname -I`, and each NAME (an IP address or DNS name)
#   server-key.pem   its key, readable by QEMU (libvirt's qemu user) and root only
# Files that exist are kept as they are (an operator's own certificates too). Needs openssl.
set -euo pipefail

dir=${1:-/etc/pki/libvirt-vnc}
shift $(($# > 0 ? 1 : 0))
command -v openssl >/dev/null || { echo "vnc-tls-certs: openssl is missing (deploy/install-deps.sh installs it)" >&2; exit 1; }

mkdir -p "$dir"
chmod 0755 "$dir"
cd "$dir"
days=3650

if [[ ! -f ca-cert.pem ]]; then
  (umask 077; openssl genrsa -out ca-key.pem 3072 2>/dev/null)
  openssl req -x509 -new -key ca-key.pem -sha256 -days "$days" -out ca-cert.pem \
    -subj "/CN=elastic-cloud VNC CA $(hostname)" \
    -addext basicConstraints=critical,CA:TRUE -addext keyUsage=critical,keyCertSign,cRLSign
  chmod 0644 ca-cert.pem
  echo "vnc-tls-certs: made the CA $dir/ca-cert.pem"
fi

if [[ ! -f server-cert.pem || ! -f server-key.pem ]]; then
  [[ -f ca-key.pem ]] || { echo "vnc-tls-certs: $dir has ca-cert.pem but no ca-key.pem to sign a server certificate" >&2; exit 1; }
  names=(DNS:localhost "DNS:$(hostname)" IP:127.0.0.1)
  for ip in $(hostname -I 2>/dev/null || true); do
    [[ $ip =~ ^[0-9.]+$ ]] && names+=("IP:$ip")
  done
  for name in "$@"; do
    if [[ $name =~ ^[0-9.]+$ || $name == *:* ]]; then names+=("IP:$name"); else names+=("DNS:$name"); fi
  done
  san=$(IFS=,; echo "${names[*]}")
  work=$(mktemp -d)
  trap 'rm -rf "$work"' EXIT
  (umask 077; openssl genrsa -out "$work/server-key.pem" 3072 2>/dev/null)
  openssl req -new -key "$work/server-key.pem" -subj "/CN=$(hostname)" -out "$work/server.csr"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\nsubjectAltName=%s\n' \
    "$san" >"$work/ext.cnf"
  openssl x509 -req -in "$work/server.csr" -CA ca-cert.pem -CAkey ca-key.pem -CAcreateserial \
    -CAserial "$work/ca.srl" -sha256 -days "$days" -extfile "$work/ext.cnf" -out "$work/server-cert.pem" 2>/dev/null
  install -m 0644 "$work/server-cert.pem" server-cert.pem
  if getent passwd libvirt-qemu >/dev/null; then
    install -m 0640 -o libvirt-qemu -g "$(id -gn libvirt-qemu)" "$work/server-key.pem" server-key.pem
  else
    install -m 0600 "$work/server-key.pem" server-key.pem
  fi
  echo "vnc-tls-certs: made $dir/server-cert.pem for $san"
fi
