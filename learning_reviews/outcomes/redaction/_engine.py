"""The redaction engine: finds what identifies a child, family or worker and replaces it.

Three passes feed one list of candidate spans, which are then merged so that overlapping
candidates become one change covering all of them (fail closed: a lower-priority match that
reaches further than a higher one still has its extra characters removed):

1. known identifiers from the case record, with their variants (parts of a name, any case,
   Mc/Mac, O'), and strings the author added;
2. patterns: numbers of every kind, postcodes, phones, e-mails, vehicle registrations,
   addresses, named places, and exact dates (which become month and year);
3. anything else that looks like a name or a place ("suspected"), redacted by default and
   listed so that the author can restore it with ``keep``.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import cache

from . import _vocabulary as vocab


@dataclass(frozen=True)
class Known:
    """An identifier known from the case record and what it becomes."""

    text: str
    replacement: str


@dataclass(frozen=True)
class Change:
    """One replacement; offsets are in the original text."""

    start: int
    end: int
    original: str
    replacement: str
    reason: str


@dataclass(frozen=True)
class Redaction:
    """The outcome of redacting one text."""

    original: str
    text: str
    changes: tuple[Change, ...]

    @property
    def suspected(self) -> tuple[Change, ...]:
        """Changes made by default that the author may restore (not from the record)."""
        return tuple(c for c in self.changes if c.reason == "suspected")


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    replacement: str
    reason: str
    rank: int  # lower wins when spans overlap


_KNOWN, _ADDED, _PATTERN, _PLACE, _SUSPECTED = 0, 1, 2, 9, 30

MONTHS = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def _words(text: str) -> frozenset[str]:
    return frozenset(text.split())


_MONTH_WORDS = frozenset(m.lower() for m in MONTHS)
_WEEKDAY_WORDS = frozenset(d.lower() for d in WEEKDAYS)
_TITLES = _words(
    "mr mrs ms miss mx dr prof sir dame rev cllr uncle auntie aunt aunty gran granny grandad "
    "grandpa grandma nana nanna papa nanny"
)
# Titles that are never part of a name themselves but announce one ("Mrs Pollock").
_HONORIFICS = _words("mr mrs ms miss mx dr prof sir dame rev cllr")
_TITLE_CASE = _words("Mr Mrs Ms Miss Mx Dr")
_CHILDLIKE = re.compile(
    r"\b(?:child|young person|baby|infant|sibling|brother|sister|son|daughter|twin)\b",
    re.IGNORECASE,
)
_STOP = _words(
    "the a an on in at by for from to of and but or so this that these those her his their our "
    "my your its he she they we it when while after before during as if then there here with "
    "without no not all both each every some any what who which where how why i yes also "
    "however although because since until once later following"
)
# Words that signal the capitalised word before them is a person ("Hope said").
_NAME_VERBS = _words(
    "said says told tells was is has had and attended disclosed reported asked lives lived "
    "started moved presented explained stated went came did does would could wants wanted felt "
    "feels became remains ran showed seemed appeared gave spoke called cried left returned "
    "remained missed confided described declined contributed took made"
)
_NAMING_WORDS = _words("called named nicknamed aka")
_PET_WORDS = _words("dog dogs puppy cat kitten rabbit hamster pony horse budgie pet")
_PLACE_PREPOSITIONS = _words("in at from near into towards outside inside via")
# Capitalised words that make up the names of teams, roles and documents rather than people.
_INSTITUTIONAL = _words(
    "manager managers officer officers worker workers teacher teachers nurse nurses team teams "
    "service services council partnership committee board group panel review reviews reviewer "
    "plan plans meeting meetings conference order orders protection child children children's "
    "family families social work health care education support lead senior head depute deputy "
    "principal chief assistant adviser advisor practitioner practitioners department hearing "
    "hearings reporter court police agency agencies referral discussion register mental youth "
    "justice housing duty locality area early years learning quality improvement assurance "
    "strategy policy national guidance key practice episode episodes finding findings "
    "chronology summary recommendation recommendations action actions appendix section part "
    "introduction background methodology conclusion conclusions terms reference scotland "
    "scottish local authority public risk assessment case notes note record records report "
    "reports what went well next steps and of for the in on"
)
_CONNECTORS = _words("of for and the & in de la le van von du da y")

_TOKEN = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿ][\w'’]*(?:-[\w'’]+)*")
_POSSESSIVE = re.compile(r"(?:['’]s|['’])$")


def _ordinary(word: str) -> bool:
    return word.lower() in vocab.ordinary_words()


# --- patterns ------------------------------------------------------------------------------

# Full names first, so that only an abbreviation takes a following full stop.
_MONTH_RE = (
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December|(?:Jan|Feb|Mar|Apr|Jun|Jul|Aug|Sept?|Oct|Nov|Dec)\.?)"
)
_WEEKDAY_RE = r"(?:(?:Mon|Tues|Wednes|Thurs|Fri|Satur|Sun)day|(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\.?)"
_DAY_MONTH = re.compile(
    rf"(?<!\w)(?:(?P<wd>{_WEEKDAY_RE}),?\s+)?(?:the\s+)?(?P<d>\d{{1,2}})(?:st|nd|rd|th)?"
    rf"(?:\s+of)?\s+(?P<m>{_MONTH_RE})(?:,?\s+(?P<y>(?:19|20)\d{{2}}))?(?!\w)",
    re.IGNORECASE,
)
_MONTH_DAY = re.compile(
    rf"(?<!\w)(?:(?P<wd>{_WEEKDAY_RE}),?\s+)?(?P<m>{_MONTH_RE})\s+(?:the\s+)?(?P<d>\d{{1,2}})"
    rf"(?P<sfx>st|nd|rd|th)?(?:,?\s+(?P<y>(?:19|20)\d{{2}}))?(?!\w)",
    re.IGNORECASE,
)
_NUMERIC_DATE = re.compile(
    r"(?<![\w/.-])(?P<d>\d{1,2})(?P<sep>[/.-])(?P<m>\d{1,2})(?P=sep)(?P<y>\d{4}|\d{2})"
    r"(?![\w/-]|\.\d)"
)
_MONTH_YEAR = re.compile(rf"(?<!\w)(?:{_MONTH_RE}\s+)?(?:19|20)\d{{2}}(?!\w)", re.IGNORECASE)
_DOB_CONTEXT = re.compile(
    r"(?:\bborn|\bDOB|\bD\.O\.B\.?|\bdate\s+of\s+birth|\bbirthday)"
    r"(?:\s+(?:on|in|is|was|of))?\s*[:\-–]?\s*(?:(?:on|of|is)\s+)?$",
    re.IGNORECASE,
)
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_PHONE = re.compile(
    r"(?<![\w+])(?:\+44\s?(?:\(0\)\s?)?|\(?0)\d{2,4}\)?[\s-]?\d{3,4}[\s-]?\d{3,4}(?!\w)"
)
_CHI = re.compile(r"(?<![\w])(?P<dd>\d{2})(?P<mm>\d{2})\d{2}\s?\d{4}(?!\w)")
_NHS = re.compile(r"(?<![\w])\d{3}[\s-]?\d{3}[\s-]?\d{4}(?!\w)")
_NI = re.compile(r"(?<!\w)[A-Z]{2}\s?\d{2}\s?\d{2}\s?\d{2}\s?[A-D](?!\w)")
_POSTCODE = re.compile(r"(?<!\w)(?:[A-Z]{1,2}\d[A-Z\d]?|GIR)\s?\d[A-Z]{2}(?!\w)", re.IGNORECASE)
_VEHICLE = re.compile(r"(?<!\w)(?:[A-Z]{2}\d{2}\s?[A-Z]{3}|[A-Z]\d{1,3}\s?[A-Z]{3})(?!\w)")
_REFERENCE = re.compile(r"(?<![\w/-])[A-Z0-9]+(?:[/-][A-Z0-9]+)+(?![\w/-])")
_LONG_NUMBER = re.compile(r"(?<![\w/-])\d{5,}(?![\w/-])")
_FLAT = re.compile(
    r"(?<!\w)(?:Flat|Apartment|Apt)\.?\s+\d+[A-Z]?(?:\s?[/F]\s?\d+)?(?!\w)"
    r"|(?<![\w/])\d{1,3}F\d{1,2}(?!\w)",
    re.IGNORECASE,
)


@cache
def _address_patterns() -> tuple[re.Pattern[str], re.Pattern[str]]:
    streets = "|".join(w.capitalize() for w in vocab.street_words())
    abbreviations = "Rd|St|Ave|Cres|Ct|Pl|Gdns|Terr|Sq"
    kind = rf"(?:{streets}|(?:{abbreviations})\.?)"
    words = r"(?:[A-Z][\w'’-]*\s+){1,3}"
    numbered = re.compile(rf"(?<![\w/])\d{{1,4}}[A-Za-z]?(?:/\d{{1,2}})?,?\s+{words}{kind}(?!\w)")
    named = re.compile(rf"(?<![\w'’-]){words}{kind}(?!\w)")
    return numbered, named


def _month_year(month: str, year: str | None) -> str:
    key = month.rstrip(".").lower()[:3]
    full = next(m for m in MONTHS if m.lower().startswith(key))
    return f"{full} {year}" if year else full


_ON_BEFORE = re.compile(r"\b([Oo]n)\s+")


def _is_dob(text: str, start: int) -> bool:
    return bool(_DOB_CONTEXT.search(text[max(0, start - 40) : start]))


def _date_spans(text: str) -> list[_Span]:
    spans: list[_Span] = []

    def add(start: int, end: int, month: str, year: str | None) -> None:
        if _is_dob(text, start):
            spans.append(_Span(start, end, "[date of birth]", "date_of_birth", _PATTERN))
        else:
            # "on 14 October 2024" reads "in October 2024" once the day has gone.
            on = _ON_BEFORE.search(text, max(0, start - 4), start)
            if on and on.end() == start:
                first = on.group(1)
                word = "In" if first[0].isupper() else "in"
                replacement = f"{word} {_month_year(month, year)}"
                spans.append(_Span(on.start(1), end, replacement, "date", _PATTERN + 1))
            else:
                spans.append(_Span(start, end, _month_year(month, year), "date", _PATTERN + 1))

    for m in _DAY_MONTH.finditer(text):
        if 1 <= int(m["d"]) <= 31:
            add(m.start(), m.end(), m["m"], m["y"])
    for m in _MONTH_DAY.finditer(text):
        # "May 12 children" is not a date: a bare month-and-number needs more to go on.
        if 1 <= int(m["d"]) <= 31 and (m["y"] or m["sfx"] or m["wd"]):
            add(m.start(), m.end(), m["m"], m["y"])
    for m in _NUMERIC_DATE.finditer(text):
        day, month, year = int(m["d"]), int(m["m"]), m["y"]
        if 1 <= day <= 31 and 1 <= month <= 12:
            if len(year) == 2:
                year = ("20" if int(year) < 50 else "19") + year
            add(m.start(), m.end(), MONTHS[month - 1], year)
    for m in _MONTH_YEAR.finditer(text):
        # Month and year are kept, except in a date of birth.
        if _is_dob(text, m.start()):
            spans.append(_Span(m.start(), m.end(), "[date of birth]", "date_of_birth", _PATTERN))
    return spans


def _valid_chi(m: re.Match[str]) -> bool:
    return 1 <= int(m["dd"]) <= 31 and 1 <= int(m["mm"]) <= 12


def _pattern_spans(text: str) -> list[_Span]:
    spans = _date_spans(text)

    def each(pattern: re.Pattern[str], replacement: str, reason: str, rank: int) -> None:
        spans.extend(
            _Span(m.start(), m.end(), replacement, reason, rank) for m in pattern.finditer(text)
        )

    each(_EMAIL, "[email]", "email", _PATTERN)
    spans.extend(
        _Span(m.start(), m.end(), "[CHI number]", "chi", _PATTERN + 2)
        for m in _CHI.finditer(text)
        if _valid_chi(m)
    )
    each(_NHS, "[NHS number]", "nhs", _PATTERN + 3)
    each(_NI, "[NI number]", "ni", _PATTERN + 3)
    for m in _PHONE.finditer(text):
        if 10 <= len(re.sub(r"\D", "", m.group().replace("+44", "0"))) <= 12:
            spans.append(_Span(m.start(), m.end(), "[phone]", "phone", _PATTERN + 4))
    each(_POSTCODE, "[postcode]", "postcode", _PATTERN + 4)
    each(_VEHICLE, "[vehicle]", "vehicle", _PATTERN + 4)
    for m in _REFERENCE.finditer(text):
        value = m.group()
        digits = sum(c.isdigit() for c in value)
        if digits and (any(c.isalpha() for c in value) or digits >= 6):
            spans.append(_Span(m.start(), m.end(), "[reference]", "reference", _PATTERN + 5))
    for m in _LONG_NUMBER.finditer(text):
        before = text[max(0, m.start() - 40) : m.start()]
        if re.search(r"SWIS", before, re.IGNORECASE):
            spans.append(_Span(m.start(), m.end(), "[SWIS number]", "swis", _PATTERN + 5))
        else:
            spans.append(_Span(m.start(), m.end(), "[number]", "reference", _PATTERN + 6))
    each(_FLAT, "[address]", "address", _PATTERN + 6)
    numbered, named = _address_patterns()
    each(numbered, "[address]", "address", _PATTERN + 6)
    for m in named.finditer(text):
        start = m.start()
        words = m.group().split()
        # "The Close" or "This Way" is not an address: drop leading function words.
        while len(words) > 1 and words[0].lower() in _STOP:
            start = text.index(words[1], start + len(words[0]))
            words = words[1:]
        if len(words) > 1:
            spans.append(_Span(start, m.end(), "[address]", "address", _PLACE + 1))
    return spans


# --- known identifiers ---------------------------------------------------------------------


def _flexible(value: str) -> str:
    """A regex for ``value`` tolerant of spacing, apostrophe and dash variants."""
    compact = re.sub(r"\s+", "", value)
    if compact.isdigit():
        return r"\s?".join(compact)
    out = []
    for ch in value:
        if ch.isspace():
            out.append(r"\s+")
        elif ch in "'’`":
            out.append(r"['’`]?")
        elif ch in "-‐–":
            out.append(r"[-‐–\s]?")
        else:
            out.append(re.escape(ch))
    return "".join(out)


def _name_variants(part: str) -> set[str]:
    variants = {part}
    m = re.match(r"(?i)^(mc|mac)(\w+)$", part)
    if m and len(m[2]) > 2:
        rest = m[2]
        variants |= {f"Mc{rest}", f"Mac{rest}", f"Mc {rest}", f"Mac {rest}"}
    if re.match(r"(?i)^o['’]\w", part):
        variants |= {"O" + part[2:], "O " + part[2:]}
    return variants


def _part_excluded(part: str) -> bool:
    low = part.lower().strip(".,")
    return (
        len(low) < 2
        or low in _STOP
        or low in _TITLES
        or low in _INSTITUTIONAL
        or low in vocab.place_words()
        or low in vocab.street_words()
        or low.isdigit()
    )


def _known_spans(text: str, known: Iterable[Known]) -> list[_Span]:
    spans: list[_Span] = []
    items = [k for k in known if k.text.strip()]
    part_owner: dict[str, set[str]] = {}
    given: set[str] = set()  # the first part of a known name: the person it belongs to
    for k in items:
        words = k.text.split()
        if len(words) < 2 or not any(c.isalpha() for c in k.text):
            continue
        parts = set()
        for word in words:
            parts.add(word.strip(",."))
            if "-" in word:
                parts |= {p for p in word.split("-") if len(p) > 2}
        first = next((w.strip(",.") for w in words if w.strip(",.").lower() not in _HONORIFICS), "")
        given.add(first)
        for part in parts:
            if not _part_excluded(part):
                part_owner.setdefault(part, set()).add(k.replacement)

    for k in items:
        pattern = re.compile(rf"(?<![\w]){_flexible(k.text.strip())}(?![\w])", re.IGNORECASE)
        spans.extend(
            _Span(m.start(), m.end(), k.replacement, "known", _KNOWN)
            for m in pattern.finditer(text)
        )

    title = r"(?:(?:Mr|Mrs|Ms|Miss|Mx|Dr)\.?\s+)?"
    for part, owners in sorted(part_owner.items()):
        # A part several people share (a family surname) cannot say which person is meant.
        replacement = next(iter(owners)) if len(owners) == 1 else "[name]"
        alternatives = "|".join(
            _flexible(v) for v in sorted(_name_variants(part), key=lambda v: (-len(v), v))
        )
        if _ordinary(part.replace("'", "").replace("’", "")):
            # An ordinary word ("Hope", "Will") is a name only when capitalised.
            cased = {part, part.upper(), part[:1].upper() + part[1:]}
            alternatives = "|".join(_flexible(v) for v in sorted(cased))
            pattern = re.compile(rf"(?<![\w]){title}(?:{alternatives})(?![\w])")
        else:
            pattern = re.compile(rf"(?<![\w]){title}(?:{alternatives})(?![\w])", re.IGNORECASE)
        for m in pattern.finditer(text):
            titled = m.group()[:1].isupper() and m.group().split()[0].rstrip(".") in _TITLE_CASE
            # "Mrs Ogilvie" is not the child even when the child is Finlay Ogilvie; and a
            # surname on its own may be any of the family ("Summer Blyth" is not the child
            # Kai Blyth), so only a given name or a title says whose it is.
            if titled:
                chosen = "[name]" if _CHILDLIKE.search(replacement) else replacement
            else:
                chosen = replacement if part in given else "[name]"
            spans.append(_Span(m.start(), m.end(), chosen, "known", _KNOWN))
    return [_plural_possessive(text, s) for s in spans]


def _plural_possessive(text: str, span: _Span) -> _Span:
    """Take in the apostrophe of "Burns'" so the replacement reads "the child's"."""
    end = span.end
    if text[end : end + 1] in ("'", "’") and not text[end + 1 : end + 2].isalnum():
        return _Span(span.start, end + 1, span.replacement + "'s", span.reason, span.rank)
    return span


def _added_spans(text: str, extra: Iterable[str]) -> list[_Span]:
    spans: list[_Span] = []
    for value in sorted({e.strip() for e in extra if e.strip()}):
        pattern = re.compile(rf"(?<![\w]){_flexible(value)}(?![\w])", re.IGNORECASE)
        spans.extend(
            _Span(m.start(), m.end(), "[redacted]", "added", _ADDED) for m in pattern.finditer(text)
        )
    return spans


# --- allowlist, places and suspected names -------------------------------------------------


@cache
def _allow_pattern() -> re.Pattern[str]:
    alternatives = "|".join(_flexible(t) for t in vocab.allowed_terms())
    return re.compile(rf"(?<![\w])(?:{alternatives})(?![\w])", re.IGNORECASE)


def _allowed_mask(text: str) -> list[bool]:
    mask = [False] * len(text)
    for m in _allow_pattern().finditer(text):
        for i in range(m.start(), m.end()):
            mask[i] = True
    return mask


@dataclass
class _Token:
    start: int
    end: int
    text: str  # without a trailing possessive
    possessive: bool
    sentence_start: bool
    masked: bool

    @property
    def capitalised(self) -> bool:
        return self.text[:1].isupper()

    @property
    def low(self) -> str:
        return self.text.lower()


def _sentence_start(text: str, start: int, *, strict: bool = False) -> bool:
    """Whether ``start`` begins a sentence (``strict``: not merely after a colon)."""
    i = start - 1
    while i >= 0 and (text[i].isspace() or text[i] in "\"'“‘([*•"):
        if text[i] == "\n":
            return True
        i -= 1
    return i < 0 or text[i] in (".!?" if strict else ".!?:;–—-")


def _tokens(text: str, mask: list[bool]) -> list[_Token]:
    tokens = []
    for m in _TOKEN.finditer(text):
        word = m.group()
        stripped = _POSSESSIVE.sub("", word) or word
        tokens.append(
            _Token(
                m.start(),
                m.start() + len(stripped),
                stripped,
                stripped != word,
                _sentence_start(text, m.start()),
                any(mask[m.start() : m.start() + len(stripped)]),
            )
        )
    return tokens


def _joined(text: str, a: _Token, b: _Token, *, possessive: bool = False) -> bool:
    """Whether two tokens sit side by side in one phrase (one space, same line)."""
    gap = text[a.end : b.start]
    if a.possessive:
        # "St Mary's RC Primary" is one name; "Amber's Mum" is two things.
        return possessive and gap[:1] in "'’" and gap[-1:] == " " and len(gap) <= 3
    return gap in (" ", " & ")


def _place_spans(text: str, tokens: list[_Token]) -> list[_Span]:
    """Runs of capitalised words that name a school, practice, hospital or other place."""
    places = vocab.place_words()
    spans: list[_Span] = []
    i = 0
    while i < len(tokens):
        if not tokens[i].capitalised or tokens[i].masked:
            i += 1
            continue
        run = [tokens[i]]
        j = i + 1
        while (
            j < len(tokens)
            and _joined(text, run[-1], tokens[j], possessive=True)
            and not tokens[j].masked
        ):
            token = tokens[j]
            if token.capitalised:
                run.append(token)
            elif token.low in _CONNECTORS and token.low not in ("in",):
                nxt = tokens[j + 1] if j + 1 < len(tokens) else None
                if nxt is None or not nxt.capitalised or not _joined(text, token, nxt):
                    break
                run.append(token)
            else:
                break
            j += 1
        kinds = [places[t.low] for t in run if t.low in places]
        distinctive = [
            t
            for t in run
            if t.capitalised
            and t.low not in places
            and t.low not in _INSTITUTIONAL
            and t.low not in _STOP
        ]
        if kinds and (distinctive or run[0].low == "hmp"):
            while run and (run[0].low in _STOP or run[0].low in _CONNECTORS):
                run = run[1:]
            if run:
                end = run[-1].end
                spans.append(_Span(run[0].start, end, kinds[-1], "place", _PLACE))
        i = max(j, i + 1)
    return spans


def _looks_like_name(tokens: list[_Token], i: int) -> bool:
    """Whether the capitalised token ``i`` is a name or place rather than an ordinary word."""
    token = tokens[i]
    prev = tokens[i - 1] if i else None
    nxt = tokens[i + 1] if i + 1 < len(tokens) else None
    if token.low in _MONTH_WORDS or token.low in _WEEKDAY_WORDS:
        return bool(prev and prev.low in _HONORIFICS)
    if token.low in _TITLES or token.low in _STOP:
        return False
    if prev and prev.low in _HONORIFICS and not token.sentence_start:
        return True
    if prev and (prev.low in _NAMING_WORDS or prev.low in _PET_WORDS):
        # "a dog called Biscuit", "his dog, Biscuit": a name whatever the word.
        return True
    parts = [p for p in re.split(r"-", token.text) if p]
    if token.text.isupper() and len(token.text) > 1:
        # An unknown acronym may be initials ("JJ"); an ordinary word shouted is not.
        return not _ordinary(token.text) or token.low in vocab.name_words()
    for part in parts:
        if not part[:1].isupper():
            continue
        clean = part.replace("'", "").replace("’", "")
        if not _ordinary(clean) and not _ordinary(part):
            return True
        if part.lower() in vocab.name_words():
            if not token.sentence_start:
                return True
            if token.possessive or (nxt and nxt.low in _NAME_VERBS):
                return True
            # "Tam drives a van", "Grace asked": a lower-case verb-like word after it. Fail
            # closed: "Summer holidays" is redacted too, and the author can restore it.
            if nxt and not nxt.capitalised and nxt.low.endswith(("s", "ed")) and len(nxt.low) > 2:
                return True
            if nxt and nxt.capitalised and not nxt.sentence_start and nxt.low not in _STOP:
                return not _ordinary(nxt.text) or nxt.low in vocab.name_words()
    # "in Fife": a capitalised ordinary word after a place preposition is a place.
    return bool(not token.sentence_start and prev and prev.low in _PLACE_PREPOSITIONS)


_MOVEMENT_VERBS = _words("moved travelled went returned relocated came fled")


def _suspected_replacement(tokens: list[_Token], i: int, j: int) -> str:
    """ "[place]" after "in", "at", "from", "moved to" …, unless the words are a person's."""
    run = tokens[i : j + 1]
    if run[0].low in _TITLES or any(t.low in vocab.name_words() for t in run):
        return "[name]"
    prev = tokens[i - 1] if i else None
    before = tokens[i - 2] if i > 1 else None
    if prev and prev.low in _PLACE_PREPOSITIONS:
        return "[place]"
    if prev and prev.low == "to" and before and before.low in _MOVEMENT_VERBS:
        return "[place]"
    return "[name]"


