#!/usr/bin/env bash
# Imports a standard drive (a library image every customer may read) into a running system:
#   deploy/import-standard-drive.sh UUID NAME FILE [disk|cdrom]
# FILE is read by the system itself, so it must be on the system's host; a gzipped FILE is kept
# gzipped (format gzip: customers image it with /gunzip; its gunzipped size is measured here, which
# also checks the whole stream, and sent as rawsize), anything else as raw bytes.
# Environment: ELASTIC_ADMIN_PASSWORD (required), ELASTIC_URL (default http://127.0.0.1:8080).
set -euo pipefail

usage() { echo "usage: $0 UUID NAME FILE [disk|cdrom]" >&2; exit 2; }
(($# == 3 || $# == 4)) || usage
uuid=$1 name=$2 file=$3 media=${4:-disk}

[[ $uuid =~ ^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$ ]] \
  || { echo "import-standard-drive: not a UUID: $uuid" >&2; exit 2; }
[[ $media == disk || $media == cdrom ]] \
  || { echo "import-standard-drive: media must be disk or cdrom, not $media" >&2; exit 2; }
[[ -f $file && -r $file ]] || { echo "import-standard-drive: cannot read file $file" >&2; exit 2; }
[[ -n ${ELASTIC_ADMIN_PASSWORD:-} ]] \
  || { echo "import-standard-drive: set ELASTIC_ADMIN_PASSWORD to the admin's password" >&2; exit 2; }
[[ $name != *[[:cntrl:]]* ]] || { echo "import-standard-drive: control characters in NAME" >&2; exit 2; }

path="$(cd "$(dirname "$file")" && pwd)/$(basename "$file")"
format=raw
rawsize=
if [[ $(head -c 2 "$path" | od -An -tx1 | tr -d ' \n') == 1f8b ]]; then
  format=gzip
  echo "import-standard-drive: checking $path and measuring its gunzipped size" >&2
  rawsize=$(set -o pipefail; gzip -dc -- "$path" | wc -c) \
    || { echo "import-standard-drive: $path is not a valid gzip stream" >&2; exit 2; }
fi

json_string() {
  local s=${1//\\/\\\\}
  s=${s//\"/\\\"}
  printf '"%s"' "$s"
}
body=$(printf '{"drive": %s, "name": %s, "path": %s, "media": %s, "format": %s%s}' \
  "$(json_string "${uuid,,}")" "$(json_string "$name")" "$(json_string "$path")" \
  "$(json_string "$media")" "$(json_string "$format")" "${rawsize:+, \"rawsize\": $rawsize}")

url="${ELASTIC_URL:-http://127.0.0.1:8080}"
url="${url%/}/actuator/library"
reply=$(mktemp)
trap 'rm -f "$reply"' EXIT
status=$(curl -sS -o "$reply" -w '%{http_code}' --max-time 1800 \
  -u "admin:$ELASTIC_ADMIN_PASSWORD" -H 'Content-Type: application/json' \
  -H 'Accept: application/json' --data-binary "$body" "$url") \
  || { echo "import-standard-drive: cannot reach $url" >&2; exit 1; }
cat "$reply"
[[ -s $reply && $(tail -c 1 "$reply" | od -An -c | tr -d ' ') != '\n' ]] && echo
if [[ $status != 2?? ]]; then
  echo "import-standard-drive: $url answered $status" >&2
  exit 1
fi
echo "import-standard-drive: imported $uuid ($media, $format${rawsize:+, rawsize $rawsize}) from $path"
