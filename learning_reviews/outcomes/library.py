"""The learning library (§4): search the released, redacted learning of the whole organisation,
and count the themes of the findings of closed reviews.

Full-text search works on both databases: on SQLite, the FTS5 table `outcomes_libraryentry_fts`
(migration 0002), ranked by bm25; on PostgreSQL, the stored English tsvector of title and text
(`LibraryEntry.search`, kept by a trigger and GIN-indexed: migration 0003), ranked by `ts_rank`.
What a person types is never passed on as query syntax: on SQLite the words are each quoted and
joined with AND; on PostgreSQL `websearch_to_tsquery` accepts anything.

Snippets are HTML made safe here: the database marks the matches with two private-use
characters, the text is escaped, and only then do the marks become `<mark>` elements.
"""

import datetime
import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchHeadline, SearchQuery, SearchRank
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.text import Truncator

from learning_reviews.accounts.models import Team, User
from learning_reviews.outcomes.models import LibraryEntry
from learning_reviews.referrals.models import Ground
from learning_reviews.reviews.workspace import Factor, Pattern

PAGE_SIZE = 20
MAX_QUERY_LENGTH = 200
MAX_WORDS = 12  # words of a query beyond these are ignored
SNIPPET_WORDS = 32
FTS_TABLE = "outcomes_libraryentry_fts"
CONFIG = "english"
# Private-use characters: what the database puts around a match, before the text is escaped.
START, STOP = "\ue000", "\ue001"

# The tags an entry may carry, by prefix: " ground:x factor:y pattern:z ".
TAG_KINDS: dict[str, tuple[str, dict[str, str]]] = {
    "ground": ("Ground", {str(v): str(label) for v, label in Ground.choices}),
    "factor": ("Contributory factor", {str(v): str(label) for v, label in Factor.choices}),
    "pattern": ("SCIE pattern", {str(v): str(label) for v, label in Pattern.choices}),
}


def tag(kind: str, value: str) -> str:
    """The string to look for in `LibraryEntry.tags`, spaces included."""
    return f" {kind}:{value} "


@dataclass(frozen=True)
class TagLabel:
    kind: str  # "Contributory factor"
    label: str  # "Organisational culture and management"


def tag_labels(tags: str) -> list[TagLabel]:
    """An entry's tags as people read them, grounds first, then factors, then patterns."""
    found: list[TagLabel] = []
    words = tags.split()
    for prefix, (kind, labels) in TAG_KINDS.items():
        for word in words:
            head, _, value = word.partition(":")
            if head == prefix and value:
                found.append(TagLabel(kind, labels.get(value, value)))
    return found


# --- Search ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Result:
    id: int
    title: str
    kind: str
    kind_label: str
    snippet: SafeString
    team_name: str
    year: int
    released_on: datetime.datetime


@dataclass(frozen=True)
class SearchResults:
    query: str
    words: tuple[str, ...]  # the words searched for; none lists everything, newest first
    results: list[Result]
    total: int
    page: int
    page_size: int = PAGE_SIZE
    filtered: bool = False
    pages: list[int | None] = field(default_factory=list)  # None: an ellipsis

    @property
    def num_pages(self) -> int:
        return max(1, math.ceil(self.total / self.page_size))

    @property
    def has_previous(self) -> bool:
        return self.page > 1

    @property
    def has_next(self) -> bool:
        return self.page < self.num_pages

    @property
    def previous_page(self) -> int:
        return self.page - 1

    @property
    def next_page(self) -> int:
        return self.page + 1

    @property
    def first_number(self) -> int:
        return (self.page - 1) * self.page_size + 1 if self.total else 0

    @property
    def last_number(self) -> int:
        return min(self.total, self.page * self.page_size)


def page_links(page: int, last: int) -> list[int | None]:
    """The page numbers to link to, as GOV.UK's pagination shows them: the first, the last,
    and those either side of this one, with None for each gap (a national library has a
    thousand pages, which the page would otherwise list every one of)."""
    shown = sorted({1, last, *range(max(1, page - 1), min(last, page + 1) + 1)})
    links: list[int | None] = []
    for number in shown:
        if links and number - (links[-1] or 0) > 1:
            links.append(None)
        links.append(number)
    return links


def words_of(query: str) -> tuple[str, ...]:
    """The words of a query, without any punctuation or operator."""
    return tuple(re.findall(r"\w+", query.replace("\x00", "")))[:MAX_WORDS]


