"""The view summaries are kept and removed as the audit events they replace
(docs/data-protection.md): the words of the last view go with the record under its rule and
after the audit trail's seven years; an anonymised person's name goes from them; a subject
access export lists who viewed the child's records, how often, first and last."""

import datetime
import json

import time_machine
from django.urls import reverse

from learning_reviews.accounts import services as accounts
from learning_reviews.audit.models import ViewSummary
from learning_reviews.audit.services import REDACTED, record_view
from learning_reviews.referrals.models import Status
from learning_reviews.retention.job import FORMER_STAFF, apply_retention
from learning_reviews.retention.tests.helpers import DECIDED, not_proceeding
from learning_reviews.retention.tests.test_subject_access import export

MINUTE = datetime.timedelta(minutes=1)
SIX_YEARS_ON = DECIDED.replace(year=DECIDED.year + 6)
SEVEN_YEARS_ON = DECIDED.replace(year=DECIDED.year + 7)


def test_a_removed_referrals_view_summaries_lose_their_words_and_keep_who_and_when(
    make_referral, people
):
    referral = not_proceeding(make_referral)
    with time_machine.travel(DECIDED, tick=False):
        record_view(actor=people.worker, record=referral, summary="Viewed Zara Quinn's referral")
        record_view(actor=people.worker, record=referral, summary="Viewed Zara Quinn's referral")
    with time_machine.travel(SIX_YEARS_ON - MINUTE, tick=False):
        apply_retention()
    assert "Zara" in ViewSummary.objects.get().summary
    with time_machine.travel(SIX_YEARS_ON + MINUTE, tick=False):
        apply_retention()
    kept = ViewSummary.objects.get()
    assert kept.summary == REDACTED
    assert (kept.actor_id, kept.record_id, kept.views, kept.last_viewed_at) == (
        people.worker.pk,
        str(referral.pk),
        2,
        DECIDED,
    )


def test_a_view_summarys_words_go_after_the_audit_trails_seven_years(people):
    with time_machine.travel(DECIDED, tick=False):
        record_view(actor=people.admin, record=people.org, summary="Viewed the settings")
    with time_machine.travel(SEVEN_YEARS_ON - MINUTE, tick=False):
        assert not any(r.record_type == "audit.viewsummary" for r in apply_retention())
    assert ViewSummary.objects.get().summary == "Viewed the settings"
    with time_machine.travel(SEVEN_YEARS_ON + MINUTE, tick=False):
        dry = apply_retention(dry_run=True)
        assert ViewSummary.objects.get().summary == "Viewed the settings"
        removed = apply_retention()
    summary = ViewSummary.objects.get()
    assert [r.record_id for r in dry if r.record_type == "audit.viewsummary"] == [str(summary.pk)]
    assert [r.record_id for r in removed if r.record_type == "audit.viewsummary"] == [
        str(summary.pk)
    ]
    assert (summary.summary, summary.actor_id) == (REDACTED, people.admin.pk)


def test_an_anonymised_persons_name_goes_from_their_view_summaries(make_referral, people):
    referral = not_proceeding(make_referral)
    person = people.other_worker
    record_view(actor=person, record=referral, summary="Viewed the referral")
    with time_machine.travel(DECIDED, tick=False):
        accounts.user_deactivate(by=people.admin, user=person)
    with time_machine.travel(SIX_YEARS_ON + MINUTE, tick=False):
        apply_retention()
    summary = ViewSummary.objects.get(actor_id=person.pk)
    assert summary.actor_name == FORMER_STAFF


def test_the_subject_access_export_lists_who_viewed_the_childs_records(
    client, people, make_referral
):
    referral = make_referral(Status.AGREED)
    other = not_proceeding(make_referral, child_name="Ava Reid", swis_number="77")
    client.force_login(people.line_manager)
    client.get(reverse("referrals:detail", args=[referral.pk]))
    client.get(reverse("referrals:history", args=[referral.pk]))
    record_view(actor=people.worker, record=other, summary="Viewed the referral")
    client.force_login(people.auditor)
    archive = export(client, referral)
    views = json.loads(archive.read(f"{referral.reference}/views.json"))
    assert [(v["actor_id"], v["record_id"], v["views"]) for v in views] == [
        (people.line_manager.pk, str(referral.pk), 2)
    ]
    assert views[0]["actor_name"] == people.line_manager.full_name
    assert views[0]["first_viewed_at"] and views[0]["last_viewed_at"]
