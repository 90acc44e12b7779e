#!/usr/bin/env bash
# The store tests run against a real PostgreSQL server: Debian's `postgresql` binaries, in a throwaway cluster the
# tests start themselves. Install the package when we can; otherwise say so plainly.
set -u
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || command -v initdb >/dev/null 2>&1; then
  exit 0
fi
echo "PostgreSQL is not installed; trying 'apt-get install postgresql' for the store tests…"
if [ "$(id -u)" = "0" ] && command -v apt-get >/dev/null 2>&1; then
  apt-get update -qq >/dev/null 2>&1 || true
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 || true
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
  sudo apt-get update -qq >/dev/null 2>&1 || true
  sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql >/dev/null 2>&1 || true
fi
if ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  echo "PostgreSQL installed."
else
  echo "WARNING: PostgreSQL is missing and could not be installed (needs root and Debian's apt)."
  echo "WARNING: the PostgreSQL store tests will be SKIPPED. Install it with: sudo apt-get install postgresql"
fi
exit 0
