"""A closed case and a referral that did not proceed, with the worked case's fictional content,
at fixed dates the retention tests travel around."""

import datetime
import json

from learning_reviews.audit.models import AuditEvent
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.testing import CaseContent
from learning_reviews.reviews.models import Review
from learning_reviews.reviews.tests import analysis_helpers as workspace

DECIDED = datetime.datetime(2020, 3, 2, 12, 0, tzinfo=datetime.UTC)
CLOSED = datetime.date(2000, 6, 1)
PDF = workspace.PDF


def not_proceeding(make_referral, **content) -> Referral:
    referral = make_referral(Status.NOT_AGREED, content=CaseContent(**content))
    Referral.objects.filter(pk=referral.pk).update(status_changed_on=DECIDED)
    return Referral.objects.get(pk=referral.pk)


def closed_case(make_referral, **content) -> Review:
    referral = make_referral(Status.REVIEW_COMMISSIONED, content=CaseContent(**content))
    review = Review.objects.get(referral=referral)
    workspace.conversation(review)
    workspace.episode(review)
    workspace.finding(review)
    workspace.source(review, file=PDF)
    Review.objects.filter(pk=review.pk).update(
        status=Review.Status.CLOSED, presented_on=CLOSED, closed_on=CLOSED
    )
    return Review.objects.get(pk=review.pk)


def trail_mentions(text: str) -> bool:
    """Whether any audit event's words hold `text`."""
    return any(
        text in summary or text in json.dumps(changes)
        for summary, changes in AuditEvent.objects.values_list("summary", "changes")
    )
