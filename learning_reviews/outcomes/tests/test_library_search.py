"""Searching the learning library (`outcomes.library`), on SQLite and PostgreSQL alike."""

import datetime

import pytest
from django.db import connection
from django.utils import timezone

from learning_reviews.accounts.models import Team
from learning_reviews.outcomes import library
from learning_reviews.outcomes.models import LibraryEntry
from learning_reviews.outcomes.tests.library_helpers import make_entries, make_entry
from learning_reviews.referrals.models import Status

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(make_referral):
    return make_referral(Status.REVIEW_COMMISSIONED).review


def titles(results: library.SearchResults) -> list[str]:
    return [r.title for r in results.results]


def test_words_in_the_text_or_the_title_find_the_entry(people, review):
    make_entry(
        review=review,
        team=people.team,
        title="Drift in permanence planning",
        text="Communication between the school and the team broke down over the summer.",
    )
    make_entry(review=review, team=people.team, title="Something else", text="Unrelated words.")
    assert titles(library.search(user=people.worker, query="school")) == [
        "Drift in permanence planning"
    ]
    assert titles(library.search(user=people.worker, query="permanence")) == [
        "Drift in permanence planning"
    ]
    # Every word must match.
    assert titles(library.search(user=people.worker, query="school unrelated")) == []


def test_stemming_finds_other_forms_of_a_word(people, review):
    make_entry(review=review, team=people.team, text="Poor communication between agencies.")
    results = library.search(user=people.worker, query="communicating")
    assert results.total == 1
    assert "<mark>communication</mark>" in results.results[0].snippet


def test_the_better_match_comes_first(people, review):
    older = timezone.now() - datetime.timedelta(days=30)
    make_entry(
        review=review,
        team=people.team,
        title="Newer, passing mention",
        text="Among many other things about the plan, the chronology was once out of date. "
        + "The team met. The family moved. The review was held. " * 5,
    )
    make_entry(
        review=review,
        team=people.team,
        title="Chronology kept up to date",
        text="The chronology was the thread of the work: a chronology kept up to date.",
        released_on=older,
    )
    assert titles(library.search(user=people.worker, query="chronology"))[0] == (
        "Chronology kept up to date"
    )


def test_no_words_lists_everything_newest_first(people, review):
    now = timezone.now()
    for n, days in enumerate([5, 1, 3]):
        make_entry(
            review=review,
            team=people.team,
            title=f"Entry {n}",
            released_on=now - datetime.timedelta(days=days),
        )
    results = library.search(user=people.worker, query="   ")
    assert results.words == ()
    assert titles(results) == ["Entry 1", "Entry 2", "Entry 0"]
    assert results.total == 3


@pytest.mark.parametrize(
    "query",
    [
        '"',
        '"unbalanced',
        "*",
        "comm*",
        "NEAR(",
        "NEAR(a b",
        "a:b",
        "title:school",
        "-x",
        "AND OR",
        "AND",
        "OR NOT",
        "(",
        ")",
        "^school",
        "'; DROP TABLE outcomes_libraryentry; --",
        "school \x00 team",
        "x" * 5000,
        "école",
        "🙂",
    ],
)
def test_hostile_queries_return_normally(people, review, query):
    make_entry(review=review, team=people.team, title="School", text="The school and the team.")
    results = library.search(user=people.worker, query=query)
    assert results.total == len(results.results)
    assert LibraryEntry.objects.count() == 1


def test_punctuation_is_not_read_as_syntax(people, review):
    make_entry(review=review, team=people.team, text="The school raised a concern.")
    assert library.search(user=people.worker, query="school:").total == 1
    assert library.search(user=people.worker, query='"school"*').total == 1
    assert library.search(user=people.worker, query="(school) -").total == 1
    # Operators are words like any other: "NEAR" must be in the text too.
    assert library.search(user=people.worker, query="NEAR(school").total == 0


def test_the_snippet_escapes_the_text_and_marks_the_matches(people, review):
    make_entry(
        review=review,
        team=people.team,
        title="Escaping",
        text='The worker wrote <script>alert("x")</script> & the school replied <b>late</b>.',
    )
    snippet = str(library.search(user=people.worker, query="school").results[0].snippet)
    assert "<mark>school</mark>" in snippet
    # No markup but the marks: SQLite's snippet keeps the tags, escaped; PostgreSQL's
    # ts_headline leaves them out.
    assert "<" not in snippet.replace("<mark>", "").replace("</mark>", "")
    assert "&amp;" in snippet
    if connection.vendor == "sqlite":
        assert "&lt;script&gt;" in snippet
    assert snippet.count("<mark>") == snippet.count("</mark>")


