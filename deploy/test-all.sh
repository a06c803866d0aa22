#!/usr/bin/env bash
# Runs the whole test suite: installs what it needs, starts the services, then `mvn verify` over
# the whole reactor (every module's unit tests, then the integration tests, which start the
# packaged system themselves). Exits with Maven's status, after a summary of the test reports.
set -uo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(dirname "$here")"

"$here/install-deps.sh" || { echo "test-all: install-deps failed" >&2; exit 1; }
"$here/start-services.sh" || { echo "test-all: start-services failed" >&2; exit 1; }

cd "$repo"
started=$SECONDS
mvn -B -ntp -Dstyle.color=never verify "$@"
status=$?

# Surefire's own per-module lines scroll away in a long log: add them up, and name what failed
suite_attr() { # suite_attr FILE NAME: a number attribute of the report's <testsuite> element
  local v
  v=$(grep -m1 -o '<testsuite [^>]*' "$1" | grep -o " $2=\"[0-9]*\"" | head -1 | tr -dc '0-9')
  echo "${v:-0}"
}
summary() {
  local total=0 failures=0 errors=0 skipped=0 dir report
  echo
  echo "==== test summary (surefire reports) ===="
  shopt -s nullglob
  for dir in */target/surefire-reports; do
    local mt=0 mf=0 me=0 ms=0
    for report in "$dir"/TEST-*.xml; do
      mt=$((mt + $(suite_attr "$report" tests)))
      mf=$((mf + $(suite_attr "$report" failures)))
      me=$((me + $(suite_attr "$report" errors)))
      ms=$((ms + $(suite_attr "$report" skipped)))
    done
    printf '%-22s tests %4d  failures %3d  errors %3d  skipped %3d\n' "${dir%%/*}" "$mt" "$mf" "$me" "$ms"
    total=$((total + mt)); failures=$((failures + mf)); errors=$((errors + me)); skipped=$((skipped + ms))
  done
  printf '%-22s tests %4d  failures %3d  errors %3d  skipped %3d\n' ALL "$total" "$failures" "$errors" "$skipped"
  local failed
  failed=$(grep -l -E '<(failure|error)[ >]' */target/surefire-reports/TEST-*.xml 2>/dev/null || true)
  if [[ -n $failed ]]; then
    echo "failing test classes:"
    sed -e 's|.*/TEST-||' -e 's|\.xml$||' -e 's|^|  |' <<<"$failed"
  fi
  echo "elapsed $((SECONDS - started))s, maven exit status $status"
}
summary
exit "$status"