def _suspected_spans(text: str, tokens: list[_Token], covered: list[bool]) -> list[_Span]:
    def free(t: _Token) -> bool:
        return not t.masked and not any(covered[t.start : t.end])

    flagged = [False] * len(tokens)
    for i, token in enumerate(tokens):
        if token.capitalised and free(token) and _looks_like_name(tokens, i):
            flagged[i] = True

    # A title-case phrase mid-sentence that is not a known term ("Bright Horizons",
    # "Partners in Advocacy") names an organisation, a group or a person.
    i = 0
    while i < len(tokens):
        run = [i]
        j = i + 1
        while j < len(tokens) and _joined(text, tokens[run[-1]], tokens[j]):
            if tokens[j].capitalised:
                run.append(j)
            elif tokens[j].low in _CONNECTORS and j + 1 < len(tokens):
                if not (tokens[j + 1].capitalised and _joined(text, tokens[j], tokens[j + 1])):
                    break
                run.append(j)
            else:
                break
            j += 1
        caps = [k for k in run if tokens[k].capitalised]
        if len(caps) >= 2 and all(free(tokens[k]) for k in caps) and tokens[i].capitalised:
            plain = [
                k
                for k in caps
                if tokens[k].low not in _INSTITUTIONAL
                and tokens[k].low not in _STOP
                and tokens[k].low not in _MONTH_WORDS
                and tokens[k].low not in _WEEKDAY_WORDS
                and tokens[k].low not in _TITLES
            ]
            if plain and not tokens[caps[0]].sentence_start:
                for k in caps:
                    flagged[k] = True
        i = max(j, i + 1)

    # Grow each flagged word over the capitalised words beside it ("Nguyen Van Long",
    # "Nana Pat", "Dr Anne Whitelaw"), so that no part of a name is left behind.
    changed = True
    while changed:
        changed = False
        for i, token in enumerate(tokens):
            if not flagged[i]:
                continue
            for k in (i - 1, i + 1):
                if not 0 <= k < len(tokens) or flagged[k]:
                    continue
                other = tokens[k]
                a, b = (other, token) if k < i else (token, other)
                if not other.capitalised or not free(other) or not _joined(text, a, b):
                    continue
                if other.low in _STOP or other.low in _MONTH_WORDS or other.low in _WEEKDAY_WORDS:
                    continue
                if k > i and other.sentence_start:
                    continue
                flagged[k] = True
                changed = True

    spans: list[_Span] = []
    i = 0
    while i < len(tokens):
        if not flagged[i]:
            i += 1
            continue
        j = i
        while j + 1 < len(tokens) and flagged[j + 1] and _joined(text, tokens[j], tokens[j + 1]):
            j += 1
        replacement = _suspected_replacement(tokens, i, j)
        spans.append(_Span(tokens[i].start, tokens[j].end, replacement, "suspected", _SUSPECTED))
        i = j + 1
    return spans


