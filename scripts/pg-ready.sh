#!/usr/bin/env bash
# Exit 0 when the PostgreSQL server in the URL accepts connections.
exec .venv/bin/python - "$1" <<'PY'
import sys

import psycopg

try:
    psycopg.connect(sys.argv[1], connect_timeout=3).close()
except Exception as exc:  # noqa: BLE001 - any failure means "not reachable"
    print(f"PostgreSQL check failed: {exc}", file=sys.stderr)
    sys.exit(1)
PY
