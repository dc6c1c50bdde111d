"""Text that every document format can hold.

Word and Excel files are XML, and XML 1.0 refuses most control characters. A manual line break
pasted from Word arrives as a vertical tab (`\\x0b`), a page break as a form feed; both become a
line break here. The other control characters (and the two non-characters XML forbids) carry
nothing a reader could see, so they are dropped.
"""

import re

_LINE_BREAKS = re.compile("[\x0b\x0c\u2028\u2029\x85]")
_NOT_IN_XML = re.compile("[\x00-\x08\x0e-\x1f\x7f\ud800-\udfff\ufffe\uffff]")


def xml_safe(value: str) -> str:
    """`value` with pasted line and page breaks as "\\n" and characters XML cannot hold
    removed. Tabs, line feeds and carriage returns are kept."""
    return _NOT_IN_XML.sub("", _LINE_BREAKS.sub("\n", value))
