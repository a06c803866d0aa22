#!/usr/bin/env bash
# Vendors noVNC, the browser console's RFB client, into the API service's static resources:
#   deploy/vendor-novnc.sh
# Fetches the pinned @novnc/novnc tarball from the npm registry, checks it against the registry's
# sha512 integrity recorded below (a different tarball stops the script), and replaces
# api-service/src/main/resources/static/console/novnc/ with its ES modules (core/, vendor/pako/),
# its LICENSE.txt, AUTHORS and the licences core/ refers to (docs/LICENSE.*). The result is
# committed, so builds stay offline; run this again only to change the version (edit both lines).
# Needs curl, tar, openssl, base64.
set -euo pipefail

version=1.7.0
integrity=sha512-ucEJOx4T2avIRCleodk7YobZj5O2Ga2AeLfQ69A/yjG9HHba2+PDgwSkN3FttrmG+70ZGx21sElNFouK13RzyA==
registry=${NPM_REGISTRY:-https://registry.npmjs.org}

root=$(cd "$(dirname "$0")/.." && pwd)
target=$root/api-service/src/main/resources/static/console/novnc
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

curl -fsS --retry 3 -o "$work/novnc.tgz" "$registry/@novnc/novnc/-/novnc-$version.tgz"
actual=sha512-$(openssl dgst -sha512 -binary "$work/novnc.tgz" | base64 -w0)
if [[ $actual != "$integrity" ]]; then
  echo "vendor-novnc: @novnc/novnc $version is not the tarball pinned here" >&2
  echo "  expected $integrity" >&2
  echo "  got      $actual" >&2
  exit 1
fi
tar -xzf "$work/novnc.tgz" -C "$work"

rm -rf "$target"
mkdir -p "$target/vendor" "$target/docs"
cp -r "$work/package/core" "$target/core"
cp -r "$work/package/vendor/pako" "$target/vendor/pako"
cp "$work/package/LICENSE.txt" "$work/package/AUTHORS" "$target/"
cp "$work/package"/docs/LICENSE.* "$target/docs/"
find "$target" -type f -exec chmod 0644 {} +
echo "$version $integrity" > "$target/VERSION"
echo "vendor-novnc: @novnc/novnc $version in ${target#"$root"/} ($(find "$target" -type f | wc -l) files)"
