#!/usr/bin/env bash
# Installs the elastic command-line tool: PREFIX/lib/elastic-cloud/elastic-cli.jar and the launcher
# PREFIX/bin/elastic (PREFIX defaults to /usr/local; ~/.local needs no root). Builds the jar first
# if it is not built (mvn package of the cli module; nothing is installed into ~/.m2).
#
#   cli/install.sh [PREFIX]
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
prefix="${1:-/usr/local}"
jar="$here/target/elastic-cli.jar"

if [[ ! -f $jar ]]; then
  echo "install: building $jar"
  (cd "$here/.." && mvn -q -B -pl cli -am package -DskipTests)
fi

install -d "$prefix/lib/elastic-cloud" "$prefix/bin"
install -m 0644 "$jar" "$prefix/lib/elastic-cloud/elastic-cli.jar"
install -m 0755 "$here/elastic" "$prefix/bin/elastic"
echo "install: $prefix/bin/elastic (jar in $prefix/lib/elastic-cloud/)"
if ! command -v java >/dev/null; then
  echo "install: note: java 17 or later is needed to run it (apt-get install openjdk-17-jre-headless)" >&2
fi
