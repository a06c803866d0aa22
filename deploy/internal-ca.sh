#!/usr/bin/env bash
# The internal CA of the data path between API and storage processes (docs/operations.md,
# "Internal TLS"), and the host certificates it signs. openssl only.
#
#   deploy/internal-ca.sh ca [--ca-dir DIR] [--replace]
#       Makes the CA once: DIR (default /etc/elastic/ca, mode 0700) gets ca-key.pem (0600, keep it
#       on this machine only) and ca-cert.pem (ten years). A CA that exists is kept; --replace
#       makes a new one (every host certificate it signed must then be issued again).
#   deploy/internal-ca.sh host NAME... [--ca-dir DIR] [--out DIR] [--qemu-dir DIR] [--days N]
#                         [--renew-within N] [--renew]
#       A host's key and certificate, signed by the CA, for each NAME (a DNS name or an IP address:
#       the names the other processes reach it by, i.e. the host of its advertised data URL).
#       --out (default /etc/elastic/data-path, mode 0700) gets what the process loads:
#         keystore.p12   PKCS12: the host's key and certificate chain (0600)
#         password       the keystore's password (0600; kept across renewals)
#         ca.pem         the CA certificate(s) the process trusts (add an old CA's here while
#                        rotating the CA)
#         host-cert.pem  the certificate alone, to inspect (openssl x509 -text -in ...)
#       Valid --days (default 90). Run again: the files are kept while the certificate names
#       the same NAMEs, is signed by this CA and is valid for more than --renew-within days
#       (default 30); otherwise a new key and certificate replace them, file by file by rename,
#       and running processes pick them up within a few seconds. --renew forces a new one.
#       --qemu-dir DIR also writes the same key and certificate in QEMU's x509 layout, for NBD over
#       TLS (docs/operations.md): ca-cert.pem, server-cert.pem, server-key.pem (a storage host's
#       elastic.storage.nbd.tls-dir) and client-cert.pem, client-key.pem (an agent host's
#       /etc/pki/qemu, where libvirt's QEMU looks); the keys 0600, written again at every run from
#       the keystore, so that they follow a renewal. A directory it makes (parents too) is 0755.
#       Give the keys to the user that reads them (the storage service's, or libvirt-qemu) yourself.
set -euo pipefail

fail() { echo "internal-ca: $*" >&2; exit 1; }
usage="usage: internal-ca.sh ca [--ca-dir DIR] [--replace]
       internal-ca.sh host NAME... [--ca-dir DIR] [--out DIR] [--qemu-dir DIR] [--days N] [--renew-within N] [--renew]"
command -v openssl >/dev/null || fail "openssl is missing (apt-get install openssl)"
[[ $# -ge 1 ]] || fail "$usage"
action=$1
shift

ca_dir=/etc/elastic/ca out=/etc/elastic/data-path qemu_dir="" days=90 renew_within=30 replace=false renew=false
names=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --ca-dir) ca_dir=${2:?--ca-dir needs a directory}; shift 2 ;;
    --ca-dir=*) ca_dir=${1#*=}; shift ;;
    --out) out=${2:?--out needs a directory}; shift 2 ;;
    --out=*) out=${1#*=}; shift ;;
    --qemu-dir) qemu_dir=${2:?--qemu-dir needs a directory}; shift 2 ;;
    --qemu-dir=*) qemu_dir=${1#*=}; shift ;;
    --days) days=${2:?--days needs a number}; shift 2 ;;
    --days=*) days=${1#*=}; shift ;;
    --renew-within) renew_within=${2:?--renew-within needs a number}; shift 2 ;;
    --renew-within=*) renew_within=${1#*=}; shift ;;
    --replace) replace=true; shift ;;
    --renew) renew=true; shift ;;
    -*) fail "unknown option $1; $usage" ;;
    *) names+=("$1"); shift ;;
  esac
done
[[ $days =~ ^[1-9][0-9]*$ && $renew_within =~ ^[0-9]+$ ]] || fail "--days and --renew-within are whole days"
umask 077

make_ca() {
  if [[ -f $ca_dir/ca-cert.pem && $replace == false ]]; then
    echo "internal-ca: the CA exists, kept: $ca_dir/ca-cert.pem (--replace makes a new one)"
    return
  fi
  mkdir -p "$ca_dir"
  chmod 0700 "$ca_dir"
  local work
  work=$(mktemp -d "$ca_dir/.new.XXXXXX")
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/ca-key.pem" 2>/dev/null
  openssl req -x509 -new -key "$work/ca-key.pem" -sha256 -days 3650 -out "$work/ca-cert.pem" \
    -subj "/CN=elastic-cloud internal CA $(date -u +%Y%m%dT%H%M%SZ)" \
    -addext basicConstraints=critical,CA:TRUE,pathlen:0 -addext keyUsage=critical,keyCertSign,cRLSign
  chmod 0600 "$work/ca-key.pem"
  chmod 0644 "$work/ca-cert.pem"
  mv -f "$work/ca-key.pem" "$ca_dir/ca-key.pem"
  mv -f "$work/ca-cert.pem" "$ca_dir/ca-cert.pem"
  rmdir "$work"
  echo "internal-ca: made the CA $ca_dir/ca-cert.pem"
}

# the subjectAltName of NAMEs, in the order openssl prints them (DNS: and IP Address:)
san_of() {
  local n parts=()
  for n in "$@"; do
    if [[ $n =~ ^[0-9.]+$ || $n == *:* ]]; then parts+=("IP:$n"); else parts+=("DNS:$n"); fi
  done
  (IFS=,; echo "${parts[*]}")
}