# --- putting it together -------------------------------------------------------------------


def _merge(spans: list[_Span]) -> list[_Span]:
    """One span per cluster of overlapping spans, covering all of them (fail closed)."""
    merged: list[_Span] = []
    cluster: list[_Span] = []

    def close() -> None:
        if cluster:
            # The widest match says what the whole is (an e-mail containing a known name).
            best = min(cluster, key=lambda s: (-(s.end - s.start), s.rank, s.start))
            start = min(s.start for s in cluster)
            end = max(s.end for s in cluster)
            replacement = best.replacement
            if (start, end) != (best.start, best.end) and best.reason == "date":
                replacement = "[date]"
            merged.append(_Span(start, end, replacement, best.reason, best.rank))

    for span in sorted(spans, key=lambda s: (s.start, -s.end, s.rank)):
        if cluster and span.start < max(s.end for s in cluster):
            cluster.append(span)
        else:
            close()
            cluster = [span]
    close()
    return merged


def redact(
    text: str,
    known: Iterable[Known] = (),
    *,
    keep: Iterable[str] = (),
    extra: Iterable[str] = (),
) -> Redaction:
    """Redact ``text``: known identifiers, patterns, and anything that looks like a name."""
    kept = {k.strip().lower() for k in keep if k.strip()}
    mask = _allowed_mask(text)
    tokens = _tokens(text, mask)

    firm = _known_spans(text, known) + _added_spans(text, extra)
    for span in _pattern_spans(text):
        # An agency's or role's name is not an address ("Sheriff Court").
        if span.reason == "address" and all(mask[span.start : span.end]):
            continue
        firm.append(span)
    firm += _place_spans(text, tokens)

    covered = [False] * len(text)
    for span in firm:
        for i in range(span.start, span.end):
            covered[i] = True
    suspected = [
        s
        for s in _suspected_spans(text, tokens, covered)
        if text[s.start : s.end].lower() not in kept
    ]

    pieces: list[str] = []
    changes: list[Change] = []
    position = 0
    for span in _merge(firm + suspected):
        pieces.append(text[position : span.start])
        replacement = span.replacement
        if replacement[:1].islower() and _sentence_start(text, span.start, strict=True):
            replacement = replacement[0].upper() + replacement[1:]
        pieces.append(replacement)
        changes.append(
            Change(span.start, span.end, text[span.start : span.end], replacement, span.reason)
        )
        position = span.end
    pieces.append(text[position:])
    return Redaction(original=text, text="".join(pieces), changes=tuple(changes))
