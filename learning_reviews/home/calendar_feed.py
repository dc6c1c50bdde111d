"""A person's calendar feed: the dates that wait on them, as iCalendar (RFC 5545).

Every event names a referral by its reference and says what kind of date it is; none carries a
child's name, a SWIS number or a person's name (docs/security.md, "Calendar feed"). Each event
has a UID made from its record, so a calendar that polls the feed updates its events rather than
adding copies. A fixed number of queries, however many events."""

import datetime
from dataclasses import dataclass
from urllib.parse import urlsplit

import icalendar
from django.conf import settings
from django.db.models import Exists, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from learning_reviews.accounts.models import IMPROVEMENT_GROUP_ROLES, Role, User
from learning_reviews.accounts.selectors_timescales import organisation_holidays
from learning_reviews.home.calendar_services import digest_of
from learning_reviews.home.models import CalendarToken
from learning_reviews.improvement_group.models import FurtherAction, Meeting
from learning_reviews.improvement_group.selectors import DECIDED, progress_reports_due
from learning_reviews.outcomes.models import Action, DisseminationItem
from learning_reviews.outcomes.selectors import progress_reports_for
from learning_reviews.referrals.due_dates import agreed_on, group_meetings, referral_due_on
from learning_reviews.referrals.models import Referral
from learning_reviews.referrals.models import Status as ReferralStatus
from learning_reviews.referrals.selectors import referrals_visible_to
from learning_reviews.reviews.models import Outline, OutlineResponse, Review

# How far back the feed reaches: a calendar keeps what it has already shown.
HISTORY = datetime.timedelta(days=366)


@dataclass(frozen=True)
class Deadline:
    uid: str  # stable: the record and the kind of date
    on: datetime.date
    summary: str
    description: str
    path: str  # the page in the service
    location: str = ""


def person_for_feed(secret: str) -> User | None:
    """The active person whose live calendar link has this secret, or None."""
    token = (
        CalendarToken.objects.filter(
            digest=digest_of(secret), revoked_on__isnull=True, user__is_active=True
        )
        .select_related("user__organisation")
        .first()
    )
    return token.user if token is not None else None


def _reference(referral_id: int) -> str:
    return Referral(pk=referral_id).reference


def _meetings(user: User, since: datetime.date) -> list[Deadline]:
    if not user.has_any_role(*IMPROVEMENT_GROUP_ROLES):
        return []
    group = user.organisation.improvement_group_short_name
    return [
        Deadline(
            uid=f"meeting-{m.pk}",
            on=m.date,
            summary=f"{group} meeting",
            description=f"Meeting of the {user.organisation.improvement_group_name}",
            path=reverse("group:meeting", args=[m.pk]),
            location=m.place,
        )
        for m in Meeting.objects.filter(organisation_id=user.organisation_id, date__gte=since)
    ]


def _actions(user: User) -> list[Deadline]:
    found = []
    actions = Action.objects.filter(
        organisation_id=user.organisation_id, owner_id=user.pk, status__in=Action.OPEN_STATUSES
    ).select_related("review")
    for action in actions:
        reference, path = (
            _reference(action.review.referral_id),
            reverse("outcomes:action", args=[action.pk]),
        )
        if action.status != Action.Status.DONE:
            found.append(
                Deadline(
                    uid=f"action-{action.pk}-due",
                    on=action.due_on,
                    summary=f"{reference}: action due",
                    description=f"An action you own on the action plan of {reference} is due.",
                    path=path,
                )
            )
        found.append(
            Deadline(
                uid=f"action-{action.pk}-outcome-check",
                on=action.outcome_check_on,
                summary=f"{reference}: outcome check",
                description=f"The group checks the intended outcome of your action on {reference}.",
                path=path,
            )
        )
    return found


def _further_actions(user: User) -> list[Deadline]:
    actions = FurtherAction.objects.filter(
        organisation_id=user.organisation_id,
        owner_id=user.pk,
        decision__referral__status=ReferralStatus.NOT_PROCEEDING,
    ).select_related("decision")
    return [
        Deadline(
            uid=f"further-action-{a.pk}-due",
            on=a.due_on,
            summary=f"{_reference(a.decision.referral_id)}: further action due",
            description=f"Further action you own after the group's decision on "
            f"{_reference(a.decision.referral_id)} is due.",
            path=reverse("group:further_action", args=[a.decision.referral_id]),
        )
        for a in actions
    ]


def _dissemination(user: User) -> list[Deadline]:
    items = DisseminationItem.objects.filter(
        organisation_id=user.organisation_id, owner_id=user.pk, done_on__isnull=True
    ).select_related("review")
    return [
        Deadline(
            uid=f"dissemination-{item.pk}",
            on=item.planned_on,
            summary=f"{_reference(item.review.referral_id)}: dissemination planned",
            description=f"Sharing the learning of {_reference(item.review.referral_id)} "
            f"({item.get_audience_display().lower()}, {item.get_method_display().lower()}).",
            path=reverse("outcomes:dissemination", args=[item.review_id]),
        )
        for item in items
    ]


