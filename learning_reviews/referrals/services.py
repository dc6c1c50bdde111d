"""Every change to a referral (protocol §3 steps 0–3, Appendix 3).

Each function is one atomic change: it re-reads the referral under a row lock, checks the
user's relationship to it and its state against the pathway table, saves, writes the audit
event in the same transaction and e-mails whoever must act next once the change commits.
"""

import datetime
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.utils import timezone

from learning_reviews.accounts.models import IMPROVEMENT_GROUP_ROLES, Organisation, Role, Team, User
from learning_reviews.accounts.selectors_timescales import organisation_holidays
from learning_reviews.audit.services import diff, record_change
from learning_reviews.core.errors import Conflict, NotAllowed, WrongState
from learning_reviews.core.files import discard_on_commit, download_name, kind_of, store
from learning_reviews.core.notify import notify_on_commit
from learning_reviews.core.versions import UNCHECKED, Unchecked, check_version
from learning_reviews.referrals.due_dates import (
    STAGE_NAMES,
    STAGE_OF,
    STARTS,
    due_date,
    referral_due_on,
)
from learning_reviews.referrals.models import (
    AgencyInvolvement,
    ChronologyEntry,
    HouseholdMember,
    Referral,
    ReviewReason,
    Status,
    SupervisionNote,
)
from learning_reviews.referrals.pathway import BY_NAME, EDITABLE, Party
from learning_reviews.referrals.sections import incomplete_sections
from learning_reviews.referrals.selectors import (
    may_change_due_date,
    parties,
    referrals_visible_to,
)

# Fields of Appendix 3 that the worker and line manager may edit while the form is a draft.
EDITABLE_FIELDS = frozenset(
    {
        "person_completing",
        "child_name",
        "swis_number",
        "parents_carers",
        "grounds",
        "circumstances",
        "key_facts",
        "identified_at",
        "identified_at_other",
        "identified_on",
        "no_agencies_known",
    }
)

ITEM_MODELS: dict[str, type[models.Model]] = {
    "household": HouseholdMember,
    "agencies": AgencyInvolvement,
    "chronology": ChronologyEntry,
    "reasons": ReviewReason,
}


