"""The group's meetings (§3.4, §4): planning, the agenda, minutes per item and the minutes as a
PDF. Views parse input and call the selectors and services."""

from django.contrib import messages
from django.db.models import Count, Prefetch, Q
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import IMPROVEMENT_GROUP_ROLES, Role, User
from learning_reviews.audit.services import downloads
from learning_reviews.core.errors import ServiceError
from learning_reviews.core.http import private_download
from learning_reviews.core.versions import Stale, keep_typed, parse_version
from learning_reviews.documents.pdf import render_pdf
from learning_reviews.improvement_group import agenda, services
from learning_reviews.improvement_group.forms import MeetingForm, MinutesForm
from learning_reviews.improvement_group.models import (
    AgendaItem,
    Decision,
    FurtherAction,
    Meeting,
)
from learning_reviews.improvement_group.selectors import (
    get_meeting_for,
    is_group_member,
    meetings_visible_to,
    open_agenda_item,
    open_meeting,
)
from learning_reviews.referrals.models import Status


def _may_see_meetings(user: User) -> bool:
    # The same people meetings_visible_to lets in: everyone else gets 404.
    return is_group_member(user)


def _items(meeting: Meeting) -> list[AgendaItem]:
    """The agenda, as `open_meeting` read it (with each item's referral)."""
    return list(meeting.items.all())


def _decisions(items: list[AgendaItem], *, full: bool = False) -> dict[int, Decision]:
    """The decision on each item's referral, by referral id, in one query (or a few, whole);
    not `full`, just what the agenda shows (a long agenda spent its time building whole rows)."""
    decisions = Decision.objects.filter(referral_id__in=[i.referral_id for i in items])
    if not full:
        decisions = decisions.only("referral_id", "proceed", "status")
    else:
        decisions = decisions.select_related("created_by", "confirmed_by", "meeting")
        decisions = decisions.prefetch_related(
            "objectives",
            "lead_reviewers",
            Prefetch(
                "further_actions",
                queryset=FurtherAction.objects.select_related("owner").prefetch_related("reports"),
            ),
        )
    return {d.referral_id: d for d in decisions}


def _agenda_row(
    meeting: Meeting, item: AgendaItem, decision: Decision | None, flags: list[str]
) -> dict[str, object]:
    """One line of the agenda as plain text, worked out here rather than in the template: a
    national agenda of 79 items spent most of its time resolving the template's lookups."""
    referral = item.referral
    title = referral.reference + (f" · {referral.child_name}" if referral.child_name else "")
    if item.kind == AgendaItem.Kind.REFERRAL:
        if decision is None:
            state = "Not yet recorded"
        else:
            confirmed = decision.status == Decision.Status.CONFIRMED
            state = (
                f"{'Proceed' if decision.proceed else 'Do not proceed'} — "
                f"{'confirmed' if confirmed else 'awaiting the chair'}"
            )
    elif item.kind == AgendaItem.Kind.PROGRESS:
        complete = referral.status == Status.FURTHER_ACTION_COMPLETE
        state = "Further action complete" if complete else "Further action under way"
    elif item.kind == AgendaItem.Kind.FINDINGS:
        state = "Findings to present"
    else:
        state = "See the item"
    return {
        "position": str(item.position),
        "href": reverse("group:agenda_item", args=[meeting.pk, item.pk]),
        "title": title,
        "kind": item.get_kind_display(),
        "state": state,
        "flags": flags,
        "minutes": "Written" if item.minutes else "Not yet written",
    }


