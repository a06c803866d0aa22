#!/usr/bin/env bash
# Runs the whole test suite: installs what it needs, starts the services, makes the fault tests'
# container images (deploy/container-images.sh), then `mvn clean verify` over
# the whole reactor (every module's unit tests, then the integration tests, which start the
# packaged system themselves). Exits with Maven's status, after a summary of the test reports.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

"$here/install-deps.sh" || { echo "test-all: install-deps failed" >&2; exit 1; }
"$here/start-services.sh" || { echo "test-all: start-services failed" >&2; exit 1; }
# the fault tests' containers (dockerd, local/postgres:15, local/rabbitmq:3): built on a first run
# only (minutes), kept in docker afterwards; without them only ContainerFaultTest fails
"$here/container-images.sh" || echo "test-all: container-images failed; ContainerFaultTest will fail" >&2

cd "$repo"
started=$SECONDS
# reports of an earlier run must not be counted for a module this run never reaches
rm -rf -- */target/surefire-reports
# --fail-at-end: a failing module stops only the modules that depend on it, so one run shows
# every independent module's tests
mvn -B -ntp -Dstyle.color=never --fail-at-end clean verify "$@"
status=$?

# Surefire's own per-module lines scroll away in a long log: add them up, and name what failed.
# Counted from the <testcase> elements (a parameterized class's <testsuite> totals count only one
# of its invocations).
count() { # count PATTERN FILES...: lines matching PATTERN in FILES, summed
  local pattern=$1
  shift
  (($#)) || { echo 0; return; }
  cat "$@" | grep -c -E "$pattern" || true
}
summary() {
  local total=0 failures=0 errors=0 skipped=0 dir
  echo
  echo "==== test summary (surefire reports) ===="
  shopt -s nullglob
  for dir in */target/surefire-reports; do
    local reports=("$dir"/TEST-*.xml) t f e s
    t=$(count '<testcase ' "${reports[@]}")
    f=$(count '<failure[ >/]' "${reports[@]}")
    e=$(count '<error[ >/]' "${reports[@]}")
    s=$(count '<skipped[ >/]' "${reports[@]}")
    printf '%-22s tests %4d  failures %3d  errors %3d  skipped %3d\n' "${dir%%/*}" "$t" "$f" "$e" "$s"
    total=$((total + t)); failures=$((failures + f)); errors=$((errors + e)); skipped=$((skipped + s))
  done
  printf '%-22s tests %4d  failures %3d  errors %3d  skipped %3d\n' ALL "$total" "$failures" "$errors" "$skipped"
  local failed
  failed=$(grep -l -E '<(failure|error)[ >/]' */target/surefire-reports/TEST-*.xml 2>/dev/null || true)
  if [[ -n $failed ]]; then
    echo "failing test classes:"
    sed -e 's|.*/TEST-||' -e 's|\.xml$||' -e 's|^|  |' <<<"$failed"
  fi
  echo "elapsed $((SECONDS - started))s, maven exit status $status"
}
summary
exit "$status"
