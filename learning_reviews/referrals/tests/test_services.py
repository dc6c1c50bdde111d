"""The referral services: editing the form, the steps' side effects, e-mail and rollback."""

import datetime

import pytest

from learning_reviews.accounts.models import Membership, Organisation, Role, User
from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import Conflict, NotAllowed, WrongState
from learning_reviews.referrals import services
from learning_reviews.referrals.models import HouseholdMember, Referral, Status, SupervisionNote
from learning_reviews.referrals.pathway import EDITABLE
from learning_reviews.referrals.sections import BY_KEY
from learning_reviews.referrals.selectors import supervision_notes_for
from learning_reviews.referrals.testing import CaseContent

CHILD = CaseContent()
NOT_EDITABLE = [s for s in Status if s not in EDITABLE]
NOT_EDITORS = [
    "service_manager",
    "cfcig_chair",
    "cfcig_member",
    "lead_reviewer",
    "admin",
    "auditor",
    "other_worker",
    "other_line_manager",
    "outsider",
]


def audit_actions(referral: Referral) -> list[str]:
    return list(
        AuditEvent.objects.filter(
            record_type="referrals.referral", record_id=str(referral.pk)
        ).values_list("action", flat=True)
    )


def last_event(referral: Referral) -> AuditEvent:
    return AuditEvent.objects.filter(
        record_type="referrals.referral", record_id=str(referral.pk)
    ).latest("at", "id")


def add_service_manager(org: Organisation, username: str, **kwargs) -> User:
    user = User.objects.create_user(
        username=username,
        full_name=username.title(),
        organisation=org,
        email=f"{username}@example.org",
        **kwargs,
    )
    Membership.objects.create(organisation=org, user=user, role=Role.SERVICE_MANAGER)
    return user


# Editing the form ---------------------------------------------------------------------------


@pytest.mark.parametrize("editor", ["worker", "line_manager"])
@pytest.mark.parametrize("status", sorted(EDITABLE))
def test_worker_and_line_manager_can_edit_the_form_before_it_is_signed(
    people, make_referral, editor, status
):
    referral = make_referral(status)
    events = len(audit_actions(referral))

    saved = services.referral_update(
        referral=referral,
        by=getattr(people, editor),
        version=referral.version,
        section="The child",
        data={"parents_carers": "Lauren Quinn (mother)"},
    )

    stored = Referral.objects.get(pk=referral.pk)
    assert stored.parents_carers == saved.parents_carers == "Lauren Quinn (mother)"
    assert stored.version == referral.version + 1
    assert stored.modified_by == getattr(people, editor)
    event = last_event(referral)
    assert len(audit_actions(referral)) == events + 1
    assert event.action == "referral.updated"
    assert event.changes == {"parents_carers": [CHILD.parents_carers, "Lauren Quinn (mother)"]}


def test_saving_a_section_with_no_change_writes_nothing(people, make_referral):
    referral = make_referral(Status.DRAFT)
    events = len(audit_actions(referral))

    services.referral_update(
        referral=referral,
        by=people.worker,
        version=referral.version,
        section="The child",
        data={"child_name": CHILD.child_name},
    )

    assert Referral.objects.get(pk=referral.pk).version == referral.version
    assert len(audit_actions(referral)) == events


def test_a_stale_version_is_a_conflict_and_nothing_is_saved(people, make_referral):
    referral = make_referral(Status.DRAFT)
    opened_at = referral.version
    services.referral_update(
        referral=referral,
        by=people.line_manager,
        version=opened_at,
        section="The child",
        data={"circumstances": "Changed by the line manager."},
    )
    events = len(audit_actions(referral))

    with pytest.raises(Conflict):
        services.referral_update(
            referral=referral,
            by=people.worker,
            version=opened_at,
            section="The child",
            data={"circumstances": "Changed by the worker from an old page."},
        )

    stored = Referral.objects.get(pk=referral.pk)
    assert stored.circumstances == "Changed by the line manager."
    assert stored.version == opened_at + 1
    assert len(audit_actions(referral)) == events


def test_adding_an_item_with_a_stale_version_is_a_conflict(people, make_referral):
    referral = make_referral(Status.DRAFT)
    with pytest.raises(Conflict):
        services.referral_add_item(
            referral=referral,
            by=people.worker,
            version=referral.version - 1,
            kind="household",
            data={"name": "Ava Quinn", "relationship": "Sister"},
        )
    assert not HouseholdMember.objects.filter(referral=referral, name="Ava Quinn").exists()


