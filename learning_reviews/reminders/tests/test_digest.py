"""A person who chose "one e-mail a day with all my reminders" gets one e-mail a day listing
each of their reminders, however often the reminders run, and each reminder only once."""

import datetime

import pytest

from learning_reviews.accounts.models import ReminderDelivery
from learning_reviews.reminders.models import DigestSent, ReminderSent
from learning_reviews.reminders.tests.helpers import (
    CHILD,
    Outbox,
    further_action,
    referral_with_service_manager,
    run_on,
)

D = datetime.date


@pytest.fixture
def two_referrals(people, make_referral):
    """Two referrals recommended to Catriona Munro, the Service Manager, on the same Monday (due
    Monday 30 November... which is St Andrew's Day, so met on Tuesday 1 December)."""
    people.service_manager.reminder_delivery = ReminderDelivery.DIGEST
    people.service_manager.save(update_fields=["reminder_delivery"])
    return [
        referral_with_service_manager(make_referral, D(2026, 11, 16)),
        referral_with_service_manager(make_referral, D(2026, 11, 16)),
    ]


def test_one_email_a_day_lists_each_reminder(two_referrals, people):
    first, second = two_referrals
    outbox = Outbox()
    assert run_on(D(2026, 11, 26), 8) == 2
    assert run_on(D(2026, 11, 26), 12) == 0
    assert run_on(D(2026, 11, 26), 17) == 0
    (email,) = outbox.read()
    assert email.to == ["catriona@example.org"]
    assert email.subject == "Your reminders for 26 November 2026: 2 due dates"
    assert email.body.startswith("Your reminders for Thursday 26 November 2026:")
    for referral in (first, second):
        assert (
            f"{referral.reference}: the Service Manager's decision is due in 2 working days, "
            "on 1 December 2026." in email.body
        )
        assert f"/referrals/{referral.pk}/decision/" in email.body
    assert DigestSent.objects.filter(recipient=people.service_manager).count() == 1
    for detail in (CHILD.child_name, CHILD.swis_number, "Catriona", "Megan", "Iain"):
        assert detail not in f"{email.subject}\n{email.body}"


def test_the_next_day_brings_the_next_digest_and_no_reminder_twice(two_referrals, people):
    outbox = Outbox()
    run_on(D(2026, 11, 26))
    outbox.read()
    # Friday 27 November: still before the due date, but each "before" reminder has gone.
    assert run_on(D(2026, 11, 27)) == 0
    assert outbox.read() == []
    # Tuesday 1 December (after the weekend and St Andrew's Day): due today, one e-mail.
    assert run_on(D(2026, 12, 1)) == 2
    (email,) = outbox.read()
    assert email.subject == "Your reminders for 1 December 2026: 2 due dates"
    assert email.body.count("the Service Manager's decision is due today") == 2
    assert ReminderSent.objects.filter(recipient=people.service_manager).count() == 4


def test_a_day_with_nothing_new_sends_no_digest_and_keeps_the_day_open(
    two_referrals, people, make_referral
):
    run_on(D(2026, 11, 26), 8)
    outbox = Outbox()
    # Nothing left to send: no e-mail, and no digest claimed for Friday...
    assert run_on(D(2026, 11, 27), 8) == 0
    assert not DigestSent.objects.filter(sent_on=D(2026, 11, 27)).exists()
    # ...so a further action of Catriona's due that day, added later, still gets its digest.
    further_action(
        make_referral,
        people,
        decided=D(2026, 11, 9),
        owner=people.service_manager,
        due_on=D(2026, 11, 27),
    )
    outbox.read()
    assert run_on(D(2026, 11, 27), 15) == 1
    (email,) = outbox.read()
    assert "the further action the improvement group asked for is due today" in email.body


def test_digests_and_single_emails_go_to_each_as_they_chose(two_referrals, people, make_referral):
    further_action(
        make_referral, people, decided=D(2026, 11, 9), owner=people.worker, due_on=D(2026, 11, 27)
    )
    outbox = Outbox()
    run_on(D(2026, 11, 27))
    emails = {(e.to[0], e.subject.split(":")[0]) for e in outbox.read()}
    assert emails == {
        ("catriona@example.org", "Your reminders for 27 November 2026"),
        ("megan@example.org", "Reminder"),
    }
