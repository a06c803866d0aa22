#!/usr/bin/env bash
# Installs the systemd units of the roles this host runs (deploy/systemd/elastic-ROLE.service) and
# writes the host's one configuration file, a commented template of the settings those roles need,
# when there is none yet (an existing one is never changed): docs/operations.md, "Several hosts".
# Run as root. Enables and starts nothing: edit the file first, then
#   systemctl enable --now elastic-api          (or elastic-storage, elastic-agent, elastic-lb)
#
#   deploy/install-units.sh ROLES        ROLES: comma-separated api, storage, agent, lb
#
# lb is the load balancer before the API instances (deploy/load-balancer.sh, elastic-lb.service).
#
# The units run this repository's deploy/run-host.sh and launcher/target/elastic-cloud.jar where
# they are now: keep the repository where every service user can read it (e.g. /opt/elastic-cloud,
# not under /root or /home, which the units hide). Installing again (after an upgrade, or for
# another role) replaces the units and keeps the configuration file.
#
# Environment:
#   ELASTIC_SYSTEMD_DIR   where the units go (default /etc/systemd/system)
#   ELASTIC_CONFIG        the host's configuration file (default /etc/elastic/elastic.conf)
#   ELASTIC_RABBITMQ_ENV  the broker credentials the units read (default /etc/elastic/rabbitmq.env)
#   ELASTIC_API_USER      the API's user (default elastic; made with a group of its name when
#                         missing); the unit's group is its primary group
set -euo pipefail

log() { echo "install-units: $*"; }
usage="usage: install-units.sh ROLES   (ROLES: comma-separated api, storage, agent, lb)"
if [[ $# -ne 1 || $1 == -* ]]; then
  echo "$usage" >&2
  exit 2
fi
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"
unit_dir="${ELASTIC_SYSTEMD_DIR:-/etc/systemd/system}"
config="${ELASTIC_CONFIG:-/etc/elastic/elastic.conf}"
rabbit_env="${ELASTIC_RABBITMQ_ENV:-/etc/elastic/rabbitmq.env}"
api_user="${ELASTIC_API_USER:-elastic}"

roles=()
IFS=',' read -r -a named <<<"$1"
for role in "${named[@]}"; do
  case "$role" in
    api | storage | agent | lb) roles+=("$role") ;;
    *) echo "install-units: unknown role '$role'; $usage" >&2; exit 2 ;;
  esac
done
# the paths go into unit files as they are: no spaces, nothing sed or systemd would read otherwise
for path in "$repo" "$config" "$rabbit_env"; do
  if [[ ! $path =~ ^/[A-Za-z0-9._/-]+$ ]]; then
    echo "install-units: '$path' must be an absolute path of letters, digits and ._-/" >&2
    exit 2
  fi
done
[[ $api_user =~ ^[a-z_][a-z0-9_-]*$ ]] || { echo "install-units: bad ELASTIC_API_USER '$api_user'" >&2; exit 2; }
case "$repo/" in
  /root/* | /home/*) log "warning: $repo is under /root or /home, which the units hide (ProtectHome): move it, e.g. to /opt/elastic-cloud" ;;
esac
jar="$repo/launcher/target/elastic-cloud.jar"
[[ -f $jar ]] || log "warning: $jar is missing; build it before starting a unit: (cd $repo && mvn -DskipTests package)"

has() { local r; for r in "${roles[@]}"; do [[ $r == "$1" ]] && return 0; done; return 1; }

if has api && ! getent passwd "$api_user" >/dev/null; then
  useradd --system --user-group --home-dir /var/lib/elastic/api --no-create-home \
    --shell /usr/sbin/nologin "$api_user"
  log "user '$api_user' made for the API"
fi
api_group=""
if has api; then
  api_group="$(id -gn "$api_user")"
  if [[ -f $jar ]] && ! setpriv --reuid="$api_user" --regid="$api_group" --clear-groups test -r "$jar"; then
    log "warning: user '$api_user' cannot read $jar: the API unit will not start (give it read access to $repo)"
  fi
fi

mkdir -p "$unit_dir"
for role in "${roles[@]}"; do
  unit="elastic-$role.service"
  sed -e "s|/opt/elastic-cloud|$repo|g" -e "s|/etc/elastic/elastic.conf|$config|g" \
    -e "s|/etc/elastic/rabbitmq.env|$rabbit_env|g" \
    -e "s|^User=elastic$|User=$api_user|" -e "s|^Group=elastic$|Group=$api_group|" \
    "$here/systemd/$unit" >"$unit_dir/$unit.new"
  chmod 0644 "$unit_dir/$unit.new"
  mv "$unit_dir/$unit.new" "$unit_dir/$unit"
  log "installed $unit_dir/$unit"
done

if [[ -e $config ]]; then
  log "kept $config as it is (settings for a role added now: deploy/config-template.sh ${roles[*]})"
else
  mkdir -p "$(dirname "$config")"
  (umask 077 && "$here/config-template.sh" "${roles[@]}" >"$config.new")
  mv "$config.new" "$config"
  log "wrote $config (root-only): set what it marks REQUIRED"
fi
chmod 0600 "$config"

if [[ -z ${ELASTIC_SYSTEMD_DIR:-} && -d /run/systemd/system ]]; then
  systemctl daemon-reload
fi
log "next: edit $config, then: systemctl enable --now $(printf 'elastic-%s ' "${roles[@]}")"
