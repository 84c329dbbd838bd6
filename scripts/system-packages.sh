#!/usr/bin/env bash
# Install the Debian packages the portal needs, skipping whatever is already there.
#
#   scripts/system-packages.sh [web|test|ci] [EXTRA-PACKAGE ...]
#
#   web   what the running portal needs: Graphviz (flowcharts), a CJK font,
#         Pango (WeasyPrint PDFs), gettext (compilemessages)
#   test  web + Chromium and its driver (browser tests) + poppler-utils (PDF tests)
#         (the default)
#   ci    test + docker-compose v1 (validates docker-compose.yml offline)
#
# As root, missing packages are installed non-interactively. As anyone else the
# script only lists what is missing and exits 0, so `make run` still works on a
# developer box without sudo (the features needing those packages will not).
set -euo pipefail

profile="${1:-test}"
[ $# -gt 0 ] && shift

web=(graphviz fonts-wqy-microhei libpango-1.0-0 libpangoft2-1.0-0 gettext)
test=("${web[@]}" chromium chromium-driver poppler-utils)
ci=("${test[@]}" docker-compose)

case "$profile" in
  web)  wanted=("${web[@]}") ;;
  test) wanted=("${test[@]}") ;;
  ci)   wanted=("${ci[@]}") ;;
  *)    echo "usage: $0 [web|test|ci] [EXTRA-PACKAGE ...]" >&2; exit 2 ;;
esac
wanted+=("$@")

# A package counts as present only when dpkg says "install ok installed".
missing=()
for pkg in "${wanted[@]}"; do
  status="$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)"
  [ "$status" = "install ok installed" ] || missing+=("$pkg")
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "system packages ($profile): all present"
  exit 0
fi

if [ "$(id -u)" -ne 0 ]; then
  echo "system packages ($profile): missing ${missing[*]}" >&2
  echo "  not root, so not installing them; to install:" >&2
  echo "  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
  exit 0
fi

echo "system packages ($profile): installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq "${missing[@]}" >/dev/null
echo "system packages ($profile): done"
