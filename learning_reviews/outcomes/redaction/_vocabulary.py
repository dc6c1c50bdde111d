"""Word lists for redaction, read once from the package's data folder on first use.

The vocabulary of ordinary English words is the lower-case entries of SCOWL's British English
list (see data/SCOWL-COPYRIGHT.txt): proper names there are capitalised, so a lower-case entry
is a word that can be ordinary. It ships with the package so that nothing is fetched at run time.
"""

from __future__ import annotations

from functools import cache
from importlib import resources


def _lines(name: str) -> list[str]:
    text = resources.files(__package__).joinpath("data", name).read_text(encoding="utf-8")
    return [line.strip() for line in text.splitlines() if line.strip() and not line.startswith("#")]


@cache
def ordinary_words() -> frozenset[str]:
    """Lower-case ordinary English words."""
    return frozenset(_lines("words.txt"))


@cache
def name_words() -> frozenset[str]:
    """Names (given names, nicknames, surnames) that are also ordinary words."""
    return frozenset(word for line in _lines("name_words.txt") for word in line.lower().split())


@cache
def allowed_terms() -> tuple[str, ...]:
    """Capitalised terms that survive, longest first so a longer phrase wins."""
    return tuple(sorted(set(_lines("allow.txt")), key=lambda t: (-len(t), t.lower())))


@cache
def place_words() -> dict[str, str]:
    """Word that marks a named place -> its replacement."""
    places: dict[str, str] = {}
    for line in _lines("place_words.txt"):
        word, _, replacement = line.partition("|")
        places[word.strip().lower()] = replacement.strip() or "[place]"
    return places


@cache
def street_words() -> tuple[str, ...]:
    """Street-type words (Road, Wynd, Brae …) in lower case."""
    return tuple(word for line in _lines("street_words.txt") for word in line.lower().split())