def meetings(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not _may_see_meetings(user):
        raise Http404("No meetings found")
    today = timezone.localdate()
    listed = meetings_visible_to(user).annotate(
        item_count=Count("items"), minuted=Count("items", filter=~Q(items__minutes=""))
    )
    return render(
        request,
        "improvement_group/meetings.html",
        {
            "upcoming": listed.filter(date__gte=today).order_by("date", "id"),
            "past": listed.filter(date__lt=today).order_by("-date", "-id"),
            "can_plan": is_group_member(user),
        },
    )


@require_http_methods(["GET", "POST"])
def meeting_new(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if not _may_see_meetings(user):
        raise Http404("No meetings found")
    if not is_group_member(user):
        messages.error(request, "Only members of the group can plan a meeting.")
        return redirect("group:meetings")
    people = User.objects.filter(organisation_id=user.organisation_id, is_active=True)
    members = list(people.filter(memberships__role__in=IMPROVEMENT_GROUP_ROLES).distinct())
    others = list(people.exclude(pk__in=[p.pk for p in members]))
    form = MeetingForm(
        request.POST or None,
        members=members,
        others=others,
        initial={"members": [str(p.pk) for p in members]},
    )
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_create(
                by=user,
                date=form.cleaned_data["date"],
                place=form.cleaned_data["place"],
                attendees=form.attendees(),
                apologies=form.cleaned_data["apologies"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            count = meeting.items.count()
            messages.success(
                request,
                f"Meeting planned. {count} item{'s' if count != 1 else ''} "
                "from the queue on the agenda.",
            )
            return redirect("group:meeting", meeting.pk)
    return render(request, "improvement_group/meeting_new.html", {"form": form})


def meeting(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = open_meeting(
        request,
        pk,
        "Viewed the agenda of the {meeting}{references}",
        only=("kind", "minutes", "referral__child_name", "referral__status"),
    )
    items = list(_items(meeting))
    decisions = _decisions(items)
    flags = agenda.flags([i.referral_id for i in items if i.kind == AgendaItem.Kind.ACTION_PLAN])
    member = is_group_member(user)
    return render(
        request,
        "improvement_group/meeting.html",
        {
            "meeting": meeting,
            "attendees": list(meeting.attendees.all()),
            "rows": [
                _agenda_row(
                    meeting,
                    i,
                    decisions.get(i.referral_id),
                    flags.get(i.referral_id, []) if i.kind == i.Kind.ACTION_PLAN else [],
                )
                for i in items
            ],
            "can_update_agenda": member and meeting.status == Meeting.Status.PLANNED,
            "can_close": user.has_role(Role.CFCIG_CHAIR)
            and meeting.status != Meeting.Status.CLOSED,
        },
    )


@require_POST
def meeting_agenda(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = get_meeting_for(user, pk)
    try:
        added = services.meeting_build_agenda(meeting=meeting, by=user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        if added:
            messages.success(
                request, f"{len(added)} item{'s' if len(added) != 1 else ''} added to the agenda."
            )
        else:
            messages.info(request, "Nothing new is waiting for the group: the agenda is as it was.")
    return redirect("group:meeting", meeting.pk)


def _item_context(user: User, meeting: Meeting, item: AgendaItem) -> dict[str, object]:
    decision = _decisions([item], full=True).get(item.referral_id)
    referral = item.referral
    member = is_group_member(user)
    chair = user.has_role(Role.CFCIG_CHAIR)
    return {
        "meeting": meeting,
        "item": item,
        "referral": referral,
        "decision": decision,
        "item_count": meeting.items.count(),
        "can_record": member and referral.status == Status.AGREED,
        "can_confirm": chair
        and decision is not None
        and decision.status == Decision.Status.RECORDED
        and referral.status == Status.AGREED,
        "can_complete": chair and referral.status == Status.NOT_PROCEEDING,
        "can_minute": member and meeting.status != Meeting.Status.CLOSED,
        "warnings": (
            services.lead_reviewer_warnings(referral, list(decision.lead_reviewers.all()))
            if decision is not None and decision.proceed
            else []
        ),
    }


@require_http_methods(["GET", "POST"])
def agenda_item(request: AuthenticatedRequest, pk: int, item: int) -> HttpResponse:
    user = request.user
    found = open_agenda_item(request, pk, item)
    meeting = found.meeting
    form = MinutesForm(
        request.POST or None, initial={"minutes": found.minutes, "version": found.version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.meeting_record_minutes(
                item=found,
                by=user,
                minutes=form.cleaned_data["minutes"],
                version=form.cleaned_data["version"],
            )
        except Stale as error:
            now = AgendaItem.objects.values_list("minutes", flat=True).get(pk=found.pk)
            keep_typed(form, error, {"minutes": now})
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"Minutes of item {found.position} saved.")
            return redirect("group:meeting", meeting.pk)
    context = _item_context(user, meeting, found)
    return render(request, "improvement_group/agenda_item.html", {**context, "form": form})


@require_POST
def meeting_close(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    meeting = get_meeting_for(user, pk)
    try:
        services.meeting_close(
            meeting=meeting, by=user, version=parse_version(request.POST.get("version"))
        )
    except Stale as error:
        messages.error(
            request,
            f"{error.headline}. Read the minutes as they are now, then confirm them if they are "
            "complete.",
        )
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The minutes are confirmed as complete.")
    return redirect("group:meeting", meeting.pk)


@require_GET
@downloads
def minutes_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    user = request.user
    meeting = open_meeting(request, pk, "Downloaded the minutes of the {meeting}")
    items = list(_items(meeting))
    decisions = _decisions(items, full=True)
    content = render_pdf(
        template="improvement_group/minutes_pdf.html",
        context={
            "meeting": meeting,
            "organisation": user.organisation,
            "attendees": list(meeting.attendees.all()),
            "rows": [{"item": i, "decision": decisions.get(i.referral_id)} for i in items],
        },
    )
    return private_download(
        content,
        filename=f"minutes-{meeting.date:%Y-%m-%d}-{meeting.pk}.pdf",
        content_type="application/pdf",
    )
