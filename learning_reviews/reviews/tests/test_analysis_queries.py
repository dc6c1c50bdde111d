"""Each analysis page runs the same number of queries however many events, episodes,
conversations, sources and findings the review has."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from learning_reviews.referrals.models import Status
from learning_reviews.reviews.models import Review
from learning_reviews.reviews.tests.analysis_helpers import (
    PDF,
    conversation,
    entry,
    episode,
    finding,
    source,
)

PAGES = (
    "review_chronology",
    "review_timeline",
    "review_episodes",
    "review_episode",
    "review_episode_add",
    "review_sources",
    "review_findings",
    "review_finding",
    "review_finding_add",
)
MAX_QUERIES = 16


def _grow(review: Review, n: int) -> None:
    """n of everything, each episode linked to every conversation and each finding to every
    episode."""
    start = review.episodes.count()
    conversations = [conversation(review, f"Participant {start + i}") for i in range(n)]
    for i in range(n):
        day = datetime.date(2024, 1, 1) + datetime.timedelta(days=10 * (start + i))
        entry(review, day, f"Event {start + i}", source="SWIS case note", from_referral=i % 2 == 0)
        ep = episode(review, f"Episode {start + i}", start=day, end=day + datetime.timedelta(20))
        ep.conversations.set(review.conversations.all())
        fi = finding(review, f"Finding {start + i}")
        fi.episodes.set(review.episodes.all())
        source(review, f"Source {start + i}", file=PDF if i % 2 else None)
    assert conversations


def _count(client, review: Review, name: str) -> int:
    args = [review.pk]
    if name == "review_episode":
        args.append(review.episodes.first().pk)
    if name == "review_finding":
        args.append(review.findings.first().pk)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse(f"reviews:{name}", args=args))
    assert response.status_code == 200
    return len(queries)


CASES = [("lead_reviewer", name) for name in PAGES] + [
    ("cfcig_member", name) for name in PAGES if not name.endswith("_add")
]


@pytest.mark.parametrize(("persona", "name"), CASES)
def test_queries_do_not_grow_with_the_rows(client, people, make_referral, name, persona):
    make_referral(Status.REVIEW_COMMISSIONED)
    review = Review.objects.get()
    _grow(review, 1)
    client.force_login(getattr(people, persona))
    few = _count(client, review, name)
    _grow(review, 8)
    many = _count(client, review, name)
    assert few == many
    assert many <= MAX_QUERIES
