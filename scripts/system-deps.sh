#!/usr/bin/env bash
# Ensure Debian system packages exist; install them with apt when we are root, otherwise
# say exactly what to install.
set -euo pipefail
missing=()
for pkg in "$@"; do
  case "$pkg" in
    ffmpeg) command -v ffmpeg >/dev/null && command -v ffprobe >/dev/null || missing+=(ffmpeg) ;;
    chromium) command -v chromium >/dev/null || missing+=(chromium) ;;
    npm) command -v npm >/dev/null || missing+=(npm) ;;
    *) echo "unknown system package $pkg" >&2; exit 2 ;;
  esac
done
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "Installing system packages: ${missing[*]}"
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
else
  echo "Missing system packages: ${missing[*]}"
  echo "Install them with:  sudo apt-get install ${missing[*]}"
  exit 1
fi
