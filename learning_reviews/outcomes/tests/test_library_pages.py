"""The learning library's pages: search, one entry, the themes."""

import pytest
from django.urls import reverse

from learning_reviews.accounts.models import Team
from learning_reviews.outcomes.models import LibraryEntry
from learning_reviews.outcomes.tests.library_helpers import make_entries, make_entry
from learning_reviews.referrals.models import Status

pytestmark = pytest.mark.django_db

LIBRARY = reverse("outcomes:library")
THEMES = reverse("outcomes:themes")


@pytest.fixture
def review(make_referral):
    return make_referral(Status.REVIEW_COMMISSIONED).review


@pytest.fixture
def elsewhere(people):
    return Team.objects.get(organisation=people.outsider_org)


def test_the_urls():
    assert LIBRARY == "/outcomes/library/"
    assert THEMES == "/outcomes/library/themes/"
    assert reverse("outcomes:library_entry", args=[7]) == "/outcomes/library/7/"


@pytest.mark.parametrize("url", [LIBRARY, THEMES, "/outcomes/library/1/"])
def test_signed_out_people_are_sent_to_sign_in(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("persona", ["worker", "other_worker", "auditor", "cfcig_chair", "admin"])
def test_everyone_in_the_organisation_may_read_the_library(client, people, review, persona):
    entry = make_entry(review=review, team=people.team, title="Drift", text="The plan drifted.")
    client.force_login(getattr(people, persona))
    assert client.get(LIBRARY).status_code == 200
    assert client.get(reverse("outcomes:library_entry", args=[entry.pk])).status_code == 200
    assert client.get(THEMES).status_code == 200


def test_the_search_page_shows_highlighted_results(client, people, review):
    make_entry(
        review=review,
        team=people.team,
        title="Drift in planning",
        text="Communication with the <script>school</script> broke down.",
        kind=LibraryEntry.Kind.RECOMMENDATION,
        year=2024,
    )
    make_entry(review=review, team=people.team, title="Unrelated", text="Nothing alike.")
    client.force_login(people.worker)
    html = client.get(LIBRARY, {"q": "communicating"}).content.decode()
    assert "1 result for “communicating”" in html
    assert "Drift in planning" in html
    assert "Unrelated" not in html
    assert "<mark>Communication</mark>" in html
    assert "<script>school" not in html
    assert "Recommendation</strong>" in html
    assert "Central Locality Team, 2024" in html


def test_the_count_says_how_many(client, people, review):
    make_entries(3, review=review, team=people.team)
    client.force_login(people.worker)
    html = client.get(LIBRARY, {"q": "school"}).content.decode()
    assert "3 results for “school”" in html
    html = client.get(LIBRARY, {"q": "school", "year": "2023"}).content.decode()
    assert "1 result for “school” that matches the filters" in html
    assert "3 results" in client.get(LIBRARY).content.decode()


def test_results_are_paged(client, people, review):
    make_entries(25, review=review, team=people.team)
    client.force_login(people.worker)
    first = client.get(LIBRARY, {"q": "school"}).content.decode()
    assert "25 results" in first
    assert "govuk-pagination" in first
    assert "q=school&amp;page=2" in first
    second = client.get(LIBRARY, {"q": "school", "page": "2"}).content.decode()
    assert second.count("govuk-tag--purple") == 5
    for page in ("abc", "-1", "99999999999999999999999", "9999"):
        assert client.get(LIBRARY, {"page": page}).status_code == 200


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("year", "abc", "Select a year from the list"),
        ("year", "1999", "Select a year from the list"),
        ("team", "99999999999999999999", "Select a team from the list"),
        ("team", "abc", "Select a team from the list"),
        ("factor", "nonsense", "Select a contributory factor from the list"),
        ("pattern", "nonsense", "Select an SCIE pattern from the list"),
        ("ground", "nonsense", "Select a ground from the list"),
        ("q", "x" * 201, "Search words must be 200 characters or fewer"),
    ],
)
def test_a_bad_filter_is_an_error_beside_its_field(client, people, review, field, value, message):
    make_entry(review=review, team=people.team, title="Still listed", year=2024)
    client.force_login(people.worker)
    response = client.get(LIBRARY, {field: value})
    assert response.status_code == 200
    html = response.content.decode()
    assert f'id="id_{field}-error"' in html
    assert message in html
    assert "There is a problem" in html
    assert "Still listed" in html  # the filter in error is left out


def test_a_bad_team_on_the_themes_page_is_an_error(client, people):
    client.force_login(people.worker)
    response = client.get(THEMES, {"team": "99999999999999999999"})
    assert response.status_code == 200
    assert "Select a team from the list" in response.content.decode()


def test_the_filters_narrow_the_page(client, people, review):
    make_entry(
        review=review, team=people.team, title="Central one", tags=["factor:culture"], year=2024
    )
    make_entry(review=review, team=people.other_team, title="Fostering one", year=2025)
    client.force_login(people.worker)
    html = client.get(LIBRARY, {"team": people.other_team.pk}).content.decode()
    assert "Fostering one" in html
    assert "Central one" not in html
    html = client.get(LIBRARY, {"factor": "culture"}).content.decode()
    assert "Central one" in html
    assert "Fostering one" not in html