def fts5_match(words: Iterable[str]) -> str:
    """An FTS5 MATCH expression that finds every word: each one a quoted string, so that no
    input is read as query syntax (`AND`, `NEAR(`, `*`, `-`, `:`, quotes)."""
    return " AND ".join('"' + word.replace('"', '""') + '"' for word in words)


def highlight(fragment: str) -> SafeString:
    """Escape `fragment` and turn the match marks into `<mark>` elements. Marks that do not
    pair up (the text itself held the private-use characters) are dropped."""
    html: list[str] = []
    open_ = False
    for piece in re.split(f"([{START}{STOP}])", fragment):
        if piece == START:
            if not open_:
                html.append("<mark>")
                open_ = True
        elif piece == STOP:
            if open_:
                html.append("</mark>")
                open_ = False
        else:
            html.append(escape(piece))
    if open_:
        html.append("</mark>")
    return mark_safe("".join(html))  # every piece of text escaped above


def _entries(
    *,
    user: User,
    ground: str,
    factor: str,
    pattern: str,
    team_id: int | None,
    year: int | None,
) -> QuerySet[LibraryEntry]:
    entries = LibraryEntry.objects.filter(organisation_id=user.organisation_id)
    for kind, value in (("ground", ground), ("factor", factor), ("pattern", pattern)):
        if value:
            entries = entries.filter(tags__contains=tag(kind, value))
    if team_id is not None:
        entries = entries.filter(team_id=team_id)
    if year is not None:
        entries = entries.filter(year=year)
    return entries


def _result(entry: LibraryEntry, snippet: SafeString) -> Result:
    return Result(
        id=entry.pk,
        title=entry.title,
        kind=entry.kind,
        kind_label=entry.get_kind_display(),
        snippet=snippet,
        team_name=entry.team.name,
        year=entry.year,
        released_on=entry.released_on,
    )


def _opening(text: str) -> SafeString:
    return highlight(Truncator(text.replace(START, "").replace(STOP, "")).words(SNIPPET_WORDS))


def _search_postgresql(
    entries: QuerySet[LibraryEntry], query: str, offset: int
) -> tuple[int, list[Result]]:
    search_query = SearchQuery(query, search_type="websearch", config=CONFIG)
    # The stored vector (migration 0003): matched through its GIN index and ranked without
    # computing any row's tsvector again.
    matched = entries.filter(search=search_query)
    total = matched.count()
    page_ids = list(
        matched.annotate(rank=SearchRank(F("search"), search_query))
        .order_by("-rank", "-released_on", "-id")
        .values_list("id", flat=True)[offset : offset + PAGE_SIZE]
    )
    # Headlines are slow to make: only for the page's rows, not every row the offset skips.
    page = (
        LibraryEntry.objects.filter(pk__in=page_ids)
        .select_related("team")
        .defer("search")
        .annotate(
            headline=SearchHeadline(
                "text",
                search_query,
                config=CONFIG,
                start_sel=START,
                stop_sel=STOP,
                max_words=SNIPPET_WORDS,
                min_words=SNIPPET_WORDS // 2,
                max_fragments=2,
                fragment_delimiter=" … ",
            ),
        )
        .in_bulk()
    )
    return total, [_result(page[pk], highlight(page[pk].headline)) for pk in page_ids]


def _search_sqlite(
    entries: QuerySet[LibraryEntry], words: tuple[str, ...], offset: int
) -> tuple[int, list[Result]]:
    # The filters stay in the ORM; FTS5 answers which of those entries match, and how well.
    scoped, scoped_params = entries.values("id").query.sql_with_params()
    match = fts5_match(words)
    fts = FTS_TABLE
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {fts} WHERE {fts} MATCH %s AND rowid IN ({scoped})",  # noqa: S608 - names are constants, values are parameters
            [match, *scoped_params],
        )
        total = cursor.fetchone()[0]
        cursor.execute(
            f"SELECT {fts}.rowid, snippet({fts}, 1, %s, %s, %s, %s) "  # noqa: S608 - as above
            f"FROM {fts} JOIN outcomes_libraryentry e ON e.id = {fts}.rowid "
            f"WHERE {fts} MATCH %s AND {fts}.rowid IN ({scoped}) "
            f"ORDER BY bm25({fts}, 4.0, 1.0), e.released_on DESC, e.id DESC "
            "LIMIT %s OFFSET %s",
            [START, STOP, "…", SNIPPET_WORDS, match, *scoped_params, PAGE_SIZE, offset],
        )
        rows = cursor.fetchall()
    by_id = LibraryEntry.objects.select_related("team").in_bulk([row[0] for row in rows])
    results = []
    for entry_id, fragment in rows:
        entry = by_id[entry_id]
        # A match in the title only: snippet() of the text has no mark; show its opening.
        snippet = highlight(fragment) if START in (fragment or "") else _opening(entry.text)
        results.append(_result(entry, snippet))
    return total, results


