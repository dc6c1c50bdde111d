"""Placeholder: known identifiers only. Replaced by the full redaction (branch `redact`)."""

import re
from collections.abc import Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Known:
    text: str
    replacement: str


@dataclass(frozen=True)
class Change:
    start: int
    end: int
    original: str
    replacement: str
    reason: str


@dataclass(frozen=True)
class Redaction:
    original: str
    text: str
    changes: tuple[Change, ...]

    @property
    def suspected(self) -> tuple[Change, ...]:
        return tuple(c for c in self.changes if c.reason == "suspected")


def redact(
    text: str, known: Iterable[Known] = (), *, keep: Iterable[str] = (), extra: Iterable[str] = ()
) -> Redaction:
    pairs = [(k.text, k.replacement, "known") for k in known if k.text.strip()]
    pairs += [(e, "[redacted]", "added") for e in extra if e.strip()]
    pairs.sort(key=lambda p: -len(p[0]))
    changes: list[Change] = []
    taken: list[tuple[int, int]] = []
    for needle, replacement, reason in pairs:
        for match in re.finditer(rf"\b{re.escape(needle)}\b", text, re.IGNORECASE):
            if any(s < match.end() and match.start() < e for s, e in taken):
                continue
            taken.append((match.start(), match.end()))
            changes.append(Change(match.start(), match.end(), match.group(), replacement, reason))
    changes.sort(key=lambda c: c.start)
    out, last = [], 0
    for c in changes:
        out.append(text[last : c.start] + c.replacement)
        last = c.end
    out.append(text[last:])
    return Redaction(text, "".join(out), tuple(changes))