def test_the_snippet_of_a_listing_is_escaped_too(people, review):
    make_entry(review=review, team=people.team, text="<script>alert(1)</script> opening words")
    snippet = str(library.search(user=people.worker, query="").results[0].snippet)
    assert "<script>" not in snippet
    assert "&lt;script&gt;" in snippet


def test_highlight_drops_marks_that_do_not_pair_up():
    start, stop = library.START, library.STOP
    assert library.highlight(f"a {stop}b{start} <i>c") == "a b<mark> &lt;i&gt;c</mark>"
    assert library.highlight(f"{start}{start}x{stop}{stop}") == "<mark>x</mark>"


@pytest.mark.parametrize(
    ("page", "last", "links"),
    [
        (1, 1, [1]),
        (1, 3, [1, 2, 3]),
        (1, 1000, [1, 2, None, 1000]),
        (500, 1000, [1, None, 499, 500, 501, None, 1000]),
        (3, 1000, [1, 2, 3, 4, None, 1000]),
        (1000, 1000, [1, None, 999, 1000]),
    ],
)
def test_the_page_links_are_the_ends_and_the_neighbours_not_every_page(page, last, links):
    assert library.page_links(page, last) == links


def test_the_fts5_expression_quotes_every_word():
    assert library.fts5_match(library.words_of('NEAR("a" -b) c:d*')) == (
        '"NEAR" AND "a" AND "b" AND "c" AND "d"'
    )


@pytest.mark.parametrize(
    ("argument", "value", "expected"),
    [
        ("ground", "lack_of_progress", {"Tagged"}),
        ("factor", "culture", {"Tagged"}),
        ("pattern", "human_reasoning", {"Tagged"}),
        ("year", 2023, {"Tagged"}),
    ],
)
def test_each_filter_narrows_the_results(people, review, argument, value, expected):
    make_entry(
        review=review,
        team=people.team,
        title="Tagged",
        text="The plan for the child drifted.",
        tags=["ground:lack_of_progress", "factor:culture", "pattern:human_reasoning"],
        year=2023,
    )
    make_entry(
        review=review,
        team=people.team,
        title="Untagged",
        text="The plan for the child drifted.",
        tags=["ground:placement_breakdown", "factor:culture_x", "pattern:human_tool"],
        year=2024,
    )
    for query in ("", "plan"):
        results = library.search(user=people.worker, query=query, **{argument: value})
        assert set(titles(results)) == expected
        assert results.filtered


def test_the_team_filter_narrows_the_results(people, review):
    make_entry(review=review, team=people.team, title="Central", text="Plan drifted.")
    make_entry(review=review, team=people.other_team, title="Fostering", text="Plan drifted.")
    for query in ("", "plan"):
        results = library.search(user=people.worker, query=query, team_id=people.other_team.pk)
        assert titles(results) == ["Fostering"]
        assert results.results[0].team_name == "Fostering Team"


def test_another_organisations_entries_never_appear(people, review):
    elsewhere = Team.objects.get(organisation=people.outsider_org)
    make_entry(review=review, team=people.team, title="Ours", text="The school plan.")
    make_entry(review=review, team=elsewhere, title="Theirs", text="The school plan.")
    assert titles(library.search(user=people.worker, query="school")) == ["Ours"]
    assert titles(library.search(user=people.worker, query="")) == ["Ours"]
    assert titles(library.search(user=people.outsider, query="school")) == ["Theirs"]
    assert library.search(user=people.worker, query="", team_id=elsewhere.pk).total == 0
    assert (
        library.entry_for(user=people.worker, pk=LibraryEntry.objects.get(title="Theirs").pk)
        is None
    )


def test_results_come_a_page_at_a_time(people, review):
    make_entries(45, review=review, team=people.team)
    for query in ("", "communication"):
        first = library.search(user=people.worker, query=query)
        assert (first.total, len(first.results), first.pages) == (45, 20, [1, 2, 3])
        last = library.search(user=people.worker, query=query, page=3)
        assert len(last.results) == 5
        beyond = library.search(user=people.worker, query=query, page=99)
        assert beyond.page == 3
        seen = {
            r.id
            for p in (1, 2, 3)
            for r in library.search(user=people.worker, query=query, page=p).results
        }
        assert len(seen) == 45


def test_a_result_carries_what_the_page_shows(people, review):
    entry = make_entry(
        review=review,
        team=people.team,
        title="A briefing",
        text="Learning about drift.",
        kind=LibraryEntry.Kind.BRIEFING,
        year=2024,
    )
    result = library.search(user=people.worker, query="drift").results[0]
    assert (result.id, result.kind, result.kind_label, result.team_name, result.year) == (
        entry.pk,
        "briefing",
        "Learning briefing",
        "Central Locality Team",
        2024,
    )
    assert result.released_on == entry.released_on


