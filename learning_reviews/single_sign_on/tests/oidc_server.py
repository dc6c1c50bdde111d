"""A real OpenID Connect provider (the npm package oidc-provider, `provider/provider.mjs`) on a
free loopback port, for the unit tests and the browser journey. `make test` installs it with
`npm ci`; nothing is downloaded here."""

import json
import os
import shutil
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urljoin

import requests

FOLDER = Path(__file__).parent / "provider"


@dataclass(frozen=True)
class TestProvider:
    issuer: str


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def running_provider(
    *,
    clients: list[dict[str, object]],
    accounts: dict[str, dict[str, object]],
    id_token_ttl: int = 60,
) -> Iterator[TestProvider]:
    """Start the provider, wait until its discovery document answers, and stop it after."""
    node = shutil.which("node")
    if node is None or not (FOLDER / "node_modules" / "oidc-provider").is_dir():
        raise RuntimeError(f"The test OIDC provider is not installed: run npm ci --prefix {FOLDER}")
    port = _free_port()
    config = {"port": port, "clients": clients, "accounts": accounts, "id_token_ttl": id_token_ttl}
    process = subprocess.Popen(  # noqa: S603 - a fixed script of ours
        [node, str(FOLDER / "provider.mjs")],
        env={**os.environ, "OIDC_TEST_PROVIDER": json.dumps(config)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    issuer = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 20
        while True:
            try:
                requests.get(
                    f"{issuer}/.well-known/openid-configuration", timeout=1
                ).raise_for_status()
                break
            except requests.RequestException:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        "The test OIDC provider did not start: "
                        + (process.stderr.read().decode() if process.stderr else "")
                    ) from None
                time.sleep(0.1)
        yield TestProvider(issuer=issuer)
    finally:
        process.terminate()
        try:
            process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stderr:
            process.stderr.close()


def sign_in_at_provider(authorisation_url: str, account: str, *, back_to: str) -> str:
    """Go through the provider's own pages as `account` (no browser: plain HTTP with its
    cookies) and return the URL it sends the person back to, which starts with `back_to`."""
    browser = requests.Session()
    response = browser.get(authorisation_url, timeout=10)
    response.raise_for_status()
    assert "/interaction/" in response.url, response.text
    response = browser.post(
        response.url, data={"login": account}, allow_redirects=False, timeout=10
    )
    for _ in range(10):
        location = urljoin(response.url, response.headers["Location"])
        if location.startswith(back_to):
            return location
        response = browser.get(location, allow_redirects=False, timeout=10)
    raise AssertionError(f"The provider never sent the person back: {response.text}")