def _accuracy_checks(user: User) -> list[Deadline]:
    answered = OutlineResponse.objects.filter(outline=OuterRef("pk"), participant__user=user)
    outlines = (
        Outline.objects.filter(
            organisation_id=user.organisation_id,
            review__participants__user=user,
            review__status=Review.Status.ACCURACY_CHECK,
            shared_on__isnull=False,
            respond_by__isnull=False,
        )
        .annotate(answered=Exists(answered))
        .select_related("review")
        .distinct()
        .order_by("review_id", "-number")
    )
    latest = {o.review_id: o for o in reversed(outlines)}  # only the version now shared
    return [
        Deadline(
            uid=f"outline-{o.pk}-respond-by",
            on=o.respond_by,
            summary=f"{_reference(o.review.referral_id)}: accuracy check reply due",
            description=f"Say whether version {o.number} of the outline of the findings of "
            f"{_reference(o.review.referral_id)} is accurate.",
            path=reverse("reviews:review_accuracy_check", args=[o.review_id]),
        )
        for o in latest.values()
        if o.respond_by is not None and not o.answered
    ]


# The decisions that wait on one person, and what each is called in the feed.
STAGE_SUMMARIES = {
    ReferralStatus.WITH_SERVICE_MANAGER: ("sm-decision", "Service Manager's decision due"),
    ReferralStatus.AGREED: ("group-decision", "group's decision due"),
}


def _referral_stages(user: User) -> list[Deadline]:
    """The referral stages with a timescale that wait on `user`: the Service Manager's decision
    and the written feedback on the group's decision (for the referral's Service Manager), the
    group's decision (for the chair, who confirms it) and the team manager's progress reports
    on further action. A fixed number of queries, however many."""
    waiting = Q(status=ReferralStatus.WITH_SERVICE_MANAGER, service_manager=user)
    waiting |= Q(status=ReferralStatus.NOT_PROCEEDING, line_manager=user)
    waiting |= Q(status__in=DECIDED, service_manager=user) & ~Q(
        decision__letter__sent_on__isnull=False
    )
    if user.has_role(Role.CFCIG_CHAIR):
        waiting |= Q(status=ReferralStatus.AGREED)
    referrals = list(referrals_visible_to(user).filter(waiting).order_by("pk"))
    if not referrals:
        return []
    holidays = organisation_holidays(user.organisation_id)
    agreed = [agreed_on(r) for r in referrals if r.status == ReferralStatus.AGREED]
    meetings = group_meetings(user.organisation_id, min(agreed)) if agreed else []
    reporting = [r.pk for r in referrals if r.status == ReferralStatus.NOT_PROCEEDING]
    reports = progress_reports_due(reporting) if reporting else {}
    found = []
    for referral in referrals:
        if referral.service_manager_id == user.pk and referral.status in DECIDED:
            # The Service Manager's letter (they may be the team manager reporting as well).
            on = referral_due_on(referral, user.organisation, holidays)
            found += _stage(referral, "feedback-letter", "written feedback due", on, "group:letter")
        if referral.status == ReferralStatus.NOT_PROCEEDING and referral.line_manager_id == user.pk:
            on = reports.get(referral.pk)
            what = "progress report on further action due"
            found += _stage(referral, "progress-report", what, on, "group:further_action")
        elif referral.status in STAGE_SUMMARIES:
            kind, what = STAGE_SUMMARIES[ReferralStatus(referral.status)]
            on = referral_due_on(referral, user.organisation, holidays, meetings)
            found += _stage(referral, kind, what, on, "referrals:detail")
    return found


def _stage(
    referral: Referral, kind: str, what: str, on: datetime.date | None, page: str
) -> list[Deadline]:
    if on is None:
        return []
    return [
        Deadline(
            uid=f"referral-{referral.pk}-{kind}",
            on=on,
            summary=f"{referral.reference}: {what}",
            description=f"{referral.reference}: {what}, for you.",
            path=reverse(page, args=[referral.pk]),
        )
    ]


def _progress_reports(user: User) -> list[Deadline]:
    return [
        Deadline(
            uid=f"action-plan-{task.reference}-progress-report",
            on=task.due_on,
            summary=f"{task.reference}: progress report on the action plan due",
            description=f"Report progress on the action plan of the Learning Review of "
            f"{task.reference} to the group.",
            path=task.url,
        )
        for task in progress_reports_for(user)
        if task.due_on is not None
    ]


def deadlines_for(user: User) -> list[Deadline]:
    """Everything with a date that waits on `user`, in their organisation."""
    since = timezone.localdate() - HISTORY
    found = [
        *_meetings(user, since),
        *_referral_stages(user),
        *_progress_reports(user),
        *_actions(user),
        *_further_actions(user),
        *_dissemination(user),
        *_accuracy_checks(user),
    ]
    return sorted(found, key=lambda d: (d.on, d.uid))


def feed_for(user: User) -> bytes:
    """The iCalendar feed of `user`'s deadlines: all-day events, no names."""
    base = settings.SERVICE_URL.rstrip("/")
    host = urlsplit(base).hostname or "learning-reviews"
    calendar = icalendar.Calendar()
    calendar.add("prodid", "-//Learning Reviews//Calendar feed//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", "Learning Reviews")
    stamp = timezone.now()
    for deadline in deadlines_for(user):
        event = icalendar.Event()
        event.add("uid", f"{deadline.uid}@{host}")
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.on)
        event.add("dtend", deadline.on + datetime.timedelta(days=1))
        event.add("summary", deadline.summary)
        event.add("description", f"{deadline.description}\n{base}{deadline.path}")
        event.add("url", f"{base}{deadline.path}")
        if deadline.location:
            event.add("location", deadline.location)
        event.add("transp", "TRANSPARENT")
        calendar.add_component(event)
    return calendar.to_ical()
