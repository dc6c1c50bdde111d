"""Pages for the conversations (Appendix 4, issue 5 §2 and §4): the review team's list, one
conversation per participant (the lead reviewer records it; the group and oversight read it),
what went well, queries and suggested changes collated; and a participant's own pages."""

from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.forms import BoundField
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.core.errors import Conflict, ReadOnly, ServiceError
from learning_reviews.core.forms import clean_text
from learning_reviews.reviews.forms_conversations import (
    CommentForm,
    ConversationForm,
    conversation_initial,
    factor_field,
    note_field,
)
from learning_reviews.reviews.models import Conversation, Participant
from learning_reviews.reviews.selectors import get_workspace_for, open_workspace
from learning_reviews.reviews.selectors_conversations import (
    conversation_of,
    open_participant,
    open_participation,
    participants_with_conversations,
    participations_of,
)
from learning_reviews.reviews.services_conversations import (
    can_record,
    conversation_comment,
    conversation_update,
)
from learning_reviews.reviews.workflow import OPEN, Role
from learning_reviews.reviews.workspace import APPENDIX_4, Factor, PromptSection

# Appendix 4's sections gathered for the whole review (issue 5 §4).
COLLATED = ("went_well", "queries", "suggested_changes")


def _recorded(conversation: Conversation | None) -> int:
    if conversation is None:
        return 0
    return sum(1 for s in APPENDIX_4 if conversation.sections.get(s.key))


@dataclass(frozen=True)
class Row:
    participant: Participant
    conversation: Conversation | None
    recorded: int


