#!/usr/bin/env bash
# Browser tests need Debian's Chromium. Install it when we can; otherwise say so plainly.
set -u
if command -v chromium >/dev/null 2>&1; then
  exit 0
fi
echo "Chromium is not installed; trying 'apt-get install chromium' for the browser tests…"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || true
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq >/dev/null 2>&1 || true
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null 2>&1 || true
fi
if command -v chromium >/dev/null 2>&1; then
  echo "Chromium installed."
else
  echo "WARNING: Chromium is missing and could not be installed (needs root and Debian's apt)."
  echo "WARNING: the browser tests will be SKIPPED. Install it with: sudo apt-get install chromium"
fi
exit 0
