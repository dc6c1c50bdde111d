"""The referral's whole story, in order (issue 4 §7): identified → supervision →
recommendation → Service Manager → group decision → feedback sent → review or further action.

Read in a fixed number of queries, however many further actions and progress reports there are:
the referral's page reads the decision, letter and review with the referral (`STORY_RELATED`),
and the further action and its reports only for a matter not proceeding to a review.
"""

import datetime
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import prefetch_related_objects
from django.urls import reverse
from django.utils import timezone

from learning_reviews.core.templatetags.govuk import govuk_date
from learning_reviews.improvement_group.models import Decision, Letter
from learning_reviews.outcomes.models import ReviewOutcome
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.selectors import IMPROVEMENT_GROUP_STATES
from learning_reviews.reviews.models import Review

# What the story shows of the records that grew from the referral, for its page to read with
# the referral in one query (`referrals.selectors.open_referral(related=…)`).
STORY_RELATED = (
    "organisation",
    "decision__created_by",
    "decision__confirmed_by",
    "decision__letter__sent_by",
    "review__outcome__referrers_told_by",
    "review__outcome__closed_by",
)


def _one(record: models.Model | None, name: str) -> Any:
    """A one-to-one record that grew from `record` (its decision, letter, review): already read
    with it (`STORY_RELATED`), or read now; None if there is none."""
    if record is None:
        return None
    try:
        return getattr(record, name)
    except ObjectDoesNotExist:
        return None


def letter_of(referral: Referral) -> Letter | None:
    """The referral's feedback letter, if the group's decision has one."""
    letter: Letter | None = _one(_one(referral, "decision"), "letter")
    return letter


@dataclass(frozen=True)
class StoryStep:
    title: str
    date: datetime.date | datetime.datetime | None = None
    who: str = ""
    detail: str = ""
    link: str = ""
    link_text: str = ""
    done: bool = True

    @property
    def iso_date(self) -> str:
        """The day, for a <time datetime="…"> attribute."""
        if isinstance(self.date, datetime.datetime):
            return timezone.localtime(self.date).date().isoformat()
        return self.date.isoformat() if self.date else ""


def _name(person: object) -> str:
    return str(person) if person is not None else ""


def _not_yet(title: str) -> StoryStep:
    return StoryStep(title=title, detail="Not yet", done=False)


def _pathway_steps(referral: Referral) -> list[StoryStep]:
    """§3 steps 0–3, from the referral's own fields."""
    steps = []
    where = referral.get_identified_at_display() if referral.identified_at else ""
    if referral.identified_at_other:
        where = (
            f"{where} — {referral.identified_at_other}" if where else referral.identified_at_other
        )
    steps.append(
        StoryStep(
            title="Need for a Learning Review identified",
            date=referral.identified_on or referral.created_on,
            who=_name(referral.worker),
            detail=where or "Where it was identified is not yet recorded.",
        )
    )
    steps.append(
        StoryStep(
            title="Discussed in supervision",
            date=referral.supervision_date,
            who=_name(referral.line_manager),
            detail=referral.supervision_note,
        )
        if referral.supervision_date
        else _not_yet("Discussed in supervision")
    )
    steps.append(
        StoryStep(
            title="Referral form signed by the worker",
            date=referral.worker_signed_on,
            who=_name(referral.worker_signed_by or referral.worker),
        )
        if referral.worker_signed_on
        else _not_yet("Referral form signed by the worker")
    )
    if referral.line_manager_signed_on:
        steps.append(
            StoryStep(
                title="Review recommended to a Service Manager",
                date=referral.line_manager_signed_on,
                who=_name(referral.line_manager_signed_by or referral.line_manager),
                detail=f"Signed by the team manager and sent to {referral.service_manager}.",
            )
        )
    else:
        steps.append(_not_yet("Review recommended to a Service Manager"))
    if referral.service_manager_decided_on:
        group = referral.organisation
        steps.append(
            StoryStep(
                title="Service Manager's decision",
                date=referral.service_manager_decided_on,
                who=_name(referral.service_manager),
                detail="Does not agree the case meets the criteria. Reasons: "
                + referral.service_manager_reasons
                if referral.status == Status.NOT_AGREED
                else "Agrees the case meets the criteria. The request goes to the "
                f"{group.improvement_group_name} ({group.improvement_group_short_name}).",
            )
        )
    else:
        steps.append(_not_yet("Service Manager's decision"))
    return steps


def _decision_step(referral: Referral, decision: Decision | None) -> StoryStep:
    # Before the Service Manager agrees, the organisation is not read: the early pages stay
    # as cheap as they were.
    title = (
        f"{referral.organisation.improvement_group_short_name}'s decision"
        if referral.service_manager_decided_on
        else "The improvement group's decision"
    )
    if decision is None:
        return _not_yet(title)
    link = reverse("group:decision", args=[referral.pk])
    if decision.status != Decision.Status.CONFIRMED:
        return StoryStep(
            title=title,
            date=decision.date_discussed,
            who=_name(decision.created_by),
            detail="Recorded; awaiting the chair's confirmation.",
            link=link,
            link_text="Read the decision",
        )
    outcome = "proceed to a Learning Review" if decision.proceed else "not to proceed"
    return StoryStep(
        title=f"{title}: {outcome}",
        date=decision.confirmed_on,
        who=_name(decision.confirmed_by),
        detail=f"Discussed on {govuk_date(decision.date_discussed)}. "
        f"Rationale: {decision.rationale}",
        link=link,
        link_text="Read the decision",
    )


