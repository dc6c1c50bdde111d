"""Who may see and change the review's chronology, timeline, episodes, sources and findings:
the lead reviewer changes them; the improvement group reads them; everyone
else, a participant of the review included, gets 404 on every URL."""

import pytest
from django.urls import reverse

from learning_reviews.audit.models import AuditEvent, ViewSummary
from learning_reviews.referrals.models import Status
from learning_reviews.reviews.models import KeyPracticeEpisode, Review, ReviewChronologyEntry
from learning_reviews.reviews.tests.analysis_helpers import (
    PDF,
    conversation,
    entry,
    episode,
    finding,
    set_status,
    source,
)

# Written out, not read from the code.
READERS = ("cfcig_chair", "cfcig_member")  # not the administrator or auditor (docs/security.md)
NOBODY = (
    "worker",
    "line_manager",
    "service_manager",
    "other_line_manager",
    "outsider",
    "outsider_line_manager",
)


@pytest.fixture
def review(make_referral, people) -> Review:
    make_referral(Status.REVIEW_COMMISSIONED)
    review = Review.objects.get()
    set_status(review, Review.Status.CONVERSATIONS)
    conversation(review, user=people.other_worker)
    entry(review, review.referral.chronology.first().date, "Accommodated with carers A")
    return review


@pytest.fixture
def urls(review) -> dict[str, str]:
    ep = episode(review)
    fi = finding(review)
    so = source(review, file=PDF)
    return {
        "chronology": reverse("reviews:review_chronology", args=[review.pk]),
        "timeline": reverse("reviews:review_timeline", args=[review.pk]),
        "episodes": reverse("reviews:review_episodes", args=[review.pk]),
        "episode_add": reverse("reviews:review_episode_add", args=[review.pk]),
        "episode": reverse("reviews:review_episode", args=[review.pk, ep.pk]),
        "sources": reverse("reviews:review_sources", args=[review.pk]),
        "source_file": reverse("reviews:review_source_file", args=[review.pk, so.pk]),
        "findings": reverse("reviews:review_findings", args=[review.pk]),
        "finding_add": reverse("reviews:review_finding_add", args=[review.pk]),
        "finding": reverse("reviews:review_finding", args=[review.pk, fi.pk]),
    }


PAGES = ("chronology", "timeline", "episodes", "episode", "sources", "findings", "finding")
ALL = (*PAGES, "episode_add", "finding_add", "source_file")


@pytest.mark.parametrize("page", ALL)
def test_the_lead_reviewer_opens_every_page(client, people, urls, page):
    client.force_login(people.lead_reviewer)
    assert client.get(urls[page]).status_code == 200


@pytest.mark.parametrize("persona", READERS)
@pytest.mark.parametrize("page", (*PAGES, "source_file"))
def test_the_group_and_oversight_read_every_page(client, people, urls, page, persona):
    client.force_login(getattr(people, persona))
    response = client.get(urls[page])
    assert response.status_code == 200
    if page != "source_file":
        assert "<form" not in response.text.split('id="main-content"')[1]


@pytest.mark.parametrize("persona", READERS)
@pytest.mark.parametrize("page", ("episode_add", "finding_add"))
def test_readers_are_sent_from_the_add_pages_to_the_list(client, people, urls, page, persona):
    client.force_login(getattr(people, persona))
    response = client.get(urls[page])
    assert response.status_code == 302
    assert response.url == urls[page].replace("add/", "")


@pytest.mark.parametrize("persona", NOBODY)
@pytest.mark.parametrize("page", ALL)
def test_anyone_else_gets_404_on_every_url(client, people, urls, page, persona):
    client.force_login(getattr(people, persona))
    assert client.get(urls[page]).status_code == 404
    assert client.post(urls[page], {"remove": "1"}).status_code in (404, 405)


@pytest.mark.parametrize("page", ALL)
def test_a_participant_of_the_review_gets_404_on_every_url(client, people, urls, page):
    client.force_login(people.other_worker)  # Jenna Scott, a participant with an account
    assert client.get(urls[page]).status_code == 404


@pytest.mark.parametrize("persona", READERS)
@pytest.mark.parametrize("page", ("chronology", "episode", "sources", "finding", "episode_add"))
def test_readers_cannot_change_anything(client, people, review, urls, page, persona):
    client.force_login(getattr(people, persona))
    before = AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count()
    data = {"action": "remove", "remove": str(ReviewChronologyEntry.objects.get().pk)}
    # May read but not change: back to the page with the reason (decision 0009).
    for posted in (client.post(urls[page], data), client.post(urls[page], {"action": "copy"})):
        assert posted.status_code == 302
        assert posted["Location"] == urls[page]
    shown = client.get(urls[page], follow=True).content.decode()
    assert "Only the review&#x27;s lead reviewer can change this." in shown
    assert ReviewChronologyEntry.objects.count() == 1
    assert KeyPracticeEpisode.objects.count() == 1
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count() == before


def test_a_record_of_one_review_is_404_through_another_reviews_urls(
    client, people, make_referral, review, urls
):
    make_referral(Status.REVIEW_COMMISSIONED)
    other = Review.objects.exclude(pk=review.pk).get()
    client.force_login(people.lead_reviewer)
    for name, record in (
        ("review_episode", KeyPracticeEpisode.objects.get()),
        ("review_finding", review.findings.get()),
        ("review_source_file", review.sources.get()),
    ):
        assert client.get(reverse(f"reviews:{name}", args=[other.pk, record.pk])).status_code == 404
    remove = {"remove": str(ReviewChronologyEntry.objects.get().pk)}
    client.post(reverse("reviews:review_chronology", args=[other.pk]), remove)
    assert ReviewChronologyEntry.objects.filter(review=review).count() == 1


@pytest.mark.parametrize("status", (Review.Status.READY, Review.Status.PRESENTED))
def test_once_ready_the_lead_reviewer_reads_but_cannot_change(client, people, review, urls, status):
    set_status(review, status)
    client.force_login(people.lead_reviewer)
    page = client.get(urls["chronology"])
    assert "can no longer be changed" in page.text
    assert "Add the event" not in page.text
    response = client.post(urls["chronology"], {"action": "copy"}, follow=True)
    assert "can no longer be changed" in response.text
    assert ReviewChronologyEntry.objects.count() == 1
    assert client.get(urls["episode_add"]).status_code == 302


def test_every_page_view_is_recorded_in_the_access_log(client, people, review, urls):
    client.force_login(people.cfcig_member)
    for page in PAGES:
        client.get(urls[page])
    logged = ViewSummary.objects.get(
        actor_id=people.cfcig_member.pk, record_type="reviews.review", record_id=str(review.pk)
    )
    assert logged.views == len(PAGES)
