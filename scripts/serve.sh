#!/usr/bin/env bash
# Start the web server (gunicorn) and one background worker; stop both on Ctrl-C.
set -euo pipefail
host=${1:-127.0.0.1}
port=${2:-8000}
bin=.venv/bin
"$bin/python" manage.py db_worker --no-startup-delay &
worker=$!
trap 'kill $worker 2>/dev/null; wait $worker 2>/dev/null' EXIT INT TERM
echo "Fieldnotes is running at http://$host:$port/ (web + transcription worker). Ctrl-C stops both."
"$bin/gunicorn" fieldnotes.wsgi:application --bind "$host:$port" --workers "${WEB_WORKERS:-2}" \
  --threads "${WEB_THREADS:-4}" --timeout 600 --access-logfile - &
web=$!
trap 'kill $worker $web 2>/dev/null; wait 2>/dev/null' EXIT INT TERM
wait -n $worker $web
