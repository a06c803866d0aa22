#!/usr/bin/env bash
# Benchmark of the command-line tool (issue 6), in one run, on this host:
#   1 GiB image (per 16 MiB: 6 MiB random, 2 MiB text, 8 MiB zeros), uploaded into a new drive and
#   downloaded back, three ways:
#     local     gunzip -c image.gz | dd of=copy bs=4M conv=fsync   (no API: the bytes restored locally,
#               durable as a 204 from the API is)
#     curl      the ElasticHosts curl tools' approach: sequential 4 MiB chunks, each
#               dd | gzip | curl --data-binary (Content-Encoding: gzip); download: curl read/OFF/4M >> file
#     elastic   this tool: elastic drives upload (parallel, zero chunks skipped, each chunk read back
#               and compared as soon as its write is acknowledged) and elastic drives download
#               (parallel, sparse, positional writes)
#   Targets (docs/cli.md): elastic at least as fast as curl, and at least 70% of the local throughput.
# Starts its own system (deploy/run-single-host.sh) on a free loopback port with a fresh data directory
# under a temporary directory, and stops it at the end. Builds the jars first if they are missing.
#
#   bench/cli/run.sh [SIZE_MIB]     (default 1024; a multiple of 16)
set -euo pipefail

repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
size_mib="${1:-1024}"
chunk=4194304
if ((size_mib % 16 != 0)); then
  echo "bench/cli: SIZE_MIB must be a multiple of 16" >&2
  exit 2
fi
for tool in curl gzip gunzip dd python3 cmp; do
  command -v "$tool" >/dev/null || { echo "bench/cli: $tool is needed" >&2; exit 1; }
done

if [[ ! -f $repo/launcher/target/elastic-cloud.jar || ! -f $repo/cli/target/elastic-cli.jar ]]; then
  echo "bench/cli: building the system and the tool (mvn package)"
  (cd "$repo" && mvn -q -B -pl launcher,cli -am package -DskipTests)
fi

work="$(mktemp -d "${TMPDIR:-/tmp}/elastic-bench-cli.XXXXXX")"
system_pid=
cleanup() {
  if [[ -n $system_pid ]] && kill -0 "$system_pid" 2>/dev/null; then
    kill "$system_pid" 2>/dev/null || true
    for _ in $(seq 1 60); do kill -0 "$system_pid" 2>/dev/null || break; sleep 0.5; done
    kill -9 "$system_pid" 2>/dev/null || true
  fi
  rm -rf "$work"
}
trap cleanup EXIT

port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
admin="$(head -c 18 /dev/urandom | base64 | tr -d '/+=')"
echo "bench/cli: starting the system on 127.0.0.1:$port (log $work/system.log)"
SERVER_PORT=$port ELASTIC_DATA_DIR="$work/data" ELASTIC_ADMIN_PASSWORD="$admin" \
  "$repo/deploy/run-single-host.sh" --server.address=127.0.0.1 >"$work/system.log" 2>&1 &
system_pid=$!
for _ in $(seq 1 360); do
  if curl -fsS "http://127.0.0.1:$port/actuator/health" 2>/dev/null | grep -q '"UP"'; then break; fi
  kill -0 "$system_pid" 2>/dev/null || { echo "bench/cli: the system died:"; tail -30 "$work/system.log"; exit 1; }
  sleep 0.5
done
curl -fsS "http://127.0.0.1:$port/actuator/health" | grep -q '"UP"' || { echo "bench/cli: not healthy in 180 s"; exit 1; }

creds="$(curl -fsS -u "admin:$admin" -X POST -H 'Accept: application/json' "http://127.0.0.1:$port/actuator/users")"
export EHURI="http://127.0.0.1:$port/"
EHAUTH="$(python3 -c 'import json,sys; d=json.loads(sys.argv[1]); print(d["user"]+":"+d["key"])' "$creds")"
export EHAUTH
elastic="$repo/cli/elastic"

