"""The container's health check: exit 0 when this app server answers /healthz with 200.

It asks as the reverse proxy does, with the first of LR_ALLOWED_HOSTS as the host and
X-Forwarded-Proto: https (under production settings a plain-HTTP request is redirected).
Standard library only, so that it starts fast and needs no settings."""

import os
import sys
import urllib.request

port = os.environ.get("LR_BIND", "127.0.0.1:8000").rsplit(":", 1)[-1]
host = os.environ.get("LR_ALLOWED_HOSTS", "localhost").split(",")[0].strip().lstrip(".")
request = urllib.request.Request(
    f"http://127.0.0.1:{port}/healthz", headers={"Host": host, "X-Forwarded-Proto": "https"}
)
try:
    with urllib.request.urlopen(request, timeout=4) as response:  # noqa: S310 - loopback only
        sys.exit(0 if response.status == 200 else 1)
except OSError as error:
    sys.exit(f"unhealthy: {error}")
