"""The one change the audit trail allows: the retention job redacting the words of events about
records it removed (`services.redact_events`), inside `guard.audit_redacting()`, and nothing
but the words."""

import pytest
from django.db import IntegrityError, transaction

from learning_reviews.accounts.models import Organisation, User
from learning_reviews.audit.guard import audit_redacting
from learning_reviews.audit.models import AuditEvent
from learning_reviews.audit.services import (
    REDACTED,
    record_change,
    redact_actor_name,
    redact_events,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def event() -> AuditEvent:
    org = Organisation.objects.create(name="Fictional Council")
    actor = User.objects.create_user(username="megan", full_name="Megan Cross", organisation=org)
    return record_change(
        actor=actor,
        record=org,
        action="referral.updated",
        summary="Changed the name to Zara Quinn",
        changes={"child_name": ["", "Zara Quinn"]},
    )


def test_outside_the_guard_the_words_cannot_be_changed(event):
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="tampered")


def test_inside_the_guard_the_record_action_and_time_still_cannot_be_changed(event):
    for field, value in [("action", "other"), ("record_id", "999"), ("actor_id", 7)]:
        with pytest.raises(IntegrityError), transaction.atomic(), audit_redacting():
            AuditEvent.objects.filter(pk=event.pk).update(**{field: value})


def test_redacting_removes_the_words_and_keeps_who_what_and_when(event):
    with transaction.atomic():
        count = redact_events(
            record_type=event.record_type, record_ids=[event.record_id], rule="case_reviewed"
        )
    stored = AuditEvent.objects.get(pk=event.pk)
    assert count == 1
    assert (stored.summary, stored.changes) == (REDACTED, {"retention_rule": "case_reviewed"})
    assert (stored.action, stored.actor_name, stored.at) == (event.action, "Megan Cross", event.at)
    with pytest.raises(IntegrityError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(summary="back again")


def test_an_anonymised_persons_name_is_replaced_and_their_id_kept(event):
    with transaction.atomic():
        redact_actor_name(actor_id=event.actor_id, placeholder="Former member of staff")
    stored = AuditEvent.objects.get(pk=event.pk)
    assert (stored.actor_id, stored.actor_name) == (event.actor_id, "Former member of staff")
