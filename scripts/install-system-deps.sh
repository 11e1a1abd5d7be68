#!/usr/bin/env bash
# Debian packages prevplan needs, for one purpose:
#   run   (default) what the app and the CLI need: fonts for Cyrillic, Chinese and the emoji
#         icons in the app and in PDF reports. The PDF report's charts are drawn by kaleido in
#         Chromium, which `run` leaves out: without it a PDF export stops and says so (install
#         `chromium`, or run `make test`, which installs it).
#   test  everything `run` needs, plus Chromium for the browser tests and the report charts,
#         poppler for rendering PDF reports to PNG, and PostgreSQL for the team storage tests.
# Skips whatever is already installed; prints the apt log only on failure.
set -euo pipefail
purpose=${1:-run}
packages=(fonts-noto-color-emoji fonts-noto-cjk fonts-dejavu-core)
case "$purpose" in
  run) ;;
  test) packages+=(chromium poppler-utils postgresql) ;;
  *) echo "usage: $0 [run|test]" >&2; exit 2 ;;
esac
missing=()
for pkg in "${packages[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$pkg")
  fi
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" != "0" ]; then
  echo "Missing system packages: ${missing[*]}" >&2
  echo "Install them with: sudo apt-get install --no-install-recommends ${missing[*]}" >&2
  exit 0
fi
log=$(mktemp)
echo "Installing system packages: ${missing[*]}"
if ! { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq \
      --no-install-recommends "${missing[@]}"; } >"$log" 2>&1; then
  cat "$log" >&2
  exit 1
fi
rm -f "$log"
