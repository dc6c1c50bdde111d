"""Preparing the review (protocol §5): objectives, the case group, case files and the format.

"Ensure clarity of objectives. Agree with Service Manager the individuals to be involved in the
Review. Confirm that workers are aware of review process and that they have received a copy of
the Learning Review protocol. Review case files prior to the group meeting. Plan the format that
the Review will take."

Each function is atomic, permission-checked and audited against the review. Only the lead
reviewer writes, except that the referral's Service Manager alone agrees the participants.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from learning_reviews.accounts.models import User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.core.versions import check_version
from learning_reviews.reviews.models import (
    CaseFileReview,
    Conversation,
    Participant,
    Review,
    Session,
)
from learning_reviews.reviews.selectors import roles_in
from learning_reviews.reviews.services import lock_for_lead, lock_review, touch
from learning_reviews.reviews.workflow import Role

Status = Review.Status

# The case group is settled before the conversations begin (§5): people join it until then (or
# while the conversations are under way, if someone new is found), and leave it only before.
JOINING = frozenset({Status.COMMISSIONED, Status.PREPARING, Status.CONVERSATIONS})
LEAVING = frozenset({Status.COMMISSIONED, Status.PREPARING})


def _unconfirm(review: Review) -> bool:
    """A changed case group needs the Service Manager's agreement again."""
    if review.participants_confirmed_on is None:
        return False
    Review.objects.filter(pk=review.pk).update(
        participants_confirmed_on=None, participants_confirmed_by=None
    )
    review.participants_confirmed_on = None
    review.participants_confirmed_by = None
    return True


# Objectives ----------------------------------------------------------------------------------


@transaction.atomic
def objectives_confirm(*, review: Review, by: User, note: str, version: int | None) -> Review:
    """§5 "ensure clarity of objectives": the lead reviewer confirms the group's objectives,
    with a note clarifying them if needed. `version` is the review's as the page was opened."""
    locked = lock_for_lead(review, by, version=version)
    before = locked.objectives_note
    locked.objectives_confirmed_on = timezone.now()
    locked.objectives_note = note
    locked.version += 1
    locked.modified_by = by
    locked.save()
    record_change(
        actor=by,
        record=locked,
        action="review.objectives_confirm",
        summary="Confirmed the objectives" + (" with a clarification" if note else ""),
        changes={"objectives_note": [before, note]} if before != note else {},
    )
    return locked


# Participants (the case group) ---------------------------------------------------------------


def _check_account(review: Review, account: User | None, *, leaving: Participant | None) -> None:
    if account is None:
        return
    if account.organisation_id != review.organisation_id:
        raise NotAllowed("Choose someone in your organisation.")
    taken = Participant.objects.filter(review=review, user=account)
    if leaving is not None:
        taken = taken.exclude(pk=leaving.pk)
    if taken.exists():
        raise WrongState(f"{account.get_full_name()} is already a participant in this review.")


@transaction.atomic
def participant_add(
    *,
    review: Review,
    by: User,
    name: str,
    current_job: str,
    role_in_period: str,
    account: User | None = None,
    told_about_process_on: datetime.date | None = None,
    protocol_sent_on: datetime.date | None = None,
) -> Participant:
    """Add someone to the case group. The Service Manager must then agree the list again."""
    locked = lock_for_lead(review, by)
    if locked.status not in JOINING:
        raise WrongState("The analysis is under way: nobody new can join the case group now.")
    _check_account(locked, account, leaving=None)
    participant = Participant.objects.create(
        organisation_id=locked.organisation_id,
        review=locked,
        user=account,
        name=name,
        current_job=current_job,
        role_in_period=role_in_period,
        told_about_process_on=told_about_process_on,
        protocol_sent_on=protocol_sent_on,
        created_by=by,
        modified_by=by,
    )
    unconfirmed = _unconfirm(locked)
    touch(locked, by)
    record_change(
        actor=by,
        record=locked,
        action="review.participant_add",
        summary=f"Added {name} to the case group"
        + ("; the Service Manager must agree the list again" if unconfirmed else ""),
        changes={"participant": [None, name]},
    )
    return participant