@pytest.mark.parametrize("status", NOT_EDITABLE)
def test_the_form_cannot_be_edited_once_signed(people, make_referral, status):
    referral = make_referral(status)
    events = len(audit_actions(referral))

    with pytest.raises(WrongState):
        services.referral_update(
            referral=referral,
            by=people.worker,
            version=referral.version,
            section="The child",
            data={"child_name": "Someone Else"},
        )
    with pytest.raises(WrongState):
        services.referral_add_item(
            referral=referral,
            by=people.line_manager,
            version=referral.version,
            kind="reasons",
            data={"text": "Another reason"},
        )

    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.child_name, stored.version) == (CHILD.child_name, referral.version)
    assert stored.reasons.count() == len(CHILD.reasons)
    assert len(audit_actions(referral)) == events


@pytest.mark.parametrize("persona", NOT_EDITORS)
def test_only_the_worker_and_line_manager_can_edit_the_form(people, make_referral, persona):
    referral = make_referral(Status.DRAFT)
    user = getattr(people, persona)
    item = referral.household.first()
    events = len(audit_actions(referral))

    with pytest.raises(NotAllowed):
        services.referral_update(
            referral=referral,
            by=user,
            version=referral.version,
            section="The child",
            data={"child_name": "Someone Else"},
        )
    with pytest.raises(NotAllowed):
        services.referral_add_item(
            referral=referral,
            by=user,
            version=referral.version,
            kind="household",
            data={"name": "X", "relationship": "Y"},
        )
    with pytest.raises(NotAllowed):
        services.referral_remove_item(
            referral=referral, by=user, version=referral.version, kind="household", item_id=item.pk
        )

    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.child_name, stored.version) == (CHILD.child_name, referral.version)
    assert stored.household.count() == len(CHILD.household)
    assert len(audit_actions(referral)) == events


def test_a_field_outside_the_form_cannot_be_set_through_an_edit(people, make_referral):
    referral = make_referral(Status.DRAFT)
    with pytest.raises(ValueError, match="status"):
        services.referral_update(
            referral=referral,
            by=people.worker,
            version=referral.version,
            section="The child",
            data={"status": Status.AGREED},
        )
    assert Referral.objects.get(pk=referral.pk).status == Status.DRAFT


def test_adding_and_removing_an_item_is_audited(people, make_referral):
    referral = make_referral(Status.DRAFT)

    item = services.referral_add_item(
        referral=referral,
        by=people.worker,
        version=referral.version,
        kind="household",
        data={"name": "Ava Quinn", "relationship": "Sister"},
    )
    added = last_event(referral)
    assert added.action == "referral.household.added"
    assert added.actor_id == people.worker.pk
    assert added.changes == {"name": "Ava Quinn", "relationship": "Sister"}

    referral.refresh_from_db()
    services.referral_remove_item(
        referral=referral,
        by=people.line_manager,
        version=referral.version,
        kind="household",
        item_id=item.pk,
    )
    removed = last_event(referral)
    assert removed.action == "referral.household.removed"
    assert removed.actor_id == people.line_manager.pk
    assert removed.changes == {"name": "Ava Quinn", "relationship": "Sister"}
    assert not HouseholdMember.objects.filter(pk=item.pk).exists()
    assert Referral.objects.get(pk=referral.pk).version == referral.version + 1


def test_removing_an_item_already_removed_is_a_conflict(people, make_referral):
    referral = make_referral(Status.DRAFT)
    item = referral.household.first()
    services.referral_remove_item(
        referral=referral,
        by=people.worker,
        version=referral.version,
        kind="household",
        item_id=item.pk,
    )
    referral.refresh_from_db()
    events = len(audit_actions(referral))

    with pytest.raises(Conflict):
        services.referral_remove_item(
            referral=referral,
            by=people.worker,
            version=referral.version,
            kind="household",
            item_id=item.pk,
        )
    assert len(audit_actions(referral)) == events


