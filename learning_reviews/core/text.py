"""Text that every document format can hold.

Word and Excel files are XML, and XML 1.0 refuses most control characters. A manual line break
pasted from Word arrives as a vertical tab (`\\x0b`), a page break as a form feed; both become a
line break here. The other control characters (and the two non-characters XML forbids) carry
nothing a reader could see, so they are dropped.
"""

import re
from collections.abc import Iterable

_LINE_BREAKS = re.compile("[\x0b\x0c\u2028\u2029\x85]")
_NOT_IN_XML = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: str) -> str:
    """`value` with pasted line and page breaks as "\\n" and characters XML cannot hold
    removed. Tabs, line feeds and carriage returns are kept."""
    return _NOT_IN_XML.sub("", _LINE_BREAKS.sub("\n", value))


_ASCII_WHOLE_NUMBER = re.compile("-?[0-9]+")
# What a PostgreSQL `integer` column holds: a larger number must never reach the database.
LARGEST_NUMBER = 2**31 - 1


def whole_number(value: object, *, smallest: int = -LARGEST_NUMBER - 1) -> int | None:
    """`value` as an int when it is written with the digits 0 to 9 (Python's `int()` also reads
    "٣", "１" and other scripts' digits) and fits a database integer column; otherwise None."""
    text = str(value if value is not None else "").strip()
    if not _ASCII_WHOLE_NUMBER.fullmatch(text) or len(text) > 11:
        return None
    number = int(text)
    return number if smallest <= number <= LARGEST_NUMBER else None


def input_text(values: Iterable[str]) -> list[str]:
    """Values as they arrived in a query string or form, with the characters no page, database
    or document can hold removed (`xml_safe`): PostgreSQL refuses NUL in text outright."""
    return [xml_safe(value) for value in values]
