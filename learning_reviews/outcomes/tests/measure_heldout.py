"""Measures redaction over the held-out passages in redaction_heldout.json.

Not a test (the engine was not tuned on this set): run it directly with
``python -m learning_reviews.outcomes.tests.measure_heldout``. The counting rule is the one in
test_redaction_set.py: an identifier counts as removed when its string no longer appears in the
redacted text (case-insensitive, whole word); a keep-phrase counts as kept when it still appears.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from learning_reviews.outcomes.redaction import Known, redact

SET = Path(__file__).with_name("redaction_heldout.json")


def _present(phrase: str, text: str) -> bool:
    return bool(re.search(rf"(?<!\w){re.escape(phrase)}(?!\w)", text, re.IGNORECASE))


def main() -> None:
    passages = json.loads(SET.read_text(encoding="utf-8"))
    missed, lost = [], []
    identifiers = unknown = unknown_missed = keeps = 0
    for n, passage in enumerate(passages):
        known = [Known(k["text"], k["replacement"]) for k in passage["known"]]
        result = redact(passage["text"], known)
        for identifier in passage["identifiers"]:
            identifiers += 1
            is_unknown = identifier in passage["unknown"]
            unknown += is_unknown
            if _present(identifier, result.text):
                missed.append((n, identifier, is_unknown, result.text))
                unknown_missed += is_unknown
        for phrase in passage["keep"]:
            keeps += 1
            if not _present(phrase, result.text):
                lost.append((n, phrase, result.text))
    print(
        f"Held-out set: {len(passages)} passages, {identifiers} identifiers "
        f"({unknown} not in the record), {keeps} keep-phrases"
        f"\n  identifiers removed: {identifiers - len(missed)}/{identifiers} = "
        f"{1 - len(missed) / identifiers:.1%} (unknown missed: {unknown_missed})"
        f"\n  keep-phrases kept:   {keeps - len(lost)}/{keeps} = {1 - len(lost) / keeps:.1%}"
    )
    for n, identifier, is_unknown, text in missed:
        print(f"  MISSED  #{n}: {identifier!r}{' (unknown)' if is_unknown else ''}\n          {text}")
    for n, phrase, text in lost:
        print(f"  LOST    #{n}: {phrase!r}\n          {text}")


if __name__ == "__main__":
    main()