def test_an_item_of_another_referral_cannot_be_removed_through_this_one(people, make_referral):
    mine = make_referral(Status.DRAFT)
    theirs = make_referral(Status.DRAFT)
    item = theirs.household.first()
    with pytest.raises(Conflict):
        services.referral_remove_item(
            referral=mine, by=people.worker, version=mine.version, kind="household", item_id=item.pk
        )
    assert HouseholdMember.objects.filter(pk=item.pk).exists()


# Signing ------------------------------------------------------------------------------------


def test_signing_an_incomplete_form_is_refused_and_names_the_missing_sections(
    people, make_referral
):
    referral = make_referral(Status.DISCUSSED, complete=False)
    events = len(audit_actions(referral))

    with pytest.raises(WrongState) as refused:
        services.referral_sign_as_worker(
            referral=referral, by=people.worker, version=referral.version
        )

    message = str(refused.value)
    for key in [
        "identified",
        "child",
        "household",
        "grounds",
        "circumstances",
        "background",
        "reasons",
    ]:
        assert BY_KEY[key].title in message
    # "About you" is filled in when the referral is started, so it is not listed.
    assert BY_KEY["about"].title not in message
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.version) == (Status.DISCUSSED, referral.version)
    assert stored.worker_signed_on is None
    assert len(audit_actions(referral)) == events


def test_signing_names_only_the_section_still_missing(people, make_referral):
    referral = make_referral(Status.DISCUSSED)
    for item in referral.reasons.all():
        services.referral_remove_item(
            referral=referral,
            by=people.worker,
            version=referral.version,
            kind="reasons",
            item_id=item.pk,
        )
        referral.refresh_from_db()

    with pytest.raises(WrongState) as refused:
        services.referral_sign_as_worker(
            referral=referral, by=people.worker, version=referral.version
        )

    assert (
        str(refused.value) == f"Complete every section before signing: {BY_KEY['reasons'].title}."
    )


def test_signing_records_who_signed_and_when(people, make_referral):
    referral = make_referral(Status.DISCUSSED)
    signed = services.referral_sign_as_worker(
        referral=referral, by=people.worker, version=referral.version
    )
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.worker_signed_by == people.worker
    assert stored.worker_signed_on == signed.worker_signed_on is not None


def test_returning_the_form_to_the_worker_lapses_their_signature(people, make_referral):
    referral = make_referral(Status.SIGNED_BY_WORKER)
    services.referral_return_to_worker(
        referral=referral, by=people.line_manager, note="Please add the school's view."
    )
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.status == Status.DISCUSSED
    assert stored.worker_signed_on is None
    assert stored.worker_signed_by is None
    services.referral_update(
        referral=stored,
        by=people.worker,
        version=stored.version,
        section="Circumstances",
        data={"circumstances": "Updated."},
    )


# Supervision notes --------------------------------------------------------------------------


def test_recording_supervision_writes_a_discussion_note(people, make_referral):
    referral = make_referral(Status.DISCUSSED)
    note = SupervisionNote.objects.get(referral=referral)
    assert note.kind == SupervisionNote.Kind.DISCUSSION
    assert (note.date, note.text) == (CHILD.supervision_date, CHILD.supervision_note)
    assert (note.worker, note.line_manager) == (people.worker, people.line_manager)


def test_declining_puts_the_reasons_in_the_workers_supervision_notes(people, make_referral):
    referral = make_referral(Status.WITH_SERVICE_MANAGER)
    reasons = "The concerns are being met through the child's plan review."

    services.referral_decline(referral=referral, by=people.service_manager, reasons=reasons)

    note = SupervisionNote.objects.get(
        referral=referral, kind=SupervisionNote.Kind.SERVICE_MANAGER_DECLINED
    )
    assert note.text == reasons
    assert note.created_by == people.service_manager
    assert Referral.objects.get(pk=referral.pk).service_manager_reasons == reasons
    assert note in supervision_notes_for(people.worker)
    assert note in supervision_notes_for(people.line_manager)
    for persona in ["other_worker", "other_line_manager", "outsider", "cfcig_member"]:
        assert note not in supervision_notes_for(getattr(people, persona)), persona


@pytest.mark.parametrize("reasons", ["", "   \n"])
def test_declining_without_reasons_is_refused(people, make_referral, reasons):
    referral = make_referral(Status.WITH_SERVICE_MANAGER)
    with pytest.raises(NotAllowed):
        services.referral_decline(referral=referral, by=people.service_manager, reasons=reasons)
    assert Referral.objects.get(pk=referral.pk).status == Status.WITH_SERVICE_MANAGER
    assert not SupervisionNote.objects.filter(
        referral=referral, kind=SupervisionNote.Kind.SERVICE_MANAGER_DECLINED
    ).exists()


