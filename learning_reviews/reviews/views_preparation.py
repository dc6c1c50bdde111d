"""The lead reviewer's workspace home and the preparation pages (protocol §5): objectives,
participants (with the Service Manager's agreement and the participant letter), case files and
the format. The lead reviewer changes them; the group and oversight roles read them; anyone
else gets 404."""

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import User
from learning_reviews.accounts.selectors import active_people
from learning_reviews.audit.services import downloads, record_page_view
from learning_reviews.core.errors import ReadOnly, ServiceError
from learning_reviews.core.http import private_download
from learning_reviews.core.versions import Stale, keep_typed
from learning_reviews.documents.pdf import render_pdf
from learning_reviews.reviews import (
    services,
    services_accuracy_check,
    services_preparation,
    services_report,
)
from learning_reviews.reviews.forms_preparation import (
    CaseFileForm,
    ConfirmForm,
    FormatPlanForm,
    ObjectivesForm,
    ParticipantForm,
    SessionForm,
)
from learning_reviews.reviews.models import (
    CaseFileReview,
    Conversation,
    EvidenceSource,
    Finding,
    KeyPracticeEpisode,
    Outline,
    Participant,
    ReportVersion,
    Review,
    Session,
)
from learning_reviews.reviews.selectors import (
    WORKSPACE_ROLES,
    get_workspace_for,
    open_workspace,
    roles_in,
)
from learning_reviews.reviews.workflow import BY_NAME, OPEN, STEPS, Role

Status = Review.Status
ORDER = list(Status.values)


def _may_edit(review: Review, roles: frozenset[Role]) -> bool:
    return Role.LEAD in roles and review.status in OPEN


def _page(
    request: AuthenticatedRequest,
    template: str,
    review: Review,
    roles: frozenset[Role],
    **context: object,
) -> HttpResponse:
    return render(
        request,
        f"reviews/{template}",
        {
            "review": review,
            "referral": review.referral,
            "may_edit": _may_edit(review, roles),
            **context,
        },
    )


def _fresh(review: Review) -> Review:
    """The review as it is now, after a stale save was refused."""
    return Review.objects.get(pk=review.pk)


def _link(name: str, pk: int) -> str:
    """The address of an area's page in the workspace."""
    return reverse(f"reviews:{name}", args=[pk])


# The workspace home ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Task:
    title: str
    url: str | None  # None: done from the group's meeting, not a page of the workspace
    state: str  # "Completed", "In progress", "Not yet started" or "Cannot start yet"


def _state(review: Review, *, stage: Status, started: bool, done: bool = False) -> str:
    """Where a piece of work stands: finished once the review has moved past its stage."""
    here, worked_in = ORDER.index(review.status), ORDER.index(stage)
    if done or here > worked_in:
        return "Completed"
    if started:
        return "In progress"
    # Preparation may begin before the lead reviewer formally starts.
    if here < worked_in and stage != Status.PREPARING:
        return "Cannot start yet"
    return "Not yet started"


def _tasks(review: Review) -> list[Task]:
    def count(model: type[CaseFileReview | Session | Conversation | KeyPracticeEpisode]) -> int:
        return model.objects.filter(review=review).count()

    sources = EvidenceSource.objects.filter(review=review).count()
    findings = Finding.objects.filter(review=review).count()
    outlines = Outline.objects.filter(review=review).count()
    reports = ReportVersion.objects.filter(review=review).count()
    participants = len(review.participants.all())
    prep, talk = Status.PREPARING, Status.CONVERSATIONS
    pk = review.pk
    return [
        Task(
            "Objectives",
            _link("review_objectives", pk),
            _state(review, stage=prep, started=False, done=bool(review.objectives_confirmed_on)),
        ),
        Task(
            "Participants",
            _link("review_participants", pk),
            _state(
                review,
                stage=prep,
                started=participants > 0,
                done=bool(review.participants_confirmed_on),
            ),
        ),
        Task(
            "Case files",
            _link("review_case_files", pk),
            _state(review, stage=prep, started=count(CaseFileReview) > 0),
        ),
        Task(
            "Format and sessions",
            _link("review_format", pk),
            _state(review, stage=prep, started=bool(review.format_plan) or count(Session) > 0),
        ),
        Task(
            "Conversations",
            _link("review_conversations", pk),
            _state(review, stage=talk, started=count(Conversation) > 0),
        ),
        Task(
            "Chronology and key practice episodes",
            _link("review_chronology", pk),
            _state(review, stage=talk, started=count(KeyPracticeEpisode) > 0),
        ),
        Task(
            "What the review draws on",
            _link("review_sources", pk),
            _state(review, stage=talk, started=sources > 0),
        ),
        Task(
            "Findings",
            _link("review_findings", pk),
            _state(review, stage=talk, started=findings > 0),
        ),
        Task(
            "Accuracy check",
            _link("review_accuracy_check", pk),
            _state(review, stage=Status.ACCURACY_CHECK, started=outlines > 0),
        ),
        Task(
            "Draft report",
            _link("review_report", pk),
            _state(review, stage=Status.DRAFTING, started=reports > 0),
        ),
        Task(
            "Present to the group",
            None,
            _state(
                review,
                stage=Status.READY,
                started=review.status == Status.READY,
                done=review.status in (Status.PRESENTED, Status.CLOSED),
            ),
        ),
    ]


