"""Every log record, as the service writes it (the real filter and JSON formatter), for tests
that read the log: `with captured_logs() as lines: ...; lines()` gives the parsed lines."""

import io
import json
import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from learning_reviews.core.logs import ContextFilter, JsonFormatter


@contextmanager
def captured_logs(
    *, debug: tuple[str, ...] = ("learning_reviews",)
) -> Iterator[Callable[[], list[dict[str, Any]]]]:
    """Records of every logger reach the root; the loggers in `debug` (the service's own) write
    at DEBUG while it runs."""
    stream = io.StringIO()
    handler = logging.StreamHandler(stream)
    handler.addFilter(ContextFilter())
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    levels = {name: logging.getLogger(name).level for name in debug}
    root_level = root.level
    root.addHandler(handler)
    root.setLevel(logging.INFO)
    for name in debug:
        logging.getLogger(name).setLevel(logging.DEBUG)
    try:
        yield lambda: [json.loads(line) for line in stream.getvalue().splitlines()]
    finally:
        root.removeHandler(handler)
        root.setLevel(root_level)
        for name, level in levels.items():
            logging.getLogger(name).setLevel(level)