# Recommending to a Service Manager ------------------------------------------------------------


@pytest.mark.parametrize("persona", ["line_manager", "worker", "cfcig_chair", "admin"])
def test_recommending_to_someone_who_is_not_a_service_manager_is_refused(
    people, make_referral, persona
):
    referral = make_referral(Status.SIGNED_BY_WORKER)
    with pytest.raises(NotAllowed):
        services.referral_recommend(
            referral=referral, by=people.line_manager, service_manager=getattr(people, persona)
        )
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.service_manager) == (Status.SIGNED_BY_WORKER, None)
    assert "referral.recommend" not in audit_actions(referral)


def test_recommending_to_a_service_manager_in_another_organisation_is_refused(
    people, make_referral
):
    elsewhere = add_service_manager(people.outsider_org, "eilidh")
    referral = make_referral(Status.SIGNED_BY_WORKER)
    with pytest.raises(NotAllowed):
        services.referral_recommend(
            referral=referral, by=people.line_manager, service_manager=elsewhere
        )
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.service_manager) == (Status.SIGNED_BY_WORKER, None)
    assert "referral.recommend" not in audit_actions(referral)


def test_recommending_to_a_service_manager_who_has_left_is_refused(people, make_referral):
    left = add_service_manager(people.org, "fiona", is_active=False)
    referral = make_referral(Status.SIGNED_BY_WORKER)
    with pytest.raises(NotAllowed):
        services.referral_recommend(referral=referral, by=people.line_manager, service_manager=left)
    assert Referral.objects.get(pk=referral.pk).status == Status.SIGNED_BY_WORKER


def test_recommending_records_the_line_managers_signature_and_the_service_manager(
    people, make_referral
):
    referral = make_referral(Status.SIGNED_BY_WORKER)
    services.referral_recommend(
        referral=referral, by=people.line_manager, service_manager=people.service_manager
    )
    stored = Referral.objects.get(pk=referral.pk)
    assert stored.service_manager == people.service_manager
    assert stored.line_manager_signed_by == people.line_manager
    assert stored.line_manager_signed_on is not None
    assert stored.date_submitted is not None


# E-mail -------------------------------------------------------------------------------------


def _addresses(*users: User) -> list[str]:
    return sorted(u.email for u in users)


def test_recording_supervision_emails_the_other_party_after_commit(
    people, make_referral, mailoutbox, django_capture_on_commit_callbacks
):
    for by, other in [(people.worker, people.line_manager), (people.line_manager, people.worker)]:
        referral = make_referral(Status.DRAFT)
        mailoutbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.referral_record_supervision(
                referral=referral, by=by, date=datetime.date(2025, 3, 18), note="Discussed."
            )
            assert mailoutbox == [], "nothing is sent before the change commits"
        assert [m.to for m in mailoutbox] == [_addresses(other)]


STEPS = {
    "sign_as_worker": (
        Status.DISCUSSED,
        "worker",
        lambda r, p: services.referral_sign_as_worker(referral=r, by=p.worker, version=r.version),
    ),
    "return_to_worker": (
        Status.SIGNED_BY_WORKER,
        "line_manager",
        lambda r, p: services.referral_return_to_worker(
            referral=r, by=p.line_manager, note="Please add the dates."
        ),
    ),
    "recommend": (
        Status.SIGNED_BY_WORKER,
        "line_manager",
        lambda r, p: services.referral_recommend(
            referral=r, by=p.line_manager, service_manager=p.service_manager
        ),
    ),
    "agree": (
        Status.WITH_SERVICE_MANAGER,
        "service_manager",
        lambda r, p: services.referral_agree(referral=r, by=p.service_manager),
    ),
    "decline": (
        Status.WITH_SERVICE_MANAGER,
        "service_manager",
        lambda r, p: services.referral_decline(
            referral=r,
            by=p.service_manager,
            reasons=f"{CHILD.child_name}'s plan review is addressing this.",
        ),
    ),
}
RECIPIENTS = {
    "sign_as_worker": ["line_manager"],
    "return_to_worker": ["worker"],
    "recommend": ["service_manager"],
    "agree": ["worker", "line_manager", "cfcig_chair", "cfcig_member"],
    "decline": ["worker", "line_manager"],
}