# the names of a certificate's (x509) or a request's (req) subjectAltName, one a line, sorted, as
# openssl prints them (so that 2001:db8::1 and 2001:DB8:0:0:0:0:0:1 compare equal)
names_in() {
  openssl "$1" -in "$2" -noout -text 2>/dev/null | grep -A1 'X509v3 Subject Alternative Name' | tail -n +2 \
    | tr ',' '\n' | sed -e 's/^ *//' | grep -v '^$' | sort
}

current() {
  local cert=$out/host-cert.pem wanted
  [[ -f $cert && -f $out/keystore.p12 && -f $out/password ]] || return 1
  openssl verify -CAfile "$ca_dir/ca-cert.pem" "$cert" >/dev/null 2>&1 || return 1
  openssl x509 -in "$cert" -noout -checkend $((renew_within * 86400)) >/dev/null || return 1
  # the names asked for, as openssl prints them: through a request of a throwaway key
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/names-key.pem" 2>/dev/null
  openssl req -new -key "$work/names-key.pem" -subj /CN=names -addext "subjectAltName=$(san_of "${names[@]}")" \
    -out "$work/names.csr"
  wanted=$(names_in req "$work/names.csr")
  [[ -n $wanted && "$(names_in x509 "$cert")" == "$wanted" ]]
}

issue_host() {
  [[ ${#names[@]} -gt 0 ]] || fail "host needs at least one NAME (DNS name or IP address); $usage"
  [[ -f $ca_dir/ca-key.pem && -f $ca_dir/ca-cert.pem ]] \
    || fail "no CA in $ca_dir (deploy/internal-ca.sh ca --ca-dir $ca_dir makes it)"
  mkdir -p "$out"
  chmod 0700 "$out"
  local san
  work=$(mktemp -d "$out/.new.XXXXXX")
  trap 'rm -rf "$work"' EXIT
  if [[ $renew == false ]] && current; then
    echo "internal-ca: $out/host-cert.pem is current (names, CA, more than $renew_within days left), kept"
    write_qemu
    return
  fi
  san=$(san_of "${names[@]}")
  if [[ -s $out/password ]]; then
    cp "$out/password" "$work/password"
  else
    openssl rand -hex 24 >"$work/password"
  fi
  openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out "$work/host-key.pem" 2>/dev/null
  openssl req -new -key "$work/host-key.pem" -subj "/CN=${names[0]}" -out "$work/host.csr"
  printf 'basicConstraints=critical,CA:FALSE\nkeyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth,clientAuth\nsubjectAltName=%s\n' \
    "$san" >"$work/ext.cnf"
  openssl x509 -req -in "$work/host.csr" -CA "$ca_dir/ca-cert.pem" -CAkey "$ca_dir/ca-key.pem" \
    -set_serial "0x$(openssl rand -hex 16)" -sha256 -days "$days" -extfile "$work/ext.cnf" \
    -out "$work/host-cert.pem" 2>/dev/null
  openssl pkcs12 -export -name host -inkey "$work/host-key.pem" -in "$work/host-cert.pem" \
    -certfile "$ca_dir/ca-cert.pem" -passout "file:$work/password" -out "$work/keystore.p12"
  cp "$ca_dir/ca-cert.pem" "$work/ca.pem"
  chmod 0600 "$work/password" "$work/keystore.p12"
  chmod 0644 "$work/host-cert.pem"
  # ca.pem is rewritten only when it lacks this CA: another CA the operator added (rotation) stays
  if [[ ! -f $out/ca.pem || "$(tr -d '\n' <"$out/ca.pem")" != *"$(tr -d '\n' <"$ca_dir/ca-cert.pem")"* ]]; then
    chmod 0644 "$work/ca.pem"
    mv -f "$work/ca.pem" "$out/ca.pem"
  fi
  # the password first (the same one when renewing), then the keystore that needs it
  mv -f "$work/password" "$out/password"
  mv -f "$work/keystore.p12" "$out/keystore.p12"
  mv -f "$work/host-cert.pem" "$out/host-cert.pem"
  echo "internal-ca: issued $out/keystore.p12 for $san, valid $days days"
  write_qemu
}

# --qemu-dir: the host's key and certificate (from the keystore, so also when kept) as QEMU reads them
write_qemu() {
  [[ -n $qemu_dir ]] || return 0
  # 0755, parents too (/etc/pki also holds libvirt-vnc): QEMU's user must reach the files; the keys stay 0600
  (umask 022; mkdir -p "$qemu_dir")
  openssl pkcs12 -in "$out/keystore.p12" -passin "file:$out/password" -nocerts -nodes 2>/dev/null \
    | openssl pkey -out "$work/qemu-key.pem"
  chmod 0600 "$work/qemu-key.pem"
  cp -p "$work/qemu-key.pem" "$work/qemu-key2.pem"
  cp "$out/host-cert.pem" "$work/qemu-cert.pem"
  cp "$out/host-cert.pem" "$work/qemu-cert2.pem"
  cp "$ca_dir/ca-cert.pem" "$work/qemu-ca.pem"
  chmod 0644 "$work/qemu-cert.pem" "$work/qemu-cert2.pem" "$work/qemu-ca.pem"
  mv -f "$work/qemu-ca.pem" "$qemu_dir/ca-cert.pem"
  mv -f "$work/qemu-key.pem" "$qemu_dir/server-key.pem"
  mv -f "$work/qemu-cert.pem" "$qemu_dir/server-cert.pem"
  mv -f "$work/qemu-key2.pem" "$qemu_dir/client-key.pem"
  mv -f "$work/qemu-cert2.pem" "$qemu_dir/client-cert.pem"
  echo "internal-ca: wrote QEMU's x509 files in $qemu_dir"
}

case "$action" in
  ca) make_ca ;;
  host) issue_host ;;
  *) fail "$usage" ;;
esac