def _lock(referral: Referral, *, version: int | None | Unchecked = UNCHECKED) -> Referral:
    """Re-read the referral under a row lock; a stale or missing version is a conflict."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    check_version(locked.version, version, what="this referral")
    return locked


def _require_editor(user: User, referral: Referral) -> None:
    if not parties(user, referral) & {Party.WORKER, Party.LINE_MANAGER}:
        raise NotAllowed("Only the referral's worker and line manager can change the form.")
    if referral.status not in EDITABLE:
        raise WrongState("The referral form has been signed and can no longer be changed.")


def _touch(referral: Referral, by: User) -> None:
    referral.version += 1
    referral.modified_by = by


def _snapshot(referral: Referral, fields: set[str] | frozenset[str]) -> dict[str, Any]:
    return {f: getattr(referral, f) for f in fields}


@transaction.atomic
def referral_start(*, by: User, team: Team, line_manager: User | None = None) -> Referral:
    """§3 step 0: a worker starts a referral for a case identified at a TAC or review meeting."""
    if team.organisation_id != by.organisation_id or not by.has_role(Role.WORKER, team.pk):
        raise NotAllowed("Only a worker in this team can start a referral for it.")
    managers = User.objects.filter(
        memberships__role=Role.LINE_MANAGER, memberships__team=team, is_active=True
    )
    if line_manager is None:
        line_manager = managers.exclude(pk=by.pk).first()
    elif not managers.filter(pk=line_manager.pk).exists():
        raise NotAllowed("That person is not a line manager of this team.")
    if line_manager is None:
        raise NotAllowed(f"{team.name} has no line manager yet. Ask your administrator to add one.")
    now = timezone.now()
    referral = Referral.objects.create(
        organisation_id=by.organisation_id,
        team=team,
        worker=by,
        line_manager=line_manager,
        person_completing=by.get_full_name(),
        status=Status.DRAFT,
        status_changed_on=now,
        created_by=by,
        modified_by=by,
    )
    record_change(
        actor=by,
        record=referral,
        action="referral.started",
        summary="Started the referral form",
        changes={"team": team.name, "line_manager": line_manager.get_full_name()},
    )
    return referral


@transaction.atomic
def referral_update(
    *, referral: Referral, by: User, version: int, data: dict[str, Any], section: str
) -> Referral:
    """Save one section of the form (drafts save as the user goes)."""
    unknown = set(data) - EDITABLE_FIELDS
    if unknown:
        raise ValueError(f"Not editable: {sorted(unknown)}")
    locked = _lock(referral, version=version)
    _require_editor(by, locked)
    before = _snapshot(locked, set(data))
    for field, value in data.items():
        setattr(locked, field, value)
    changes = diff(before, _snapshot(locked, set(data)))
    if not changes:
        return locked
    _touch(locked, by)
    locked.save()
    record_change(
        actor=by,
        record=locked,
        action="referral.updated",
        summary=f"Changed “{section}”",
        changes=changes,
    )
    return locked


@transaction.atomic
def referral_add_item(
    *, referral: Referral, by: User, version: int, kind: str, data: dict[str, Any]
) -> models.Model:
    """Add a row to a repeatable part of the form: household, agencies, chronology, reasons."""
    model = ITEM_MODELS[kind]
    locked = _lock(referral, version=version)
    _require_editor(by, locked)
    item = model._default_manager.create(
        referral=locked,
        organisation_id=locked.organisation_id,
        created_by=by,
        modified_by=by,
        **data,
    )
    _touch(locked, by)
    locked.save(update_fields=["version", "modified_by", "modified_on"])
    record_change(
        actor=by,
        record=locked,
        action=f"referral.{kind}.added",
        summary=f"Added to “{model._meta.verbose_name_plural}”",
        changes=data,
    )
    return item


@transaction.atomic
def referral_remove_item(
    *, referral: Referral, by: User, version: int, kind: str, item_id: int
) -> None:
    model = ITEM_MODELS[kind]
    locked = _lock(referral, version=version)
    _require_editor(by, locked)
    item = model._default_manager.filter(referral=locked, pk=item_id).first()
    if item is None:
        raise Conflict("That entry has already been removed.")
    removed = {
        f.name: getattr(item, f.name)
        for f in model._meta.concrete_fields
        if f.name
        not in {
            "id",
            "referral",
            "organisation",
            "created_on",
            "modified_on",
            "created_by",
            "modified_by",
        }
    }
    item.delete()
    _touch(locked, by)
    locked.save(update_fields=["version", "modified_by", "modified_on"])
    record_change(
        actor=by,
        record=locked,
        action=f"referral.{kind}.removed",
        summary=f"Removed from “{model._meta.verbose_name_plural}”",
        changes=removed,
    )


@transaction.atomic
def referral_attach_childs_plan(
    *, referral: Referral, by: User, version: int, upload: UploadedFile | None
) -> Referral:
    """Attach (or, with `upload=None`, remove) the Child's Plan Form 1. Its size is checked by
    the form; its type is checked here by its content, and it is stored under a random name."""
    locked = _lock(referral, version=version)
    _require_editor(by, locked)
    old_name = locked.childs_plan_name
    kind = kind_of(upload) if upload is not None else None
    if upload is not None and kind is None:
        raise WrongState("The selected file must be a PDF or a Word document.")
    discard_on_commit(locked.childs_plan)
    if upload is None or kind is None:
        locked.childs_plan = ""
        locked.childs_plan_name = ""
    else:
        store(locked.childs_plan, upload, kind=kind)
        locked.childs_plan_name = download_name(
            upload.name or "", locked.childs_plan, "childs-plan"
        )
    _touch(locked, by)
    locked.save()
    record_change(
        actor=by,
        record=locked,
        action="referral.childs_plan",
        summary="Attached the Child's Plan Form 1" if upload else "Removed the Child's Plan Form 1",
        changes={"childs_plan": [old_name, locked.childs_plan_name]},
    )
    return locked


def _move(
    *,
    referral: Referral,
    by: User,
    name: str,
    summary: str,
    changes: dict[str, Any] | None = None,
    version: int | None | Unchecked = UNCHECKED,
    **updates: Any,
) -> Referral:
    """Take one step of the pathway table. Callers hold the transaction. A signature made on a
    form that can still change passes the `version` the signer read."""
    step = BY_NAME[name]
    locked = _lock(referral)
    if not parties(by, locked) & step.party:
        raise NotAllowed("You cannot take this step on this referral.")
    if locked.status != step.source:
        raise WrongState(
            f"This referral is now “{Status(locked.status).label}”, so this step cannot be taken."
        )
    check_version(locked.version, version, what="this referral")
    for field, value in updates.items():
        setattr(locked, field, value)
    locked.status = step.target
    locked.status_changed_on = timezone.now()
    due = _start_stage(locked)
    _touch(locked, by)
    locked.save()
    record_change(
        actor=by,
        record=locked,
        action=f"referral.{name}",
        summary=summary,
        changes={"status": [step.source.value, step.target.value], **due, **(changes or {})},
    )
    return locked


def _start_stage(referral: Referral) -> dict[str, Any]:
    """Keep the due date of the stage the referral's new state starts (referrals/due_dates.py),
    or clear it in a state with none; the change, for the audit trail."""
    before = referral.due_on
    stage = STAGE_OF.get(Status(referral.status))
    if referral.status in STARTS or stage is None:
        referral.due_on_by_hand = False
    if referral.status in STARTS and stage is not None:
        organisation = Organisation.objects.get(pk=referral.organisation_id)
        started = timezone.localdate(referral.status_changed_on)
        holidays = organisation_holidays(referral.organisation_id)
        referral.due_on = due_date(organisation, stage, started, holidays)
    elif stage is None:
        referral.due_on = None
    if referral.due_on == before:
        return {}
    return {"due_on": [_iso(before), _iso(referral.due_on)]}


def _iso(day: datetime.date | None) -> str | None:
    return day.isoformat() if day else None


@transaction.atomic
def referral_change_due_date(
    *,
    referral: Referral,
    by: User,
    due_on: datetime.date,
    reason: str,
    version: int | None | Unchecked,
) -> Referral:
    """Move the due date of the stage the referral is at (issue 11), by whoever manages that
    stage, for a reason that goes into the audit trail with the old and new dates."""
    locked = Referral.objects.select_for_update().get(pk=referral.pk)
    if not may_change_due_date(by, locked):
        raise NotAllowed("You cannot change when this referral's current stage is due.")
    check_version(locked.version, version, what="this referral")
    if not reason.strip():
        raise WrongState("Give the reason for changing the due date.")
    if due_on < timezone.localdate():
        raise WrongState("The new due date must be today or in the future.")
    stage = STAGE_OF[Status(locked.status)]
    # As it stood, by whichever rule (the group's first meeting may have set it).
    before = referral_due_on(
        locked,
        Organisation.objects.get(pk=locked.organisation_id),
        organisation_holidays(locked.organisation_id),
    )
    locked.due_on = due_on
    locked.due_on_by_hand = True
    _touch(locked, by)
    locked.save()
    record_change(
        actor=by,
        record=locked,
        action="referral.due_date_changed",
        summary=f"Changed when {STAGE_NAMES[stage]} is due",
        changes={"due_on": [_iso(before), _iso(due_on)], "reason": reason},
    )
    return locked


def _add_supervision_note(
    referral: Referral, *, by: User, kind: str, date: datetime.date, text: str
) -> SupervisionNote:
    """An entry in the worker's supervision notes, which the worker and line manager read."""
    return SupervisionNote.objects.create(
        organisation_id=referral.organisation_id,
        referral=referral,
        worker=referral.worker,
        line_manager=referral.line_manager,
        kind=kind,
        date=date,
        text=text,
        created_by=by,
        modified_by=by,
    )


