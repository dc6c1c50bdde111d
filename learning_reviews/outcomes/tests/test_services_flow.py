"""The outcomes of one review from presented to closed, through the services."""

import datetime

import pytest

from learning_reviews.core.errors import Conflict, NotAllowed, WrongState
from learning_reviews.outcomes import services, services_briefing
from learning_reviews.outcomes.models import (
    Action,
    Briefing,
    DisseminationItem,
    LibraryEntry,
    ReviewOutcome,
)
from learning_reviews.outcomes.tests.helpers import (
    action_for,
    confirmed_review,
    presented_review,
    recommend_all,
    version,
)
from learning_reviews.reviews.models import Finding, Review

pytestmark = pytest.mark.django_db


def test_whole_flow_from_presented_to_closed(people, make_referral):
    review = presented_review(people, make_referral)
    recommendations = recommend_all(review, people.cfcig_member)
    with pytest.raises(NotAllowed):
        services.recommendations_confirm(
            review=review, by=people.cfcig_member, version=version(review)
        )
    services.recommendations_confirm(review=review, by=people.cfcig_chair, version=version(review))
    first, second = recommendations[0], recommendations[1]
    achieved = action_for(first, people.cfcig_member, people.line_manager)
    missed = action_for(second, people.cfcig_member, people.service_manager)
    services.action_update_add(
        action=achieved,
        by=people.line_manager,
        date=datetime.date.today(),
        text="Guidance written and briefed to three of four teams.",
        status=Action.Status.DONE,
    )
    achieved.refresh_from_db()
    assert achieved.status == Action.Status.DONE and achieved.is_open
    services.action_outcome_record(
        action=achieved,
        by=people.cfcig_member,
        achieved=True,
        evidence="Planned moves rose from 1 in 3 to 4 in 5 (SWIS, quarter 3).",
        next_steps="",
        version=achieved.version,
    )
    services.action_outcome_record(
        action=missed,
        by=people.cfcig_member,
        achieved=False,
        evidence="",
        next_steps="A new action for the fostering team: a night-time support rota.",
        version=missed.version,
    )
    with pytest.raises(WrongState, match="Plan how the learning is disseminated"):
        services.review_close(review=review, by=people.cfcig_chair, version=version(review))
    item = services.dissemination_add(
        review=review,
        by=people.cfcig_member,
        data=services.DisseminationInput(
            audience=DisseminationItem.Audience.SERVICE,
            method=DisseminationItem.Method.PRACTICE_FORUM,
            owner=people.line_manager,
            planned_on=datetime.date.today(),
        ),
    )
    services.dissemination_done(item=item, by=people.line_manager, done_on=datetime.date.today())
    services.referrers_tell(
        review=review,
        by=people.cfcig_member,
        message="The review found that emergency moves were not planned; guidance is changing.",
        version=version(review),
    )
    services.review_close(review=review, by=people.cfcig_chair, version=version(review))
    review.refresh_from_db()
    assert review.status == Review.Status.CLOSED
    assert ReviewOutcome.objects.get(review=review).status == ReviewOutcome.Status.CLOSED
    kinds = sorted(LibraryEntry.objects.filter(review=review).values_list("kind", flat=True))
    assert kinds.count("finding") == Finding.objects.filter(review=review).count()
    assert kinds.count("recommendation") == len(recommendations)
    child = review.referral.child_name
    for entry in LibraryEntry.objects.filter(review=review):
        assert child.split()[0] not in entry.text + entry.title


def test_recommendations_need_a_reason_when_not_accepted(people, make_referral):
    review = presented_review(people, make_referral)
    finding = Finding.objects.filter(review=review).first()
    data = services.RecommendationInput(text="Stop all moves.", response="not_accepted")
    with pytest.raises(WrongState, match="rationale"):
        services.recommendation_add(
            finding=finding, by=people.cfcig_member, data=data, version=version(review)
        )


def test_chair_cannot_confirm_what_changed_since_they_looked(people, make_referral):
    review = presented_review(people, make_referral)
    recommend_all(review, people.cfcig_member)
    stale = version(review) - 1
    with pytest.raises(Conflict):
        services.recommendations_confirm(review=review, by=people.cfcig_chair, version=stale)


def test_done_never_closes_an_action(people, make_referral):
    review = confirmed_review(people, make_referral)
    recommendation = review.recommendations.first()
    action = action_for(recommendation, people.cfcig_member, people.worker)
    with pytest.raises(WrongState):
        services.action_update_add(
            action=action,
            by=people.worker,
            date=datetime.date.today(),
            text="Done",
            status=Action.Status.ACHIEVED,
        )
    with pytest.raises(NotAllowed):
        services.action_update_add(
            action=action,
            by=people.other_worker,
            date=datetime.date.today(),
            text="Done",
            status=Action.Status.DONE,
        )


def test_briefing_is_redacted_and_needs_a_second_person(people, make_referral):
    review = confirmed_review(people, make_referral)
    briefing = services_briefing.briefing_start(review=review, by=people.lead_reviewer)
    child = review.referral.child_name
    sections = {
        key: f"{child} and her carers. Text for {key}." for key in services_briefing.SECTION_KEYS
    }
    briefing = services_briefing.briefing_save(
        briefing=briefing,
        by=people.lead_reviewer,
        sections=sections,
        keep=[],
        extra=[],
        version=briefing.version,
    )
    briefing = services_briefing.briefing_submit(
        briefing=briefing, by=people.lead_reviewer, version=briefing.version
    )
    assert all(child not in text for text in briefing.redacted.values())
    assert briefing.redacted["what_happened"].startswith("The child and her carers.")
    with pytest.raises(NotAllowed):
        services_briefing.briefing_approve(
            briefing=briefing, by=people.lead_reviewer, version=briefing.version
        )
    released = services_briefing.briefing_approve(
        briefing=briefing, by=people.cfcig_member, version=briefing.version
    )
    assert released.status == Briefing.Status.RELEASED
    entry = LibraryEntry.objects.get(briefing=released)
    assert child not in entry.text
    second = services_briefing.briefing_start(review=review, by=people.cfcig_chair)
    assert second.number == 2 and second.sections == released.sections