@pytest.mark.parametrize("name", list(STEPS))
def test_each_step_emails_whoever_acts_next_after_commit_without_naming_the_child(
    people, make_referral, mailoutbox, django_capture_on_commit_callbacks, name
):
    status, _, step = STEPS[name]
    referral = make_referral(status)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        step(referral, people)
        assert mailoutbox == [], "nothing is sent before the change commits"

    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert sorted(message.to) == _addresses(*(getattr(people, p) for p in RECIPIENTS[name]))
    assert referral.reference in message.subject
    assert f"/referrals/{referral.pk}/" in message.body
    for identifying in [CHILD.child_name, CHILD.swis_number, "Zara", "Quinn"]:
        assert identifying not in message.subject
        assert identifying not in message.body


def test_agreeing_emails_only_this_organisations_improvement_group(
    people, make_referral, mailoutbox, django_capture_on_commit_callbacks
):
    elsewhere = User.objects.create_user(
        username="ruth",
        full_name="Ruth Elsewhere",
        organisation=people.outsider_org,
        email="ruth@example.org",
    )
    Membership.objects.create(
        organisation=people.outsider_org, user=elsewhere, role=Role.CFCIG_CHAIR
    )
    referral = make_referral(Status.WITH_SERVICE_MANAGER)
    mailoutbox.clear()

    with django_capture_on_commit_callbacks(execute=True):
        services.referral_agree(referral=referral, by=people.service_manager)

    assert elsewhere.email not in mailoutbox[0].to


def test_returning_the_form_does_not_email_a_note_that_names_the_child(
    people, make_referral, mailoutbox, django_capture_on_commit_callbacks
):
    referral = make_referral(Status.SIGNED_BY_WORKER)
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.referral_return_to_worker(
            referral=referral,
            by=people.line_manager,
            note=f"Please check {CHILD.child_name}'s SWIS No. ({CHILD.swis_number}).",
        )
    assert CHILD.child_name not in mailoutbox[0].body
    assert CHILD.swis_number not in mailoutbox[0].body


def test_a_refused_step_sends_no_email(
    people, make_referral, mailoutbox, django_capture_on_commit_callbacks
):
    referral = make_referral(Status.WITH_SERVICE_MANAGER)
    mailoutbox.clear()
    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(NotAllowed),
    ):
        services.referral_agree(referral=referral, by=people.line_manager)
    assert callbacks == []
    assert mailoutbox == []


# Rollback -----------------------------------------------------------------------------------


def test_a_failure_after_the_audit_row_rolls_back_the_change_and_the_audit_row(
    people, make_referral, monkeypatch, mailoutbox, django_capture_on_commit_callbacks
):
    referral = make_referral(Status.WITH_SERVICE_MANAGER)
    events = audit_actions(referral)

    def fail(**kwargs):
        raise RuntimeError("database went away")

    monkeypatch.setattr(SupervisionNote.objects, "create", fail)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError):
        services.referral_decline(
            referral=referral, by=people.service_manager, reasons="Not a case for review."
        )

    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.version) == (Status.WITH_SERVICE_MANAGER, referral.version)
    assert stored.service_manager_reasons == ""
    assert audit_actions(referral) == events
    assert mailoutbox == []


def test_a_failure_writing_the_audit_row_rolls_back_the_change(people, make_referral, monkeypatch):
    referral = make_referral(Status.DRAFT)
    events = audit_actions(referral)

    def fail(**kwargs):
        raise RuntimeError("audit table unavailable")

    monkeypatch.setattr(services, "record_change", fail)
    with pytest.raises(RuntimeError):
        services.referral_update(
            referral=referral,
            by=people.worker,
            version=referral.version,
            section="The child",
            data={"child_name": "Someone Else"},
        )
    with pytest.raises(RuntimeError):
        services.referral_record_supervision(
            referral=referral, by=people.worker, date=datetime.date(2025, 3, 18), note="Discussed."
        )

    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.child_name, stored.status, stored.version) == (
        CHILD.child_name,
        Status.DRAFT,
        referral.version,
    )
    assert not SupervisionNote.objects.filter(referral=referral).exists()
    assert audit_actions(referral) == events