def _mail(referral: Referral, to: list[User], subject: str, message: str) -> None:
    notify_on_commit(
        recipients=to,
        subject=f"{subject} ({referral.reference})",
        template="referrals/email/next_step.txt",
        context={"referral": referral, "message": message},
    )


@transaction.atomic
def referral_record_supervision(
    *, referral: Referral, by: User, date: datetime.date, note: str
) -> Referral:
    """§3.1: the case was raised and discussed in supervision."""
    moved = _move(
        referral=referral,
        by=by,
        name="record_supervision",
        summary="Recorded the supervision discussion",
        changes={"supervision_date": str(date), "supervision_note": note},
        supervision_date=date,
        supervision_note=note,
    )
    _add_supervision_note(moved, by=by, kind=SupervisionNote.Kind.DISCUSSION, date=date, text=note)
    other = moved.line_manager if by.pk == moved.worker_id else moved.worker
    _mail(
        moved,
        [other],
        "Referral discussed in supervision",
        "The case has been recorded as discussed in supervision. The worker can now complete "
        "and sign the Learning Review Referral Form.",
    )
    return moved


@transaction.atomic
def referral_sign_as_worker(*, referral: Referral, by: User, version: int | None) -> Referral:
    """§3.2: the worker signs the completed form; it goes to the line manager. `version` is the
    form's as the worker read it: a form changed since (the line manager may still edit it) is
    a conflict, not signed."""
    if Party.WORKER not in parties(by, referral):
        raise NotAllowed("Only the referral's worker can sign the form as the worker.")
    missing = incomplete_sections(
        Referral.objects.prefetch_related("household", "agencies", "chronology", "reasons").get(
            pk=referral.pk
        )
    )
    if missing:
        raise WrongState(
            "Complete every section before signing: " + ", ".join(s.title for s in missing) + "."
        )
    moved = _move(
        referral=referral,
        by=by,
        name="sign_as_worker",
        version=version,
        summary="Signed the referral form as the worker",
        worker_signed_on=timezone.now(),
        worker_signed_by=by,
    )
    _mail(
        moved,
        [moved.line_manager],
        "Referral form signed by the worker",
        "The worker has signed the Learning Review Referral Form. Please check it, sign it "
        "and recommend the review to a Service Manager, or return it to the worker.",
    )
    return moved