def _letter_step(referral: Referral, letter: Letter | None, *, linked: bool) -> StoryStep:
    title = "Written feedback sent"
    if letter is None or letter.sent_on is None:
        return _not_yet(title)
    names = ", ".join(r.get("name") or r.get("email", "") for r in letter.recipients)
    return StoryStep(
        title=title,
        date=letter.sent_on,
        who=_name(letter.sent_by),
        detail=f"Sent to {names}." if names else "",
        link=reverse("group:letter", args=[referral.pk]) if linked else "",
        link_text="Read the letter" if linked else "",
    )


def _review_step(review: Review) -> StoryStep:
    leads = " and ".join(str(p) for p in review.lead_reviewers.all())
    return StoryStep(
        title="Learning Review commissioned",
        date=review.created_on,
        who=leads,
        detail=f"Led by {leads}; to be completed by {govuk_date(review.timescale)}.",
        link=reverse("reviews:detail", args=[review.pk]),
        link_text="Read the review's commission",
    )


def _further_action_steps(referral: Referral, decision: Decision) -> list[StoryStep]:
    prefetch_related_objects([decision], "further_actions__reports__created_by")
    actions = list(decision.further_actions.all())
    reports = [r for a in actions for r in a.reports.all()]
    latest = max(reports, key=lambda r: (r.reported_on, r.pk)) if reports else None
    detail = f"{len(actions)} further action{'s' if len(actions) != 1 else ''}; " + (
        f"{len(reports)} progress report{'s' if len(reports) != 1 else ''}, the latest on "
        f"{govuk_date(latest.reported_on)}."
        if latest
        else "no progress reported yet."
    )
    link = reverse("group:further_action", args=[referral.pk])
    steps = [
        StoryStep(
            title="Further action and progress reports",
            date=latest.reported_on if latest else None,
            who=_name(latest.created_by) if latest else "",
            detail=detail,
            link=link,
            link_text="See the further action",
        )
    ]
    if decision.further_action_completed_on:
        steps.append(
            StoryStep(
                title="Further action marked complete",
                date=decision.further_action_completed_on,
                detail="Progress reports no longer come onto the "
                f"{referral.organisation.improvement_group_short_name}'s agenda.",
            )
        )
    else:
        steps.append(_not_yet("Further action marked complete"))
    return steps


def _outcome_steps(review: Review) -> list[StoryStep]:
    """§3.6 and §4: the findings presented, what the group told the referrers, the close."""
    outcome: ReviewOutcome | None = getattr(review, "outcome", None)
    steps = [
        StoryStep(title="Findings presented to the improvement group", date=review.presented_on)
        if review.presented_on
        else _not_yet("Findings presented to the improvement group")
    ]
    if outcome is not None and outcome.referrers_told_on:
        steps.append(
            StoryStep(
                title="What the review found and what is changing",
                date=outcome.referrers_told_on,
                who=_name(outcome.referrers_told_by),
                detail=outcome.referrers_message,
            )
        )
    else:
        steps.append(_not_yet("What the review found and what is changing"))
    if review.status == Review.Status.CLOSED and outcome is not None:
        steps.append(
            StoryStep(
                title="Learning Review closed",
                date=outcome.closed_on,
                who=_name(outcome.closed_by),
                detail="Every action's outcome was checked and the learning disseminated.",
            )
        )
    else:
        steps.append(_not_yet("Learning Review closed"))
    return steps


def story_of(referral: Referral, *, letter_readable: bool = True) -> list[StoryStep]:
    """Every step of the referral's journey, in order; steps not reached yet say "Not yet".
    A referral the Service Manager did not agree stops there. The letter is linked only for
    those who may read it (`letter_readable`)."""
    steps = _pathway_steps(referral)
    if referral.status == Status.NOT_AGREED:
        return steps
    decision: Decision | None = (
        _one(referral, "decision") if referral.status in IMPROVEMENT_GROUP_STATES else None
    )
    letter: Letter | None = _one(decision, "letter")
    steps += [
        _decision_step(referral, decision),
        _letter_step(referral, letter, linked=letter_readable),
    ]
    if decision is None or decision.status != Decision.Status.CONFIRMED:
        steps.append(_not_yet("Learning Review or further action"))
    elif decision.proceed:
        review: Review | None = _one(referral, "review")
        steps.append(_review_step(review) if review else _not_yet("Learning Review commissioned"))
        if review is not None:
            steps += _outcome_steps(review)
    else:
        steps += _further_action_steps(referral, decision)
    return steps