def test_the_index_follows_updates_and_deletes(people, review):
    entry = make_entry(review=review, team=people.team, text="The original wording.")
    entry.text = "Reworded about supervision."
    entry.save()
    assert library.search(user=people.worker, query="original").total == 0
    assert library.search(user=people.worker, query="supervision").total == 1
    entry.delete()
    assert library.search(user=people.worker, query="supervision").total == 0


@pytest.mark.skipif(connection.vendor != "sqlite", reason="the FTS5 table is SQLite's")
def test_the_sqlite_triggers_are_in_place():
    # A migration that rebuilds outcomes_libraryentry on SQLite drops them: this test says so.
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'trigger' AND tbl_name = %s",
            ["outcomes_libraryentry"],
        )
        names = {row[0] for row in cursor.fetchall()}
    assert {f"{library.FTS_TABLE}_{op}" for op in ("insert", "update", "delete")} <= names


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the GIN index is PostgreSQL's")
def test_the_postgresql_search_uses_the_stored_vectors_gin_index(people, review):
    make_entries(3, review=review, team=people.team)
    with connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        query = LibraryEntry.objects.filter(
            search=library.SearchQuery("school", search_type="websearch", config="english")
        ).values("id")
        sql, params = query.query.sql_with_params()
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row[0] for row in cursor.fetchall())
    assert "library_search_vector" in plan
    assert "to_tsvector" not in plan


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the stored vector is PostgreSQL's")
def test_the_stored_vector_follows_inserts_and_changes_to_title_or_text(people, review):
    entry = make_entry(review=review, team=people.team, title="Kinship", text="Supervision.")
    LibraryEntry.objects.bulk_create(
        [
            LibraryEntry(
                organisation=people.team.organisation,
                review=review,
                kind=LibraryEntry.Kind.FINDING,
                title="Bulk",
                text="Written by a bulk insert.",
                team=people.team,
                year=2025,
                released_on=timezone.now(),
            )
        ]
    )

    def lexemes(pk: int) -> str:
        return str(LibraryEntry.objects.values_list("search", flat=True).get(pk=pk))

    assert "'kinship':1A" in lexemes(entry.pk)
    assert "'supervis':2B" in lexemes(entry.pk)
    assert not LibraryEntry.objects.filter(search__isnull=True).exists()
    LibraryEntry.objects.filter(pk=entry.pk).update(title="Placement")
    assert "'placement':1A" in lexemes(entry.pk)
    assert "kinship" not in lexemes(entry.pk)


def test_themes_count_the_factors_and_patterns_of_findings_by_year(people, review):
    both = ["factor:culture", "factor:inter_agency", "pattern:human_reasoning"]
    make_entry(review=review, team=people.team, tags=both, year=2024)
    make_entry(review=review, team=people.team, tags=["factor:culture"], year=2024)
    make_entry(review=review, team=people.other_team, tags=["factor:culture"], year=2025)
    # Not counted: a recommendation, a briefing, another organisation's finding.
    for kind in (LibraryEntry.Kind.RECOMMENDATION, LibraryEntry.Kind.BRIEFING):
        make_entry(review=review, team=people.team, tags=both, year=2024, kind=kind)
    elsewhere = Team.objects.get(organisation=people.outsider_org)
    make_entry(review=review, team=elsewhere, tags=both, year=2024)

    themes = library.themes(user=people.worker)
    assert themes.years == [2024, 2025]
    assert themes.findings == [2, 1]
    assert themes.total_findings == 3
    factors = {row.key: (row.counts, row.total) for row in themes.factors}
    assert factors["culture"] == ([2, 1], 3)
    assert factors["inter_agency"] == ([1, 0], 1)
    assert factors["political"] == ([0, 0], 0)
    assert [row.key for row in themes.factors][:2] == ["family", "role"]
    patterns = {row.key: (row.counts, row.total) for row in themes.patterns}
    assert patterns["human_reasoning"] == ([1, 0], 1)
    assert patterns["human_tool"] == ([0, 0], 0)

    by_team = library.themes(user=people.worker, team_id=people.other_team.pk)
    assert by_team.years == [2025]
    assert {row.key: row.total for row in by_team.factors}["culture"] == 1

    theirs = library.themes(user=people.outsider)
    assert theirs.total_findings == 1
    assert {row.key: row.total for row in theirs.factors}["culture"] == 1


def test_themes_run_one_query(people, review, django_assert_num_queries):
    make_entries(30, review=review, team=people.team)
    with django_assert_num_queries(1):
        themes = library.themes(user=people.worker)
    assert themes.total_findings == 30
    assert sum(row.total for row in themes.factors) == 30
