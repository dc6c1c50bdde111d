"""The deletion job, with time-machine: a record just inside its period stays, just past it
goes; what goes leaves a tombstone naming the rule and holding no data; stored files go from
storage; the dashboards' counts survive in husks; a second run does nothing."""

import datetime
import json

import pytest
import time_machine
from django.core.management import call_command
from django.utils import timezone

from learning_reviews.accounts import services as accounts
from learning_reviews.accounts.models import User
from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.models import OutgoingEmail
from learning_reviews.referrals.models import HouseholdMember, Referral, Status
from learning_reviews.retention.job import FORMER_STAFF, TOMBSTONE, apply_retention
from learning_reviews.retention.models import RetentionPeriod
from learning_reviews.retention.tests.helpers import (
    CLOSED,
    DECIDED,
    closed_case,
    not_proceeding,
    trail_mentions,
)
from learning_reviews.reviews.models import Conversation, EvidenceSource, Finding, Participant

MINUTE = datetime.timedelta(minutes=1)
SIX_YEARS_ON = DECIDED.replace(year=DECIDED.year + 6)


def tombstones(record_type: str) -> list[AuditEvent]:
    return list(AuditEvent.objects.filter(action=TOMBSTONE, record_type=record_type))


def test_a_referral_that_did_not_proceed_stays_until_its_period_has_passed(make_referral):
    referral = not_proceeding(make_referral)
    with time_machine.travel(SIX_YEARS_ON - MINUTE, tick=False):
        assert apply_retention() == []
    assert Referral.objects.get(pk=referral.pk).child_name == "Zara Quinn"
    assert HouseholdMember.objects.filter(referral=referral).exists()


def test_past_its_period_the_referral_keeps_only_an_anonymous_husk(make_referral):
    referral = not_proceeding(make_referral)
    with time_machine.travel(SIX_YEARS_ON + MINUTE, tick=False):
        removed = apply_retention()
    husk = Referral.objects.get(pk=referral.pk)
    assert [(r.rule, r.reference) for r in removed] == [
        ("referral_not_proceeding", referral.reference)
    ]
    assert (husk.child_name, husk.swis_number, husk.parents_carers, husk.circumstances) == (
        "",
        "",
        "",
        "",
    )
    # The figures: its status, team and grounds are still counted.
    assert (husk.status, husk.team_id, husk.grounds) == (
        Status.NOT_AGREED,
        referral.team_id,
        referral.grounds,
    )
    assert not HouseholdMember.objects.filter(referral=referral).exists()
    assert not trail_mentions("Zara") and not trail_mentions("Quinn")


def test_the_tombstone_names_the_record_and_rule_and_holds_no_data(make_referral):
    referral = not_proceeding(make_referral)
    with time_machine.travel(SIX_YEARS_ON + MINUTE, tick=False):
        apply_retention()
    [tombstone] = tombstones("referrals.referral")
    assert tombstone.record_id == str(referral.pk)
    assert referral.reference in tombstone.summary
    assert tombstone.changes == {
        "rule": "referral_not_proceeding",
        "period": "6 years after the decision not to proceed (or the further action's completion)",
    }
    assert tombstone.at == SIX_YEARS_ON + MINUTE
    assert tombstone.actor_id is None


def test_a_second_run_removes_nothing(make_referral):
    not_proceeding(make_referral)
    with time_machine.travel(SIX_YEARS_ON + MINUTE, tick=False):
        assert len(apply_retention()) == 1
        assert apply_retention() == []
    assert len(tombstones("referrals.referral")) == 1


def test_a_dry_run_lists_what_would_go_and_changes_nothing(make_referral):
    referral = not_proceeding(make_referral)
    events = AuditEvent.objects.count()
    with time_machine.travel(SIX_YEARS_ON + MINUTE, tick=False):
        removed = apply_retention(dry_run=True)
    assert [r.record_id for r in removed] == [str(referral.pk)]
    assert Referral.objects.get(pk=referral.pk).child_name == "Zara Quinn"
    assert AuditEvent.objects.count() == events


