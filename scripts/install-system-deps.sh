#!/usr/bin/env bash
# Debian packages prevplan's checks need: Chromium for the browser tests, poppler for
# rendering PDF reports to PNG, fonts for Cyrillic/Chinese/emoji, PostgreSQL for the team
# storage tests. Skips whatever is already installed; prints the apt log only on failure.
set -euo pipefail
packages=(chromium poppler-utils fonts-noto-color-emoji fonts-noto-cjk fonts-dejavu-core postgresql)
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