def _has_spoken(participant: Participant) -> bool:
    """Whether the participant's conversation holds anything they said or that was noted."""
    conversation = Conversation.objects.filter(participant=participant).first()
    if conversation is None:
        return False
    return bool(
        any(str(text).strip() for text in conversation.sections.values())
        or any(str(note).strip() for note in conversation.factors.values())
        or conversation.participant_comment.strip()
    )


@transaction.atomic
def participant_update(
    *,
    participant: Participant,
    by: User,
    name: str,
    current_job: str,
    role_in_period: str,
    account: User | None,
    told_about_process_on: datetime.date | None,
    protocol_sent_on: datetime.date | None,
    version: int | None,
) -> Participant:
    """Correct a participant's details, or record when they were told about the process and
    received the protocol (§5). `version` is the participant's as the page was opened."""
    locked = lock_for_lead(participant.review, by)
    current = Participant.objects.select_for_update().get(pk=participant.pk, review=locked)
    check_version(current.version, version, what="this participant's details")
    new_account = account.pk if account else None
    if new_account not in (None, current.user_id) and _has_spoken(current):
        # The account linked to a participant reads their conversation: once it holds what
        # they said, it stays theirs (the link can be removed, never moved to someone else).
        raise WrongState(
            f"{current.name}'s conversation has been recorded, so their details can no longer "
            "be linked to a different account."
        )
    _check_account(locked, account, leaving=participant)
    after = {
        "name": name,
        "current_job": current_job,
        "role_in_period": role_in_period,
        "user_id": account.pk if account else None,
        "told_about_process_on": told_about_process_on,
        "protocol_sent_on": protocol_sent_on,
    }
    changes = {
        field: [getattr(current, field), value]
        for field, value in after.items()
        if getattr(current, field) != value
    }
    for field, value in after.items():
        setattr(current, field, value)
    current.version += 1
    current.modified_by = by
    current.save()
    touch(locked, by)
    record_change(
        actor=by,
        record=locked,
        action="review.participant_update",
        summary=f"Changed the details of {name} in the case group",
        changes=changes,
    )
    return current


@transaction.atomic
def participant_remove(*, participant: Participant, by: User) -> None:
    """Take someone out of the case group, before the conversations begin."""
    locked = lock_for_lead(participant.review, by)
    if locked.status not in LEAVING:
        raise WrongState(
            "The conversations have begun: participants can no longer be removed from the "
            "case group."
        )
    name = participant.name
    Participant.objects.filter(pk=participant.pk, review=locked).delete()
    unconfirmed = _unconfirm(locked)
    touch(locked, by)
    record_change(
        actor=by,
        record=locked,
        action="review.participant_remove",
        summary=f"Removed {name} from the case group"
        + ("; the Service Manager must agree the list again" if unconfirmed else ""),
        changes={"participant": [name, None]},
    )


@transaction.atomic
def participants_confirm(*, review: Review, by: User, version: int | None) -> Review:
    """§5: the referral's Service Manager agrees the individuals to be involved. `version` is
    the review's version when they read the list: a list changed since is a conflict."""
    locked = lock_review(review, version=version)
    if Role.SERVICE_MANAGER not in roles_in(by, locked):
        raise NotAllowed("Only the referral's Service Manager can agree the participants.")
    if locked.status not in JOINING:
        raise WrongState("The participants can no longer be agreed at this stage.")
    names = list(Participant.objects.filter(review=locked).values_list("name", flat=True))
    if not names:
        raise WrongState("There is nobody in the case group to agree yet.")
    locked.participants_confirmed_by = by
    locked.participants_confirmed_on = timezone.now()
    locked.version += 1
    locked.modified_by = by
    locked.save()
    record_change(
        actor=by,
        record=locked,
        action="review.participants_confirm",
        summary="The Service Manager agreed the participants",
        changes={"participants": [None, names]},
    )
    return locked


