"""Typed readers of the environment variables the settings are made from (docs/configuration.md).

Each reader returns the value, or its default when the variable is unset or blank; a malformed
value is noted as one line in `problems` (and the default returned), so that the settings can
name every problem at once and stop, rather than fail at the first with a bare ValueError.
"""

import re
from collections.abc import Collection, Mapping
from email.utils import parseaddr
from urllib.parse import urlparse

TRUE_VALUES = frozenset({"1", "true", "yes", "on"})
FALSE_VALUES = frozenset({"0", "false", "no", "off"})
# Deliberately loose: one @, something either side, a dot in the domain and no spaces.
_ADDRESS = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")


class Environment:
    """The variables of one environment (`os.environ`, or a dict in a test), read with types."""

    def __init__(self, environ: Mapping[str, str]) -> None:
        self.environ = environ
        self.problems: list[str] = []

    def _raw(self, name: str) -> str | None:
        value = self.environ.get(name, "").strip()
        return value or None

    def _refuse(self, name: str, value: str, wanted: str) -> None:
        self.problems.append(f"{name} is {value!r}: give {wanted}.")

    def text(self, name: str, default: str) -> str:
        return self._raw(name) or default

    def optional(self, name: str) -> str | None:
        return self._raw(name)

    def boolean(self, name: str, default: bool) -> bool:
        value = self._raw(name)
        if value is None:
            return default
        if value.lower() in TRUE_VALUES | FALSE_VALUES:
            return value.lower() in TRUE_VALUES
        self._refuse(name, value, "true or false (also 1/0, yes/no, on/off)")
        return default

    def integer(self, name: str, default: int, *, low: int = 1, high: int | None = None) -> int:
        value = self._raw(name)
        if value is None:
            return default
        wanted = f"a whole number from {low}" + (f" to {high}" if high is not None else " up")
        try:
            number = int(value)
        except ValueError:
            number = None
        if number is None or number < low or (high is not None and number > high):
            self._refuse(name, value, wanted)
            return default
        return number

    def choice(self, name: str, default: str, choices: Collection[str]) -> str:
        value = self._raw(name)
        if value is None:
            return default
        if value in choices:
            return value
        self._refuse(name, value, "one of " + ", ".join(choices))
        return default

    def url(self, name: str, default: str = "") -> str:
        value = self._raw(name)
        if value is None:
            return default
        parsed = urlparse(value)
        if parsed.scheme not in {"http", "https"} or not parsed.hostname:
            self._refuse(name, value, "an http:// or https:// address, e.g. https://host.example")
            return default
        return value

    def address(self, name: str, default: str) -> str:
        """An e-mail address, bare or as `Name <address>`."""
        value = self._raw(name)
        if value is None:
            return default
        if not _ADDRESS.match(parseaddr(value)[1]):
            self._refuse(name, value, "an e-mail address, e.g. learning-reviews@council.gov.uk")
            return default
        return value

    def together(self, *names: str) -> None:
        """Note a problem if some but not all of these variables are set."""
        missing = [name for name in names if self._raw(name) is None]
        if missing and len(missing) < len(names):
            self.problems.append(
                f"{', '.join(missing)} not set: give {' and '.join(names)} together, or none."
            )