@transaction.atomic
def referral_return_to_worker(*, referral: Referral, by: User, note: str) -> Referral:
    """The line manager sends the signed form back for changes; the worker's signature lapses."""
    moved = _move(
        referral=referral,
        by=by,
        name="return_to_worker",
        summary="Returned the form to the worker for changes",
        changes={"note": note},
        worker_signed_on=None,
        worker_signed_by=None,
    )
    # The note may name the child, so it goes into the supervision notes, not the e-mail.
    _add_supervision_note(
        moved, by=by, kind=SupervisionNote.Kind.RETURNED, date=timezone.localdate(), text=note
    )
    _mail(
        moved,
        [moved.worker],
        "Referral form returned for changes",
        "Your line manager has returned the Learning Review Referral Form for changes. Their "
        "note is in your supervision notes. Make the changes, then sign the form again.",
    )
    return moved


@transaction.atomic
def referral_recommend(*, referral: Referral, by: User, service_manager: User) -> Referral:
    """§3.2: the line manager signs and recommends a review to a named Service Manager."""
    if (
        service_manager.organisation_id != referral.organisation_id
        or not service_manager.is_active
        or not service_manager.has_role(Role.SERVICE_MANAGER)
    ):
        raise NotAllowed("Choose a Service Manager in your organisation.")
    now = timezone.now()
    moved = _move(
        referral=referral,
        by=by,
        name="recommend",
        summary=f"Signed and recommended a review to {service_manager}",
        changes={"service_manager": service_manager.get_full_name()},
        line_manager_signed_on=now,
        line_manager_signed_by=by,
        service_manager=service_manager,
        date_submitted=timezone.localdate(),
    )
    _mail(
        moved,
        [service_manager],
        "A Learning Review is recommended",
        "A line manager recommends a Learning Review. Please decide whether the case meets "
        "the criteria.",
    )
    return moved