# Case files -----------------------------------------------------------------------------------


@transaction.atomic
def case_file_add(
    *,
    review: Review,
    by: User,
    records: str,
    reviewed_by: str,
    reviewed_on: datetime.date,
    notes: str = "",
) -> CaseFileReview:
    """§5: case files reviewed before the group meeting."""
    locked = lock_for_lead(review, by)
    if reviewed_on > timezone.localdate():
        raise WrongState("The date the records were reviewed must be today or in the past.")
    entry = CaseFileReview.objects.create(
        organisation_id=locked.organisation_id,
        review=locked,
        records=records,
        reviewed_by=reviewed_by,
        reviewed_on=reviewed_on,
        notes=notes,
        created_by=by,
        modified_by=by,
    )
    record_change(
        actor=by,
        record=locked,
        action="review.case_file_add",
        summary=f"Recorded the case files reviewed: {records}",
        changes={"records": [None, records], "reviewed_by": [None, reviewed_by]},
    )
    return entry


@transaction.atomic
def case_file_remove(*, entry: CaseFileReview, by: User) -> None:
    locked = lock_for_lead(entry.review, by)
    CaseFileReview.objects.filter(pk=entry.pk, review=locked).delete()
    record_change(
        actor=by,
        record=locked,
        action="review.case_file_remove",
        summary=f"Removed the case files entry: {entry.records}",
        changes={"records": [entry.records, None]},
    )


# The format -----------------------------------------------------------------------------------


@transaction.atomic
def format_plan_update(*, review: Review, by: User, plan: str, version: int | None) -> Review:
    """§5: plan the format that the review will take. `version` is the review's as the page
    was opened."""
    locked = lock_for_lead(review, by, version=version)
    before = locked.format_plan
    locked.format_plan = plan
    locked.version += 1
    locked.modified_by = by
    locked.save()
    record_change(
        actor=by,
        record=locked,
        action="review.format_plan_update",
        summary="Changed the plan of the review's format",
        changes={"format_plan": [before, plan]},
    )
    return locked


@transaction.atomic
def session_add(
    *,
    review: Review,
    by: User,
    kind: str,
    date: datetime.date,
    place: str,
    participants: list[Participant],
) -> Session:
    """A one-to-one conversation or group meeting in the plan, with who takes part."""
    locked = lock_for_lead(review, by)
    if kind not in Session.Kind.values:
        raise WrongState("Choose a one-to-one conversation or a group meeting.")
    if any(p.review_id != locked.pk for p in participants):
        raise NotAllowed("Choose participants from this review's case group.")
    if kind == Session.Kind.ONE_TO_ONE and len(participants) > 1:
        raise WrongState("A one-to-one conversation is with one participant.")
    session = Session.objects.create(
        organisation_id=locked.organisation_id,
        review=locked,
        kind=kind,
        date=date,
        place=place,
        created_by=by,
        modified_by=by,
    )
    session.participants.set(participants)
    label = Session.Kind(kind).label
    record_change(
        actor=by,
        record=locked,
        action="review.session_add",
        summary=f"Planned a {label.lower()} on {date:%d/%m/%Y}",
        changes={
            "kind": [None, kind],
            "date": [None, date],
            "place": [None, place],
            "participants": [None, [p.name for p in participants]],
        },
    )
    return session


@transaction.atomic
def session_remove(*, session: Session, by: User) -> None:
    locked = lock_for_lead(session.review, by)
    Session.objects.filter(pk=session.pk, review=locked).delete()
    record_change(
        actor=by,
        record=locked,
        action="review.session_remove",
        summary=f"Removed the {session.get_kind_display().lower()} of {session.date:%d/%m/%Y}",
        changes={"kind": [session.kind, None], "date": [session.date, None]},
    )
