#!/usr/bin/env bash
# `make run`: the task worker that sends e-mail and the hourly reminders (manage.py db_worker) in
# the background, beside the development web server. Ctrl-C stops the web server, and the trap
# stops the worker with it.
#
#   PYTHON=.venv/bin/python PORT=8000 scripts/run.sh
set -euo pipefail

PYTHON=${PYTHON:-.venv/bin/python}
PORT=${PORT:-8000}

# The hourly reminders of due dates run as a task of the worker; queued once, unless one is
# waiting already from an earlier `make run` (docs/decisions/0028-reminders.md).
"$PYTHON" manage.py send_reminders --schedule
# The daily deletion job of the retention schedule, queued the same way (docs/data-protection.md).
"$PYTHON" manage.py apply_retention --schedule

# --no-reload: the worker sends what the web server queues; restart `make run` after changing
# code the worker runs (core/outbox.py, reminders/).
"$PYTHON" manage.py db_worker --no-reload --interval 2 &
worker=$!
stop_worker() {
	kill "$worker" 2>/dev/null || true
	wait "$worker" 2>/dev/null || true
}
trap stop_worker EXIT INT TERM

"$PYTHON" manage.py runserver "127.0.0.1:$PORT"