@transaction.atomic
def referral_agree(*, referral: Referral, by: User) -> Referral:
    """§3.3: the Service Manager agrees the case meets the criteria; it joins the improvement
    group's queue."""
    moved = _move(
        referral=referral,
        by=by,
        name="agree",
        summary="Agreed the case meets the criteria",
        service_manager_decided_on=timezone.now(),
    )
    group = list(
        User.objects.filter(
            organisation_id=moved.organisation_id,
            is_active=True,
            memberships__role__in=IMPROVEMENT_GROUP_ROLES,
        ).distinct()
    )
    _mail(
        moved,
        [moved.worker, moved.line_manager, *group],
        "Referral agreed by the Service Manager",
        "The Service Manager agrees the case meets the criteria for a Learning Review. The "
        "request will be discussed at the improvement group.",
    )
    return moved


@transaction.atomic
def referral_decline(*, referral: Referral, by: User, reasons: str) -> Referral:
    """§3.3: the Service Manager does not agree; the reasons go into the worker's supervision
    notes."""
    if not reasons.strip():
        raise NotAllowed("Give the reasons the case does not meet the criteria.")
    moved = _move(
        referral=referral,
        by=by,
        name="decline",
        summary="Did not agree the case meets the criteria",
        changes={"reasons": reasons},
        service_manager_decided_on=timezone.now(),
        service_manager_reasons=reasons,
    )
    _add_supervision_note(
        moved,
        by=by,
        kind=SupervisionNote.Kind.SERVICE_MANAGER_DECLINED,
        date=timezone.localdate(),
        text=reasons,
    )
    _mail(
        moved,
        [moved.worker, moved.line_manager],
        "Referral not agreed",
        "The Service Manager does not agree the case meets the criteria for a Learning "
        "Review. The reasons are in the worker's supervision notes.",
    )
    return moved


@transaction.atomic
def referral_record_group_decision(*, referral: Referral, by: User, proceed: bool) -> Referral:
    """§3.4: the chair confirms the improvement group's decision. Called by
    `improvement_group.services.decision_confirm`, in its transaction."""
    if proceed:
        return _move(
            referral=referral,
            by=by,
            name="group_proceed",
            summary="The improvement group agreed to proceed to a Learning Review",
        )
    return _move(
        referral=referral,
        by=by,
        name="group_not_proceed",
        summary="The improvement group agreed not to proceed to a Learning Review",
    )


@transaction.atomic
def referral_add_readers(
    *, referral: Referral, by: User, readers: list[User], reason: str
) -> Referral:
    """A later stage lets people read the referral (the lead reviewers of the review the
    improvement group commissions from it). Only someone who may see it can, within its
    organisation."""
    locked = _lock(referral)
    if not referrals_visible_to(by).filter(pk=locked.pk).exists():
        raise NotAllowed("You cannot share this referral.")
    if any(r.organisation_id != locked.organisation_id for r in readers):
        raise NotAllowed("A referral can only be shared within its organisation.")
    locked.readers.add(*readers)
    record_change(
        actor=by,
        record=locked,
        action="referral.readers_added",
        summary=reason,
        changes={"readers": [str(r) for r in readers]},
    )
    return locked


@transaction.atomic
def referral_complete_further_action(*, referral: Referral, by: User) -> Referral:
    """§3.4b: the group marks the further action complete; progress reports stop."""
    return _move(
        referral=referral,
        by=by,
        name="further_action_complete",
        summary="The improvement group marked the further action complete",
    )
