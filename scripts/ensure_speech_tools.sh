#!/usr/bin/env bash
# The voice tests speak interview sentences with Debian's espeak-ng (sox converts the WAV for the fake microphone).
# Install them when we can; otherwise say so plainly.
set -u
if command -v espeak-ng >/dev/null 2>&1 && command -v sox >/dev/null 2>&1; then
  exit 0
fi
echo "espeak-ng or sox is not installed; trying 'apt-get install espeak-ng sox' for the voice tests…"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng sox >/dev/null 2>&1 || true
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq >/dev/null 2>&1 || true
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq espeak-ng sox >/dev/null 2>&1 || true
fi
if command -v espeak-ng >/dev/null 2>&1 && command -v sox >/dev/null 2>&1; then
  echo "espeak-ng and sox installed."
else
  echo "WARNING: espeak-ng or sox is missing and could not be installed (needs root and Debian's apt)."
  echo "WARNING: the voice tests will be SKIPPED. Install them with: sudo apt-get install espeak-ng sox"
fi
exit 0
