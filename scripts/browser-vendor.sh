#!/usr/bin/env bash
# Test-only browser tools: axe-core (accessibility checks), installed with npm into
# tests/browser_vendor/ and loaded into pages by the browser tests (never from a CDN).
set -euo pipefail
cd "$(dirname "$0")/.."
dest=tests/browser_vendor
if [ -f "$dest/node_modules/axe-core/axe.min.js" ]; then exit 0; fi
if ! command -v npm >/dev/null; then
  echo "npm is missing: apt-get install npm (the accessibility browser tests need axe-core)" >&2
  exit 1
fi
mkdir -p "$dest"
npm install --silent --no-audit --no-fund --no-package-lock --prefix "$dest" axe-core@4.10.3