def test_another_organisations_entries_never_show(client, people, review, elsewhere):
    theirs = make_entry(review=review, team=elsewhere, title="Elsewhere learning", year=2020)
    make_entry(review=review, team=people.team, title="Our learning", year=2024)
    client.force_login(people.worker)
    html = client.get(LIBRARY).content.decode()
    assert "Our learning" in html
    assert "Elsewhere learning" not in html
    assert "East Team" not in html  # not offered as a filter either
    assert "2020" not in html
    assert "Elsewhere learning" not in client.get(LIBRARY, {"q": "learning"}).content.decode()
    response = client.get(LIBRARY, {"team": elsewhere.pk})
    assert "Select a team from the list" in response.content.decode()
    entry_url = reverse("outcomes:library_entry", args=[theirs.pk])
    assert client.get(entry_url).status_code == 404
    assert client.get("/outcomes/library/99999999999999999999/").status_code == 404


def test_the_entry_page_shows_the_entry_in_full(client, people, review):
    entry = make_entry(
        review=review,
        team=people.team,
        title="Chronologies",
        text="First line <b>bold?</b>\nSecond line\n\nNew paragraph",
        tags=["ground:lack_of_progress", "factor:inter_agency", "pattern:human_reasoning"],
        year=2024,
    )
    client.force_login(people.other_worker)
    html = client.get(reverse("outcomes:library_entry", args=[entry.pk])).content.decode()
    assert "Chronologies" in html
    assert "First line &lt;b&gt;bold?&lt;/b&gt;<br>Second line</p>" in html
    assert "<p>New paragraph</p>" in html
    assert "Central Locality Team" in html
    assert "2024" in html
    assert "Concerns about apparent lack of progress in progressing the child" in html
    assert "Inter-agency/inter-professional team factors" in html
    assert "SCIE pattern: Human reasoning" in html
    assert "Read the learning briefing" not in html  # a finding has no briefing


def test_a_briefing_entry_links_to_its_briefing_when_that_page_exists(client, people, review):
    from learning_reviews.outcomes.models import Briefing

    briefing = Briefing.objects.create(
        organisation=people.org, review=review, number=1, status=Briefing.Status.RELEASED
    )
    entry = make_entry(
        review=review,
        team=people.team,
        kind=LibraryEntry.Kind.BRIEFING,
        briefing_id=briefing.pk,
    )
    client.force_login(people.worker)
    response = client.get(reverse("outcomes:library_entry", args=[entry.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    try:
        url = reverse("outcomes:briefing", args=[briefing.pk])
    except Exception:  # noqa: BLE001 - the briefing page is written elsewhere
        assert "Read the learning briefing" not in html
    else:
        assert f'href="{url}">Read the learning briefing' in html


def test_the_themes_page_counts_findings_by_year(client, people, review, elsewhere):
    make_entry(review=review, team=people.team, tags=["factor:culture"], year=2023)
    make_entry(review=review, team=people.other_team, tags=["factor:culture"], year=2024)
    make_entry(review=review, team=elsewhere, tags=["factor:political"], year=2019)
    client.force_login(people.worker)
    html = client.get(THEMES).content.decode()
    assert "counts" in html and "findings of the organisation’s closed reviews" in html
    assert ">2023<" in html and ">2024<" in html
    assert ">2019<" not in html
    assert "Organisational culture and management" in html
    assert "Human reasoning" in html
    html = client.get(THEMES, {"team": people.other_team.pk}).content.decode()
    assert ">2024<" in html and ">2023<" not in html
    client.force_login(people.outsider)
    html = client.get(THEMES).content.decode()
    assert ">2019<" in html and ">2023<" not in html


def _grow(people, review, count: int, start: int) -> None:
    make_entries(count, review=review, team=people.team, start=start)
    make_entries(count, review=review, team=people.other_team, start=start + count)


# The bounds are the same at 3 and at 30 entries of each team: no query per entry. They are
# today's counts (session, user, organisation, roles, the filters' choices, the search) plus one.
LIBRARY_QUERIES = 10
THEMES_QUERIES = 7


@pytest.mark.parametrize(
    "params",
    [
        {},
        {"q": "communication"},
        {"q": "school", "factor": "culture", "year": "2024", "pattern": "human_reasoning"},
        {"year": "abc"},
    ],
)
def test_the_library_page_runs_a_constant_number_of_queries(
    client, people, review, django_assert_max_num_queries, params
):
    client.force_login(people.worker)
    _grow(people, review, 3, 0)
    with django_assert_max_num_queries(LIBRARY_QUERIES):
        assert client.get(LIBRARY, params).status_code == 200
    _grow(people, review, 27, 100)
    with django_assert_max_num_queries(LIBRARY_QUERIES):
        response = client.get(LIBRARY, params)
    assert response.status_code == 200


@pytest.mark.parametrize("params", [{}, {"team": "team"}])
def test_the_themes_page_runs_a_constant_number_of_queries(
    client, people, review, django_assert_max_num_queries, params
):
    if params:
        params = {"team": str(people.team.pk)}
    client.force_login(people.worker)
    _grow(people, review, 3, 0)
    with django_assert_max_num_queries(THEMES_QUERIES):
        assert client.get(THEMES, params).status_code == 200
    _grow(people, review, 27, 100)
    with django_assert_max_num_queries(THEMES_QUERIES):
        assert client.get(THEMES, params).status_code == 200


def test_the_entry_page_runs_a_constant_number_of_queries(
    client, people, review, django_assert_max_num_queries
):
    entry = make_entry(review=review, team=people.team)
    client.force_login(people.worker)
    with django_assert_max_num_queries(THEMES_QUERIES):
        assert client.get(reverse("outcomes:library_entry", args=[entry.pk])).status_code == 200