def search(
    *,
    user: User,
    query: str,
    ground: str = "",
    factor: str = "",
    pattern: str = "",
    team_id: int | None = None,
    year: int | None = None,
    page: int = 1,
) -> SearchResults:
    """One page of the library entries of the user's organisation that match the words and
    the filters, best match first (newest first when no words are given)."""
    query = query.replace("\x00", "").strip()[:MAX_QUERY_LENGTH]
    words = words_of(query)
    entries = _entries(
        user=user, ground=ground, factor=factor, pattern=pattern, team_id=team_id, year=year
    )
    filtered = bool(ground or factor or pattern or team_id is not None or year is not None)

    def run(page: int) -> tuple[int, list[Result]]:
        offset = (page - 1) * PAGE_SIZE
        if not words:
            total = entries.count()
            rows = entries.select_related("team").order_by("-released_on", "-id")[
                offset : offset + PAGE_SIZE
            ]
            return total, [_result(entry, _opening(entry.text)) for entry in rows]
        if connection.vendor == "postgresql":
            return _search_postgresql(entries, query, offset)
        return _search_sqlite(entries, words, offset)

    page = max(1, page)
    total, results = run(page)
    last = max(1, math.ceil(total / PAGE_SIZE))
    if page > last:  # past the end: the last page, as Django's Paginator.get_page does
        page = last
        total, results = run(page)
    return SearchResults(
        query=query,
        words=words,
        results=results,
        total=total,
        page=page,
        filtered=filtered,
        pages=page_links(page, last),
    )


def entry_for(*, user: User, pk: int) -> LibraryEntry | None:
    """One entry of the user's organisation, or None."""
    return (
        LibraryEntry.objects.select_related("team")
        .filter(organisation_id=user.organisation_id, pk=pk)
        .first()
    )


def teams_with_entries(user: User) -> QuerySet[Team]:
    """The teams of the organisation the library holds learning from, archived ones too."""
    return Team.objects.filter(
        organisation_id=user.organisation_id,
        pk__in=LibraryEntry.objects.filter(organisation_id=user.organisation_id).values("team_id"),
    ).order_by("name")


def years_with_entries(user: User) -> list[int]:
    return list(
        LibraryEntry.objects.filter(organisation_id=user.organisation_id)
        .order_by("-year")
        .values_list("year", flat=True)
        .distinct()
    )


# --- Themes ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeRow:
    key: str
    label: str
    counts: list[int]  # one a year, in the order of `Themes.years`
    total: int


@dataclass(frozen=True)
class Themes:
    years: list[int]  # oldest first
    findings: list[int]  # how many findings a year
    total_findings: int
    factors: list[ThemeRow]
    patterns: list[ThemeRow]


def themes(*, user: User, team_id: int | None = None) -> Themes:
    """How often each contributory-factor category and each SCIE pattern is tagged on the
    findings of the organisation's closed reviews, by year: one aggregate query."""
    findings = LibraryEntry.objects.filter(
        organisation_id=user.organisation_id, kind=LibraryEntry.Kind.FINDING
    )
    if team_id is not None:
        findings = findings.filter(team_id=team_id)
    columns = {
        f"{kind}__{value}": Count("id", filter=Q(tags__contains=tag(kind, value)))
        for kind, choices in (("factor", Factor), ("pattern", Pattern))
        for value in choices.values
    }
    by_year = {
        row["year"]: row
        for row in findings.order_by()
        .values("year")
        .annotate(findings=Count("id"), **columns)
        .order_by("year")
    }
    years = sorted(by_year)

    def rows(kind: str, choices: type[Factor] | type[Pattern]) -> list[ThemeRow]:
        made = []
        for value, label in choices.choices:
            counts = [by_year[year][f"{kind}__{value}"] for year in years]
            made.append(ThemeRow(str(value), str(label), counts, sum(counts)))
        return made

    findings_by_year = [by_year[year]["findings"] for year in years]
    return Themes(
        years=years,
        findings=findings_by_year,
        total_findings=sum(findings_by_year),
        factors=rows("factor", Factor),
        patterns=rows("pattern", Pattern),
    )
