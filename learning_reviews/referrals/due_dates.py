"""When each stage that waits on one person is due (issue 11; docs/decisions/0023-working-days.md).

One place computes a stage's due date: the organisation's timescale for the stage, in working
days (core/working_days.py) after the day the stage started. The referral keeps the due date of
the stage it is at (`Referral.due_on`, set by the service that starts the stage), so changing a
timescale does not move a deadline already set; a referral from before due dates were kept has
its due date worked out from the day its stage started. The accuracy check's due date is the
outline's own "respond by" date, which the lead reviewer sets when sharing it.
"""

import datetime
from collections.abc import Callable, Collection, Sequence
from enum import StrEnum

from django.utils import timezone

from learning_reviews.accounts.models import Organisation
from learning_reviews.core.working_days import NO_HOLIDAYS, add_working_days
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.pathway import Party


class Stage(StrEnum):
    """A stage that waits on one person, named by its organisation's timescale."""

    SERVICE_MANAGER_DECISION = "service_manager_decision_days"
    GROUP_DECISION = "group_decision_days"
    FEEDBACK_LETTER = "feedback_letter_days"
    ACCURACY_CHECK = "accuracy_check_days"


# The stage a referral is at in each state, once it has started: the Service Manager's decision
# from the line manager's recommendation, the group's from the Service Manager's agreement, the
# feedback letter from the chair's confirmation of the group's decision.
STAGE_OF: dict[Status, Stage] = {
    Status.WITH_SERVICE_MANAGER: Stage.SERVICE_MANAGER_DECISION,
    Status.AGREED: Stage.GROUP_DECISION,
    Status.REVIEW_COMMISSIONED: Stage.FEEDBACK_LETTER,
    Status.NOT_PROCEEDING: Stage.FEEDBACK_LETTER,
    Status.FURTHER_ACTION_COMPLETE: Stage.FEEDBACK_LETTER,
}
# What each stage is, in the protocol's words, for pages and the audit trail.
STAGE_NAMES: dict[Stage, str] = {
    Stage.SERVICE_MANAGER_DECISION: "the Service Manager's decision",
    Stage.GROUP_DECISION: "the improvement group's decision",
    Stage.FEEDBACK_LETTER: "the written feedback on the group's decision",
    Stage.ACCURACY_CHECK: "each participant's response to the accuracy check",
}

# Who may change a referral's due date: the Service Manager, who decides, agrees the referral to
# the group and sends the feedback, manages those stages, with the group's chair once the
# referral is before the group (the group sees a referral only from the Service Manager's
# agreement). Each change has a reason and is in the referral's history for all its readers.
MANAGED_BY: dict[Stage, frozenset[Party]] = {
    Stage.SERVICE_MANAGER_DECISION: frozenset({Party.SERVICE_MANAGER}),
    Stage.GROUP_DECISION: frozenset({Party.SERVICE_MANAGER, Party.GROUP_CHAIR}),
    Stage.FEEDBACK_LETTER: frozenset({Party.SERVICE_MANAGER, Party.GROUP_CHAIR}),
}

# The states a step enters that start a stage (marking further action complete does not start
# the letter's stage again).
STARTS = frozenset(STAGE_OF) - {Status.FURTHER_ACTION_COMPLETE}


def due_date(
    organisation: Organisation,
    stage: Stage,
    started: datetime.date,
    extra_holidays: Collection[datetime.date] = NO_HOLIDAYS,
) -> datetime.date:
    """The day a stage that started on `started` is due: the organisation's timescale for it,
    in working days after that day."""
    return add_working_days(started, getattr(organisation, stage.value), extra_holidays)


# The group's meetings are kept by the improvement group's app, above this one; it registers
# here (in its `AppConfig.ready`) how to read their dates, so the arrow keeps pointing down.
# (organisation id, since) -> the dates of the group's meetings on or after `since`.
MeetingDates = Callable[[int, datetime.date], Sequence[datetime.date]]
_meeting_sources: list[MeetingDates] = []


def register_meetings(source: MeetingDates) -> None:
    """Idempotent, so a second `ready()` (as in some test runners) adds nothing twice."""
    if source not in _meeting_sources:
        _meeting_sources.append(source)


def group_meetings(organisation_id: int, since: datetime.date) -> list[datetime.date]:
    """The dates of the organisation's group meetings on or after `since`, soonest first (one
    query): read once for a whole list of referrals and passed to `referral_due_on`."""
    return sorted({day for source in _meeting_sources for day in source(organisation_id, since)})


def agreed_on(referral: Referral) -> datetime.date:
    """The day the referral's current stage started: for the group's decision, the day the
    Service Manager agreed it."""
    return timezone.localdate(referral.status_changed_on)


def referral_due_on(
    referral: Referral,
    organisation: Organisation,
    extra_holidays: Collection[datetime.date] = NO_HOLIDAYS,
    meetings: Sequence[datetime.date] | None = None,
) -> datetime.date | None:
    """The due date of the stage the referral is at (None if its state has none): the one kept
    when the stage started, or for an older referral, worked out from when it started.

    The group decides at its first meeting on or after the day of the Service Manager's
    agreement when that comes before the timescale (docs/decisions/0030-group-decision-at-the-
    first-meeting.md), worked out as it is read, so a meeting planned, moved or cancelled after
    the agreement counts. A due date changed by hand, with its reason, stands. `meetings` are
    the dates of the organisation's meetings (`group_meetings`), read here if not given."""
    stage = STAGE_OF.get(Status(referral.status))
    if stage is None:
        return None
    started = agreed_on(referral)
    timescale = referral.due_on or due_date(organisation, stage, started, extra_holidays)
    if stage is not Stage.GROUP_DECISION or referral.due_on_by_hand:
        return timescale
    if meetings is None:
        meetings = group_meetings(referral.organisation_id, started)
    first = min((day for day in meetings if day >= started), default=None)
    return first if first is not None and first < timescale else timescale
