#!/usr/bin/env bash
# Gives the cloud a RabbitMQ user and virtual host of its own on this machine's broker (run as
# root, by deploy/start-services.sh once the broker is up), so that nothing of the cloud runs as
# guest. The password is generated once and kept in a root-only file, which deploy/run-host.sh and
# deploy/run-single-host.sh read when no credentials are given; copy that file to the same path on
# the cloud's other hosts.
#
# Idempotent: the user, the virtual host and the file are made when missing; the user's password
# is set to the file's when it differs (so removing the file and running this again rotates the
# password: docs/operations.md, "RabbitMQ user"); the user's permissions on any other virtual host
# are removed. No other user of the broker is touched (guest included: other software may use it).
#
# Environment:
#   ELASTIC_RABBITMQ_ENV    the credentials file (default /etc/elastic/rabbitmq.env, mode 0600)
#   ELASTIC_RABBITMQ_USER   the user, when the file is made (default elastic)
#   ELASTIC_RABBITMQ_VHOST  the virtual host, when the file is made (default elastic)
set -euo pipefail

log() { echo "rabbitmq-user: $*"; }

env_file="${ELASTIC_RABBITMQ_ENV:-/etc/elastic/rabbitmq.env}"
user="${ELASTIC_RABBITMQ_USER:-elastic}"
vhost="${ELASTIC_RABBITMQ_VHOST:-elastic}"
password=""

# file_value KEY: KEY's value in the credentials file (lines KEY=VALUE)
file_value() { sed -n "s/^$1=//p" "$env_file" | tail -n 1; }

if [[ -f $env_file ]]; then
  user="$(file_value SPRING_RABBITMQ_USERNAME)"
  password="$(file_value SPRING_RABBITMQ_PASSWORD)"
  vhost="$(file_value SPRING_RABBITMQ_VIRTUAL_HOST)"
  if [[ -z $user || -z $password || -z $vhost ]]; then
    log "$env_file lacks SPRING_RABBITMQ_USERNAME, _PASSWORD or _VIRTUAL_HOST; remove it to make a new one"
    exit 1
  fi
else
  # 192 random bits as hex: nothing in it needs quoting in a shell, a URL or a properties file
  password="$(od -An -tx1 -N24 /dev/urandom | tr -d ' \n')"
  mkdir -p "$(dirname "$env_file")"
  # written before the broker is asked, so that the password is made once even if the broker is down
  (
    umask 077
    printf '%s\n' "# the cloud's RabbitMQ credentials (deploy/rabbitmq-user.sh); keep root-only" \
      "SPRING_RABBITMQ_USERNAME=$user" "SPRING_RABBITMQ_PASSWORD=$password" \
      "SPRING_RABBITMQ_VIRTUAL_HOST=$vhost" >"$env_file.new"
  )
  mv "$env_file.new" "$env_file"
  log "generated the password of RabbitMQ user '$user' into $env_file"
fi
chmod 0600 "$env_file"

# The password goes to rabbitmqctl on standard input, never as an argument (visible in ps).
if ! rabbitmqctl -s list_vhosts name | grep -qxF -- "$vhost"; then
  rabbitmqctl -q add_vhost "$vhost"
  log "virtual host '$vhost' added"
fi
if ! rabbitmqctl -s list_users | cut -f1 | grep -qxF -- "$user"; then
  printf '%s\n' "$password" | rabbitmqctl -q add_user "$user" >/dev/null
  log "user '$user' added"
elif ! printf '%s\n' "$password" | rabbitmqctl -q authenticate_user "$user" >/dev/null 2>&1; then
  printf '%s\n' "$password" | rabbitmqctl -q change_password "$user" >/dev/null
  log "password of user '$user' set to the one in $env_file"
fi
rabbitmqctl -q set_permissions -p "$vhost" "$user" '.*' '.*' '.*'
rabbitmqctl -s list_user_permissions "$user" | cut -f1 | while read -r other; do
  if [[ -n $other && $other != "$vhost" ]]; then
    rabbitmqctl -q clear_permissions -p "$other" "$user"
    log "removed the permissions of '$user' on virtual host '$other'"
  fi
done
log "user '$user' may use virtual host '$vhost' only"