@require_GET
def review_workspace(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review, roles = open_workspace(request, pk, "Opened the review's workspace")
    steps = [
        {"step": s, "page": _link(_ON_ITS_PAGE[s.name], pk) if s.name in _ON_ITS_PAGE else None}
        for s in STEPS
        if s.source == review.status and roles & s.roles
    ]
    return _page(
        request,
        "workspace.html",
        review,
        roles,
        tasks=_tasks(review),
        steps=steps,
        is_lead=Role.LEAD in roles,
    )


# Steps that need more than a button (a date to respond by) are taken on their area's page.
_ON_ITS_PAGE = {"share_outline": "review_accuracy_check"}

# The service that takes each other step of `workflow.STEPS` from the workspace's buttons.
_SERVICES: dict[str, Callable[..., Review]] = {
    "start": services.review_start,
    "begin_conversations": services.review_begin_conversations,
    "close_accuracy_check": services_accuracy_check.review_close_accuracy_check,
    "mark_ready": services_report.review_mark_ready,
    "record_presented": services.review_record_presented,
}

_DONE = {
    "start": "You have started preparing the review.",
    "begin_conversations": "The conversations have begun.",
    "share_outline": "The outline of the findings has been shared for an accuracy check.",
    "close_accuracy_check": "The accuracy check is closed. You can now draft the report.",
    "mark_ready": "The review is ready to present to the improvement group.",
    "record_presented": "The findings are recorded as presented to the improvement group.",
}


@require_POST
def review_step(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Take one step of `workflow.STEPS` from the workspace home."""
    user = request.user
    review, _roles = get_workspace_for(user, pk)
    name = request.POST.get("step", "")
    if name not in BY_NAME:
        messages.error(request, "Choose a step from the workspace.")
        return redirect("reviews:review_workspace", pk=review.pk)
    if name in _ON_ITS_PAGE and (page := _link(_ON_ITS_PAGE[name], review.pk)):
        messages.info(request, f"{BY_NAME[name].label} from this page.")
        return redirect(page)
    try:
        _SERVICES[name](review=review, by=user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _DONE[name])
    return redirect("reviews:review_workspace", pk=review.pk)


# Objectives ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def review_objectives(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    review, roles = open_workspace(request, pk, "Viewed the review's objectives")
    form = ObjectivesForm(
        request.POST if request.method == "POST" else None,
        initial={"note": review.objectives_note, "version": review.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_preparation.objectives_confirm(
                review=review,
                by=user,
                note=form.cleaned_data["note"],
                version=form.cleaned_data["version"],
            )
        except Stale as error:
            keep_typed(form, error, {"note": _fresh(review).objectives_note})
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The objectives are confirmed.")
            return redirect("reviews:review_workspace", pk=review.pk)
    return _page(request, "preparation_objectives.html", review, roles, form=form)


# Participants ----------------------------------------------------------------------------------


def _people(review: Review) -> QuerySet[User]:
    return active_people(review.organisation_id)


_PARTICIPANT_FIELDS = (
    "name",
    "current_job",
    "role_in_period",
    "told_about_process_on",
    "protocol_sent_on",
)


def _participant_args(form: ParticipantForm) -> dict[str, Any]:
    data = form.cleaned_data
    return {"account": data["account"], **{f: data[f] for f in _PARTICIPANT_FIELDS}}


def _participant_now(person: Participant) -> dict[str, Any]:
    """A participant's details as the edit form shows them."""
    return {"account": person.user, **{f: getattr(person, f) for f in _PARTICIPANT_FIELDS}}


@require_http_methods(["GET", "POST"])
def review_participants(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The case group; the lead reviewer adds people here (POST)."""
    user = request.user
    review, roles = open_workspace(request, pk, "Viewed the review's participants")
    form = ParticipantForm(
        request.POST if request.method == "POST" else None, people=_people(review)
    )
    if request.method == "POST" and form.is_valid():
        try:
            added = services_preparation.participant_add(
                review=review, by=user, **_participant_args(form)
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"{added.name} has been added to the case group.")
            return redirect("reviews:review_participants", pk=review.pk)
    may_edit = _may_edit(review, roles)
    return _page(
        request,
        "preparation_participants.html",
        review,
        roles,
        form=form,
        participants=Participant.objects.filter(review=review).select_related("user"),
        may_add=may_edit and review.status in services_preparation.JOINING,
        may_remove=may_edit and review.status in services_preparation.LEAVING,
    )


def _open_participant(
    request: AuthenticatedRequest, review: Review, participant: int, summary: str
) -> Participant:
    """One participant of a review already opened; a GET is logged as `summary` (with the
    participant's {name} or, where no name may go, their {pk})."""
    found = get_object_or_404(
        Participant.objects.select_related("user"), pk=participant, review=review
    )
    found.review = review
    record_page_view(request, review, summary.format(name=found.name, pk=found.pk))
    return found


@require_http_methods(["GET", "POST"])
def review_participant_edit(
    request: AuthenticatedRequest, pk: int, participant: int
) -> HttpResponse:
    user = request.user
    review, roles = get_workspace_for(user, pk)
    person = _open_participant(request, review, participant, "Viewed participant {name}")
    if Role.LEAD not in roles:
        raise ReadOnly(
            "Only the review's lead reviewer can change a participant.",
            back=reverse("reviews:review_participants", args=[review.pk]),
        )
    form = ParticipantForm(
        request.POST if request.method == "POST" else None,
        people=_people(review),
        initial={**_participant_now(person), "version": person.version},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_preparation.participant_update(
                participant=person,
                by=user,
                version=form.cleaned_data["version"],
                **_participant_args(form),
            )
        except Stale as error:
            fresh = Participant.objects.select_related("user").get(pk=person.pk)
            keep_typed(form, error, _participant_now(fresh))
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, f"The details of {form.cleaned_data['name']} are saved.")
            return redirect("reviews:review_participants", pk=review.pk)
    return _page(
        request, "preparation_participant_edit.html", review, roles, form=form, person=person
    )


@require_POST
def review_participant_remove(
    request: AuthenticatedRequest, pk: int, participant: int
) -> HttpResponse:
    user = request.user
    review, _roles = get_workspace_for(user, pk)
    person = _open_participant(request, review, participant, "Removed participant {name}")
    try:
        services_preparation.participant_remove(participant=person, by=user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"{person.name} has been removed from the case group.")
    return redirect("reviews:review_participants", pk=review.pk)


@require_GET
@downloads
def review_participant_letter(
    request: AuthenticatedRequest, pk: int, participant: int
) -> HttpResponseBase:
    """The letter telling a participant about the review; the protocol goes with it (§5)."""
    user = request.user
    review, _roles = get_workspace_for(user, pk)
    person = _open_participant(
        request, review, participant, "Downloaded the letter to participant {pk}"
    )
    content = render_pdf(
        template="reviews/preparation_letter_pdf.html",
        context={
            "review": review,
            "referral": review.referral,
            "organisation": review.referral.organisation,
            "participant": person,
            "lead_reviewers": list(review.lead_reviewers.all()),
            "date": timezone.localdate(),
        },
    )
    return private_download(
        content,
        filename=f"{review.referral.reference}-participant-letter-{person.pk}.pdf",
        content_type="application/pdf",
    )


def _review_for_agreement(request: AuthenticatedRequest, pk: int) -> tuple[Review, frozenset[Role]]:
    """Like `get_workspace_for`, but the referral's Service Manager may open it too: the one
    workspace page they see, to agree the participants (§5). A GET is logged as a view."""
    user = request.user
    review = (
        Review.objects.filter(organisation_id=user.organisation_id, pk=pk)
        .select_related("referral")
        .prefetch_related("lead_reviewers", "participants")
        .first()
    )
    if review is None:
        raise Http404("No review found")
    roles = roles_in(user, review)
    if not roles & (WORKSPACE_ROLES | {Role.SERVICE_MANAGER}):
        raise Http404("No review found")
    record_page_view(request, review, "Viewed the participants to agree")
    return review, roles


@require_http_methods(["GET", "POST"])
def review_participants_confirm(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    review, roles = _review_for_agreement(request, pk)
    form = ConfirmForm(
        request.POST if request.method == "POST" else None, initial={"version": review.version}
    )
    if request.method == "POST":
        if form.is_valid():
            try:
                services_preparation.participants_confirm(
                    review=review, by=user, version=form.cleaned_data["version"]
                )
            except ServiceError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, "You have agreed the participants.")
        else:
            messages.error(request, "This page was out of date. Check the list, then agree it.")
        return redirect("reviews:review_participants_confirm", pk=review.pk)
    is_manager = Role.SERVICE_MANAGER in roles
    participants = review.participants.all()
    return _page(
        request,
        "preparation_participants_confirm.html",
        review,
        roles,
        form=form,
        participants=participants,
        is_manager=is_manager,
        may_confirm=is_manager
        and bool(participants)
        and review.participants_confirmed_on is None
        and review.status in services_preparation.JOINING,
        in_workspace=bool(roles & WORKSPACE_ROLES),
    )


# Case files ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def review_case_files(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    review, roles = open_workspace(request, pk, "Viewed the case files reviewed")
    form = CaseFileForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services_preparation.case_file_add(review=review, by=user, **form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, "The case files reviewed have been recorded.")
            return redirect("reviews:review_case_files", pk=review.pk)
    return _page(
        request,
        "preparation_case_files.html",
        review,
        roles,
        form=form,
        entries=CaseFileReview.objects.filter(review=review),
    )


@require_POST
def review_case_file_remove(request: AuthenticatedRequest, pk: int, entry: int) -> HttpResponse:
    user = request.user
    review, _roles = get_workspace_for(user, pk)
    found = get_object_or_404(CaseFileReview, pk=entry, review=review)
    found.review = review
    try:
        services_preparation.case_file_remove(entry=found, by=user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The entry “{found.records}” has been removed.")
    return redirect("reviews:review_case_files", pk=review.pk)


# The format ------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def review_format(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The plan of the format (POST `part=plan`) and its sessions (POST `part=session`)."""
    user = request.user
    review, roles = open_workspace(request, pk, "Viewed the review's format")
    part = request.POST.get("part") if request.method == "POST" else None
    case_group = Participant.objects.filter(review=review)
    plan_form = FormatPlanForm(
        request.POST if part == "plan" else None,
        initial={"plan": review.format_plan, "version": review.version},
        prefix="plan",
    )
    session_form = SessionForm(
        request.POST if part == "session" else None, case_group=case_group, prefix="session"
    )
    has_participants = bool(review.participants.all())
    if not has_participants:
        del session_form.fields["participants"]
    if part == "plan" and plan_form.is_valid():
        try:
            services_preparation.format_plan_update(
                review=review,
                by=user,
                plan=plan_form.cleaned_data["plan"],
                version=plan_form.cleaned_data["version"],
            )
        except Stale as error:
            keep_typed(plan_form, error, {"plan": _fresh(review).format_plan})
        except ServiceError as error:
            plan_form.add_error(None, str(error))
        else:
            messages.success(request, "The plan of the format has been saved.")
            return redirect("reviews:review_format", pk=review.pk)
    if part == "session" and session_form.is_valid():
        data = session_form.cleaned_data
        try:
            services_preparation.session_add(
                review=review,
                by=user,
                kind=data["kind"],
                date=data["date"],
                place=data["place"],
                participants=list(data.get("participants", [])),
            )
        except ServiceError as error:
            session_form.add_error(None, str(error))
        else:
            messages.success(request, "The session has been added to the plan.")
            return redirect("reviews:review_format", pk=review.pk)
    return _page(
        request,
        "preparation_format.html",
        review,
        roles,
        plan_form=plan_form,
        session_form=session_form,
        forms_with_errors=[f for f in (plan_form, session_form) if f.errors],
        sessions=Session.objects.filter(review=review).prefetch_related("participants"),
        has_participants=has_participants,
    )


@require_POST
def review_session_remove(request: AuthenticatedRequest, pk: int, session: int) -> HttpResponse:
    user = request.user
    review, _roles = get_workspace_for(user, pk)
    found = get_object_or_404(Session, pk=session, review=review)
    found.review = review
    try:
        services_preparation.session_remove(session=found, by=user)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, "The session has been removed from the plan.")
    return redirect("reviews:review_format", pk=review.pk)
