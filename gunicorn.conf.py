"""gunicorn's settings, the same for every way the service runs: the container image
(Dockerfile), the systemd units (deploy/systemd/) and `make soak`. Each value comes from an
environment variable, so one file serves one app server or several (docs/deployment.md)."""

import os
import shutil
import sys
from pathlib import Path
from typing import Any

# gunicorn reads this file before it puts the code's folder on the import path.
sys.path.insert(0, str(Path(__file__).resolve().parent))

from learning_reviews.core.logs import GUNICORN_LOGCONFIG

# Where this app server listens: `host:port`, or `unix:/run/learning-reviews/web.sock`.
# A command-line --bind (the systemd unit's one per instance) takes precedence.
bind = [os.environ.get("LR_BIND", "127.0.0.1:8000")]
# Worker processes of this app server; each serves one request at a time. Add app servers
# rather than workers once a machine's processors are busy.
workers = int(os.environ.get("LR_WEB_WORKERS", "3"))
# Seconds a request may take (the longest are PDF documents) before its worker is restarted.
timeout = int(os.environ.get("LR_WEB_TIMEOUT", "60"))
graceful_timeout = 30
keepalive = 5
# Only the reverse proxy's addresses may say the request came over HTTPS (X-Forwarded-Proto).
forwarded_allow_ips = os.environ.get("LR_FORWARDED_ALLOW_IPS", "127.0.0.1,::1")
# The workers' heartbeat files live in memory: the root filesystem may be read-only.
_memory = Path("/dev/shm")  # noqa: S108 - a tmpfs, made for this
worker_tmp_dir = str(_memory) if _memory.is_dir() else None
# Requests and errors to standard output and standard error, for the process manager's log.
accesslog = "-"
errorlog = "-"

# Metrics (docs/operations.md, "Metrics"): with PROMETHEUS_MULTIPROC_DIR set, each worker keeps
# its counts in files there and /metrics adds up every worker's. The directory is this app
# server's own (a tmpfs: the container's /tmp, the systemd unit's private /tmp) and starts empty,
# so counts of an earlier run are never added to this one's.
_metrics_dir = os.environ.get("PROMETHEUS_MULTIPROC_DIR")


def on_starting(server: Any) -> None:
    if _metrics_dir:
        shutil.rmtree(_metrics_dir, ignore_errors=True)
        Path(_metrics_dir).mkdir(parents=True, mode=0o700)


# Logs (docs/operations.md, "Logs"): gunicorn's own lines and its access line as JSON, the path
# without its query string (which may carry a search for a child's name), with the request id.
logconfig_dict = GUNICORN_LOGCONFIG