def test_the_organisations_own_period_is_the_one_applied(make_referral, people):
    not_proceeding(make_referral)
    RetentionPeriod.objects.create(
        organisation=people.org, record_type="referral_not_proceeding", period=7
    )
    with time_machine.travel(SIX_YEARS_ON + MINUTE, tick=False):
        assert apply_retention() == []
    with time_machine.travel(SIX_YEARS_ON.replace(year=SIX_YEARS_ON.year + 1) + MINUTE):
        assert len(apply_retention()) == 1


def test_a_closed_case_loses_its_workspace_and_files_and_keeps_the_counted_husks(
    make_referral, django_capture_on_commit_callbacks
):
    review = closed_case(make_referral)
    source = EvidenceSource.objects.get(review=review)
    storage, name = source.file.storage, source.file.name
    assert storage.exists(name)
    findings = list(Finding.objects.filter(review=review).values_list("factors", flat=True))
    limit = timezone.make_aware(datetime.datetime(CLOSED.year + 25, CLOSED.month, CLOSED.day))

    with time_machine.travel(limit - datetime.timedelta(days=1), tick=False):
        assert apply_retention() == []
    with (
        time_machine.travel(limit + datetime.timedelta(days=1), tick=False),
        django_capture_on_commit_callbacks(execute=True),
    ):
        removed = apply_retention()

    assert {r.rule for r in removed} == {"case_reviewed"}
    assert not storage.exists(name)
    assert not EvidenceSource.objects.filter(review=review).exists()
    assert not Conversation.objects.filter(review=review).exists()
    # The themes dashboard counts findings by factor; the timeliness one, participants.
    kept = Finding.objects.filter(review=review)
    assert list(kept.values_list("factors", flat=True)) == findings
    assert set(kept.values_list("title", "text")) == {("", "")}
    assert set(Participant.objects.filter(review=review).values_list("name", flat=True)) == {""}
    assert Referral.objects.get(pk=review.referral_id).child_name == ""
    assert not trail_mentions("Zara Quinn")


def test_sent_e_mails_go_after_ninety_days_with_one_tombstone(people):
    with time_machine.travel(DECIDED, tick=False):
        email = OutgoingEmail.objects.create(
            organisation=people.org,
            to=["megan@example.org"],
            subject="Zara Quinn",
            body="…",
            status=OutgoingEmail.Status.SENT,
        )
        pending = OutgoingEmail.objects.create(
            organisation=people.org, to=["megan@example.org"], subject="Waiting", body="…"
        )
    with time_machine.travel(DECIDED + datetime.timedelta(days=90) - MINUTE, tick=False):
        assert apply_retention() == []
    with time_machine.travel(DECIDED + datetime.timedelta(days=90) + MINUTE, tick=False):
        apply_retention()
    assert list(OutgoingEmail.objects.values_list("pk", flat=True)) == [pending.pk]
    [tombstone] = tombstones("accounts.organisation")
    assert tombstone.changes["ids"] == [str(email.pk)]
    assert "Zara" not in json.dumps(tombstone.changes) + tombstone.summary


def test_an_archived_person_is_anonymised_after_their_period_and_keeps_their_id(people):
    person = people.other_worker
    with time_machine.travel(DECIDED, tick=False):
        accounts.user_deactivate(by=people.admin, user=person)
    with time_machine.travel(SIX_YEARS_ON - MINUTE, tick=False):
        apply_retention()
    assert User.objects.get(pk=person.pk).full_name == "Jenna Scott"

    with time_machine.travel(SIX_YEARS_ON + MINUTE, tick=False):
        apply_retention()
    anonymised = User.objects.get(pk=person.pk)
    assert (anonymised.full_name, anonymised.email, anonymised.username) == (
        FORMER_STAFF,
        "",
        f"removed-{person.pk}",
    )
    assert not anonymised.has_usable_password()
    assert not trail_mentions("Jenna Scott")
    assert len(tombstones("accounts.user")) == 1


def test_people_are_never_deleted(people):
    with pytest.raises(PermissionError):
        people.worker.delete()


def test_the_command_lists_what_a_dry_run_would_remove(make_referral, capsys):
    referral = not_proceeding(make_referral)
    with time_machine.travel(SIX_YEARS_ON + MINUTE, tick=False):
        call_command("apply_retention", "--dry-run")
    out = capsys.readouterr().out
    assert f"Would remove referrals.referral {referral.pk} ({referral.reference})" in out
    assert Referral.objects.get(pk=referral.pk).child_name == "Zara Quinn"