load_start="$(cut -d' ' -f1-3 /proc/loadavg)"
echo "bench/cli: writing a $size_mib MiB image (load average $load_start)"
python3 - "$work/image" "$size_mib" <<'PY'
import os, sys
text = b''.join(b'block %08d of a file system image, with some text that compresses\n' % i for i in range(40000))[:2 << 20]
with open(sys.argv[1], 'wb') as f:
    for _ in range(int(sys.argv[2]) // 16):
        f.write(os.urandom(6 << 20)); f.write(text); f.write(bytes(8 << 20))
PY
gzip -1 -c "$work/image" >"$work/image.gz"
bytes=$(stat -c %s "$work/image")
chunks=$(((bytes + chunk - 1) / chunk))

now() { date +%s.%N; }
secs() { python3 -c "print(f'{float(\"$2\") - float(\"$1\"):.2f}')"; }
rate() { python3 -c "print(f'{$bytes / 1048576 / float(\"$1\"):.1f}')"; }

# a fresh JVM compiles as it goes: warm the system up on 64 MiB first, so no contender pays for it
echo "bench/cli: warming the system up"
head -c $((64 << 20)) "$work/image" >"$work/warm"
drive="$("$elastic" -q drives upload "$work/warm")"
"$elastic" -q drives download "$drive" "$work/warm.back"
"$elastic" drives destroy "$drive"
rm -f "$work/warm" "$work/warm.back"

# the local baseline is measured right before each contender (the host is shared: its load drifts
# within a run), and each contender is compared with the local run next to it
local_run() {
  sync
  local t0 t1
  t0=$(now)
  gunzip -c "$work/image.gz" | dd of="$work/local.copy" bs=4M conv=fsync status=none
  t1=$(now)
  cmp -s "$work/image" "$work/local.copy" || { echo "bench/cli: local copy differs" >&2; exit 1; }
  rm -f "$work/local.copy"
  secs "$t0" "$t1"
}
echo "bench/cli: local: gunzip | dd (before the curl approach)"
local_curl_s=$(local_run)

echo "bench/cli: curl tools' approach: upload"
drive="$(curl -fsS -u "$EHAUTH" --data-binary "name curl-bench
size $bytes
" "${EHURI}drives/create" | sed -n 's/^drive //p')"
t0=$(now)
for ((i = 0; i < chunks; i++)); do
  dd if="$work/image" bs=$chunk skip=$i count=1 status=none | gzip -c |
    curl -fsS -u "$EHAUTH" -H 'Content-Type: application/octet-stream' -H 'Content-Encoding: gzip' \
      --data-binary @- "${EHURI}drives/$drive/write/$((i * chunk))"
done
t1=$(now)
curl_up_s=$(secs "$t0" "$t1")
echo "bench/cli: curl tools' approach: download"
: >"$work/curl.back"
t0=$(now)
for ((i = 0; i < chunks; i++)); do
  curl -fsS -u "$EHAUTH" "${EHURI}drives/$drive/read/$((i * chunk))/4M" >>"$work/curl.back"
done
t1=$(now)
curl_down_s=$(secs "$t0" "$t1")
cmp -s "$work/image" "$work/curl.back" || { echo "bench/cli: the curl download differs"; exit 1; }
rm -f "$work/curl.back"
curl -fsS -u "$EHAUTH" -X POST "${EHURI}drives/$drive/destroy"

echo "bench/cli: local: gunzip | dd (before elastic's upload)"
local_up_s=$(local_run)
echo "bench/cli: elastic: upload (verified)"
t0=$(now)
drive="$("$elastic" -q drives upload "$work/image")"
t1=$(now)
tool_up_s=$(secs "$t0" "$t1")
echo "bench/cli: local: gunzip | dd (before elastic's download)"
local_down_s=$(local_run)
echo "bench/cli: elastic: download"
t0=$(now)
"$elastic" -q drives download "$drive" "$work/tool.back"
t1=$(now)
tool_down_s=$(secs "$t0" "$t1")
cmp -s "$work/image" "$work/tool.back" || { echo "bench/cli: the elastic download differs"; exit 1; }
rm -f "$work/tool.back"
"$elastic" drives destroy "$drive"

echo "bench/cli: elastic: upload without verification (--no-verify), for comparison"
t0=$(now)
drive="$("$elastic" -q drives upload --no-verify "$work/image")"
t1=$(now)
tool_up_nv_s=$(secs "$t0" "$t1")
"$elastic" drives destroy "$drive"

echo
echo "bench/cli: $size_mib MiB image ($(nproc) CPUs; system, tool and baselines on this one host;" \
  "load average $load_start at the start, $(cut -d' ' -f1-3 /proc/loadavg) at the end)"
printf '  %-44s %9s %11s %9s %11s\n' "" "upload s" "MiB/s" "down s" "MiB/s"
printf '  %-44s %9s %11s %9s %11s\n' "local: gunzip | dd, before curl (no API)" "$local_curl_s" "$(rate "$local_curl_s")" "$local_curl_s" "$(rate "$local_curl_s")"
printf '  %-44s %9s %11s %9s %11s\n' "local: gunzip | dd, before elastic's" "$local_up_s" "$(rate "$local_up_s")" "$local_down_s" "$(rate "$local_down_s")"
printf '  %-44s %9s %11s %9s %11s\n' "curl tools: sequential 4 MiB gzip chunks" "$curl_up_s" "$(rate "$curl_up_s")" "$curl_down_s" "$(rate "$curl_down_s")"
printf '  %-44s %9s %11s %9s %11s\n' "elastic (upload verified chunk by chunk)" "$tool_up_s" "$(rate "$tool_up_s")" "$tool_down_s" "$(rate "$tool_down_s")"
printf '  %-44s %9s %11s\n' "elastic drives upload --no-verify" "$tool_up_nv_s" "$(rate "$tool_up_nv_s")"

verdict=$(python3 - "$local_up_s" "$local_down_s" "$curl_up_s" "$curl_down_s" "$tool_up_s" "$tool_down_s" <<'PY'
import sys
lu, ld, cu, cd, tu, td = map(float, sys.argv[1:])
ok = True
for what, tool, curl, local in (("upload", tu, cu, lu), ("download", td, cd, ld)):
    vs_curl = curl / tool
    vs_local = local / tool
    good = tool <= curl and vs_local >= 0.70
    ok &= good
    print(f"  {what}: {vs_curl:.2f}x the curl approach's speed (target >= 1x), {vs_local * 100:.0f}% of the"
          f" local baseline's measured just before it (target >= 70%)"
          f" -> {'target met' if good else 'TARGET MISSED'}")
print("ok" if ok else "missed")
PY
)
echo "$verdict" | sed '$d'
[[ $(echo "$verdict" | tail -1) == ok ]]