@require_GET
def review_conversations(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review, roles = open_workspace(request, pk, "Viewed the review's conversations")
    rows = []
    for participant in participants_with_conversations(review):
        conversation = conversation_of(participant)
        rows.append(Row(participant, conversation, _recorded(conversation)))
    return render(
        request,
        "reviews/conversations_list.html",
        {
            "review": review,
            "referral": review.referral,
            "rows": rows,
            "sections": len(APPENDIX_4),
            "can_record": Role.LEAD in roles and can_record(review),
        },
    )


# One conversation --------------------------------------------------------------------------


@dataclass
class FactorPart:
    factor: Factor
    text: str = ""  # the note as recorded (read-only pages)
    tick: BoundField | None = None
    note: BoundField | None = None
    saved: str | None = None  # after a conflict: the note as saved now, if it differs


@dataclass
class SectionPart:
    section: PromptSection
    text: str = ""  # as recorded (read-only pages)
    box: BoundField | None = None  # the box to edit it (the lead reviewer's page)
    saved: str | None = None  # after a conflict: the text as saved now, if it differs
    factors: list[FactorPart] = field(default_factory=list)


def record_parts(conversation: Conversation | None) -> list[SectionPart]:
    """The conversation as recorded, section by section, for reading."""
    sections = conversation.sections if conversation else {}
    factors = conversation.factors if conversation else {}
    parts = []
    for section in APPENDIX_4:
        part = SectionPart(section, text=sections.get(section.key, ""))
        if section.key == "contributory_factors":
            part.factors = [
                FactorPart(f, text=factors[f.value]) for f in Factor if f.value in factors
            ]
        parts.append(part)
    return parts


def _factor_now(note: str | None) -> str:
    if note is None:
        return "not ticked"
    return f"ticked: {note}" if note else "ticked, with no note"


def _form_parts(form: ConversationForm, saved: Conversation | None) -> list[SectionPart]:
    """The form, section by section; with `saved`, what is saved now where it differs."""
    parts = []
    for section in APPENDIX_4:
        box = form[section.key]
        part = SectionPart(section, box=box)
        now = saved.sections.get(section.key, "") if saved else ""
        if saved is not None and now != clean_text(box.value() or ""):
            part.saved = now
        if section.key == "contributory_factors":
            for factor in Factor:
                note = form[note_field(factor)]
                note_now = saved.factors.get(factor.value) if saved else None
                tick = form[factor_field(factor)]
                differs = saved is not None and (
                    (note_now is not None) != bool(tick.value())
                    or (note_now or "") != clean_text(note.value() or "")
                )
                part.factors.append(
                    FactorPart(
                        factor,
                        tick=tick,
                        note=note,
                        saved=_factor_now(note_now) if differs else None,
                    )
                )
        parts.append(part)
    return parts


def _after_conflict(
    request: AuthenticatedRequest, participant: Participant, error: Conflict
) -> tuple[ConversationForm, Conversation | None]:
    """What the user typed, against the conversation as it is now (so saving again is
    possible once they have checked), with the reason at the top."""
    saved = Conversation.objects.filter(participant=participant).first()
    data = request.POST.copy()
    data["version"] = str(saved.version if saved else 0)
    form = ConversationForm(data)
    form.is_valid()
    form.add_error(
        None,
        f"{getattr(error, 'headline', error)}. What is saved now is shown beside your changes: "
        "check them, then save again.",
    )
    return form, saved


@require_http_methods(["GET", "POST"])
def review_conversation(
    request: AuthenticatedRequest, pk: int, participant_pk: int
) -> HttpResponse:
    user = request.user
    review, roles = get_workspace_for(user, pk)
    participant = open_participant(
        request, review, participant_pk, "Viewed the conversation with {name}"
    )
    conversation = conversation_of(participant)
    may_edit = Role.LEAD in roles and can_record(review)
    saved: Conversation | None = None
    if request.method == "POST":
        if Role.LEAD not in roles:
            raise ReadOnly("Only the review's lead reviewer records conversations.")
        form = ConversationForm(request.POST)
        if form.is_valid():
            try:
                conversation_update(
                    review=review,
                    participant=participant,
                    by=user,
                    version=form.cleaned_data["version"],
                    date=form.cleaned_data["date"],
                    sections=form.sections(),
                    factors=form.factors(),
                )
            except Conflict as error:
                form, saved = _after_conflict(request, participant, error)
                saved = saved or Conversation(sections={}, factors={})
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(request, f"The conversation with {participant.name} is saved.")
                return redirect("reviews:review_conversation", review.pk, participant.pk)
        may_edit = True
    else:
        form = ConversationForm(
            initial=conversation_initial(
                version=conversation.version if conversation else 0,
                date=conversation.date if conversation else None,
                sections=conversation.sections if conversation else {},
                factors=conversation.factors if conversation else {},
            )
        )
    return render(
        request,
        "reviews/conversations_detail.html",
        {
            "review": review,
            "referral": review.referral,
            "participant": participant,
            "conversation": conversation,
            "form": form,
            "may_edit": may_edit,
            "is_lead": Role.LEAD in roles,
            "parts": _form_parts(form, saved) if may_edit else record_parts(conversation),
        },
    )


# Collated ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Said:
    participant: Participant
    text: str


@require_GET
def review_collated(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    review, _roles = open_workspace(
        request, pk, "Viewed what went well, queries and suggested changes from the conversations"
    )
    participants = list(participants_with_conversations(review))
    collated: list[tuple[PromptSection, list[Said]]] = []
    for section in (s for s in APPENDIX_4 if s.key in COLLATED):
        said = []
        for participant in participants:
            conversation = conversation_of(participant)
            text = conversation.sections.get(section.key, "") if conversation else ""
            if text:
                said.append(Said(participant, text))
        collated.append((section, said))
    return render(
        request,
        "reviews/conversations_collated.html",
        {"review": review, "referral": review.referral, "collated": collated},
    )


# A participant's own pages -------------------------------------------------------------------


@require_GET
def my_participation(request: AuthenticatedRequest) -> HttpResponse:
    participations = list(participations_of(request.user))
    return render(
        request,
        "reviews/conversations_my_participation.html",
        {
            "rows": [
                Row(p, conversation_of(p), _recorded(conversation_of(p))) for p in participations
            ]
        },
    )


@require_http_methods(["GET", "POST"])
def review_my_conversation(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    participant = open_participation(request, pk, "Viewed the record of their own conversation")
    review = participant.review
    conversation = conversation_of(participant)
    may_comment = conversation is not None and review.status in OPEN
    initial: dict[str, Any] = {"comment": conversation.participant_comment if conversation else ""}
    form = CommentForm(initial=initial)
    if request.method == "POST":
        form = CommentForm(request.POST)
        if conversation is None or not may_comment:
            messages.error(request, "There is nothing you can comment on here now.")
            return redirect("reviews:review_my_conversation", review.pk)
        if form.is_valid():
            try:
                conversation_comment(
                    conversation=conversation, by=user, comment=form.cleaned_data["comment"]
                )
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, "Your comments are saved. The lead reviewer will read them."
                )
                return redirect("reviews:review_my_conversation", review.pk)
    return render(
        request,
        "reviews/conversations_mine.html",
        {
            "review": review,
            "referral": review.referral,
            "participant": participant,
            "conversation": conversation,
            "parts": record_parts(conversation),
            "form": form,
            "may_comment": may_comment,
        },
    )
