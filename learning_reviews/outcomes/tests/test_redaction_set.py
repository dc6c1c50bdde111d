"""Measures redaction over the fictional passages in redaction_set.json (the set the rules
were written against) and redaction_blind.json (a second set written without seeing them).

Run with ``-s`` to see the figures. An identifier counts as removed when its string no longer
appears in the redacted text (case-insensitive, whole word); a keep-phrase counts as kept when
it still appears.
"""

from __future__ import annotations

import json
import re
import time
from pathlib import Path

from learning_reviews.outcomes.redaction import Known, redact

SET = Path(__file__).with_name("redaction_set.json")
BLIND = Path(__file__).with_name("redaction_blind.json")


def _present(phrase: str, text: str) -> bool:
    return bool(re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE))


def _measure(path: Path = SET) -> dict[str, object]:
    passages = json.loads(path.read_text(encoding="utf-8"))
    missed: list[tuple[int, str, str]] = []
    lost: list[tuple[int, str, str]] = []
    identifiers = unknown = unknown_missed = keeps = 0
    for n, passage in enumerate(passages):
        known = [Known(k["text"], k["replacement"]) for k in passage["known"]]
        result = redact(passage["text"], known)
        for identifier in passage["identifiers"]:
            identifiers += 1
            is_unknown = identifier in passage["unknown"]
            unknown += is_unknown
            if _present(identifier, result.text):
                missed.append((n, identifier, result.text))
                unknown_missed += is_unknown
        for phrase in passage["keep"]:
            keeps += 1
            if not _present(phrase, result.text):
                lost.append((n, phrase, result.text))
    return {
        "passages": len(passages),
        "identifiers": identifiers,
        "unknown": unknown,
        "unknown_missed": unknown_missed,
        "missed": missed,
        "keeps": keeps,
        "lost": lost,
    }


def test_redaction_set_figures() -> None:
    started = time.perf_counter()
    m = _measure()
    elapsed = time.perf_counter() - started
    identifiers, keeps = int(m["identifiers"]), int(m["keeps"])  # type: ignore[call-overload]
    missed: list[tuple[int, str, str]] = m["missed"]  # type: ignore[assignment]
    lost: list[tuple[int, str, str]] = m["lost"]  # type: ignore[assignment]
    removed = 1 - len(missed) / identifiers
    kept = 1 - len(lost) / keeps
    print(
        f"\nRedaction set: {m['passages']} passages, {identifiers} identifiers "
        f"({m['unknown']} not in the record), {keeps} keep-phrases, {elapsed:.2f}s"
        f"\n  identifiers removed: {identifiers - len(missed)}/{identifiers} = {removed:.1%}"
        f" (unknown missed: {m['unknown_missed']})"
        f"\n  keep-phrases kept:   {keeps - len(lost)}/{keeps} = {kept:.1%}"
    )
    for n, identifier, text in missed:
        print(f"  MISSED  #{n}: {identifier!r}\n          {text}")
    for n, phrase, text in lost:
        print(f"  LOST    #{n}: {phrase!r}\n          {text}")
    assert identifiers >= 400
    assert keeps >= 300
    assert removed >= 0.995, f"missed {[(n, i) for n, i, _ in missed]}"
    assert kept >= 0.90, f"lost {[(n, p) for n, p, _ in lost]}"


def test_blind_set_figures() -> None:
    """Written blind by someone who had not read the rules: 98.8% removed when first measured
    (docs/redaction.md); the three general gaps it showed are closed, and stay closed."""
    m = _measure(BLIND)
    identifiers, keeps = int(m["identifiers"]), int(m["keeps"])  # type: ignore[call-overload]
    missed: list[tuple[int, str, str]] = m["missed"]  # type: ignore[assignment]
    lost: list[tuple[int, str, str]] = m["lost"]  # type: ignore[assignment]
    removed = 1 - len(missed) / identifiers
    kept = 1 - len(lost) / keeps
    print(
        f"\nBlind set: {m['passages']} passages, {identifiers} identifiers "
        f"({m['unknown']} not in the record), {keeps} keep-phrases"
        f"\n  identifiers removed: {identifiers - len(missed)}/{identifiers} = {removed:.1%}"
        f"\n  keep-phrases kept:   {keeps - len(lost)}/{keeps} = {kept:.1%}"
    )
    assert identifiers >= 250 and keeps >= 200
    assert removed >= 0.995, f"missed {[(n, i) for n, i, _ in missed]}"
    assert kept >= 0.90, f"lost {[(n, p) for n, p, _ in lost]}"
