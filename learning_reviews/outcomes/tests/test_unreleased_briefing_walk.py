"""Nobody outside the review sees an unreleased briefing: every page of the service that takes
no more than a record's id is opened, with the ids of the review, its referral and the
briefing, by people with no part in the review (the referral's own worker included), an
auditor and someone of another organisation. None of them sees a word of it."""

from collections.abc import Iterator

import pytest
from django.test import override_settings
from django.urls import reverse

from conftest import build_people, url_routes
from learning_reviews.home.tests.test_url_matrix import MATRIX
from learning_reviews.outcomes import services_briefing
from learning_reviews.outcomes.models import Briefing
from learning_reviews.outcomes.tests.helpers import confirmed_review
from learning_reviews.referrals.tests.built_once import built_once

MARKER = "Zephyrantha"  # a made-up word that appears only in the briefing
# What the briefing says around it: a search box may echo the word searched for, never this.
PHRASE = f"{MARKER} practice"


def _build():
    people = build_people()
    from learning_reviews.improvement_group.testing import referral_at

    def make_referral(status):
        return referral_at(
            status,
            worker=people.worker,
            line_manager=people.line_manager,
            service_manager=people.service_manager,
            team=people.team,
            group_member=people.cfcig_member,
            group_chair=people.cfcig_chair,
            lead_reviewer=people.lead_reviewer,
        )

    review = confirmed_review(people, make_referral)
    awaiting = services_briefing.briefing_start(review=review, by=people.lead_reviewer)
    sections = {key: f"{MARKER} practice, {key}." for key in services_briefing.SECTION_KEYS}
    awaiting = services_briefing.briefing_save(
        briefing=awaiting,
        by=people.lead_reviewer,
        sections=sections,
        keep=[MARKER],
        extra=[],
        version=awaiting.version,
    )
    awaiting = services_briefing.briefing_submit(
        briefing=awaiting, by=people.lead_reviewer, version=awaiting.version
    )
    assert MARKER in awaiting.redacted["what_happened"]
    ids = sorted({review.pk, review.referral_id, awaiting.pk})
    return people, ids, awaiting.pk


@pytest.fixture(scope="module")
def media(tmp_path_factory):
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, media) -> Iterator[tuple]:
    # The review's files (its report) are written where the tests will read them.
    with override_settings(MEDIA_ROOT=media):
        yield from built_once(django_db_blocker, _build)


@pytest.fixture(autouse=True)
def _same_media(settings, media):
    settings.MEDIA_ROOT = media


def _pages(ids: list[int]) -> list[str]:
    urls = []
    for name, route in sorted(set(url_routes())):
        entry = MATRIX.get(name)
        if entry is None or "GET" not in entry.methods or name in ("logout", "healthz"):
            continue
        params = route.count("<")
        if params == 0:
            urls.append(reverse(name))
        elif params == 1 and "<int:pk>" in route:
            urls += [reverse(name, kwargs={"pk": pk}) for pk in ids]
    return urls


@pytest.mark.parametrize(
    "who", ["worker", "line_manager", "other_worker", "auditor", "admin", "outsider"]
)
def test_no_page_shows_an_unreleased_briefing_to_anyone_outside_the_review(db, client, built, who):
    people, ids, briefing_pk = built
    client.force_login(getattr(people, who))
    seen = []
    for url in _pages(ids):
        response = client.get(url, {"q": MARKER})
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if PHRASE.encode() in body:
            seen.append(url)
    assert seen == []
    assert client.get(reverse("outcomes:briefing", args=[briefing_pk])).status_code == 404


def test_the_walk_reaches_the_briefing_for_those_in_the_review(db, client, built):
    """The check above can fail: the review's lead reviewer and the group do see it."""
    people, _ids, briefing_pk = built
    for user in (people.lead_reviewer, people.cfcig_member):
        client.force_login(user)
        page = client.get(reverse("outcomes:briefing", args=[briefing_pk]))
        assert PHRASE in page.content.decode()
    assert Briefing.objects.get(pk=briefing_pk).status == Briefing.Status.AWAITING_APPROVAL
