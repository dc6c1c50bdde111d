"""The administrator's page of e-mails that could not be sent (core/outbox.py), and sending one
again: only the organisation's own, only by its administrators, audited."""

import pytest
from django.urls import reverse
from django.utils import timezone

from learning_reviews.accounts import services_outbox
from learning_reviews.audit.models import AuditEvent
from learning_reviews.core import outbox
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.core.models import OutgoingEmail

Status = OutgoingEmail.Status


def _email(organisation, subject, status=Status.FAILED, attempts=outbox.MAX_ATTEMPTS):
    return OutgoingEmail.objects.create(
        organisation=organisation,
        to=["megan@example.org"],
        subject=subject,
        body="Hello",
        status=status,
        attempts=attempts,
        last_error="ConnectionRefusedError: the mail server refused the connection.",
        next_attempt_on=None if status == Status.FAILED else timezone.now(),
    )


@pytest.fixture
def emails(people):
    return {
        "failed": _email(people.org, "Referral LR-00007: agreed"),
        "retrying": _email(people.org, "Referral LR-00008: returned", Status.PENDING, 2),
        "sent": _email(people.org, "Referral LR-00009: signed", Status.SENT, 1),
        "elsewhere": _email(people.outsider_org, "Referral LR-00010: agreed"),
    }


def test_the_administrator_sees_their_organisations_failed_emails(client, people, emails):
    client.force_login(people.admin)
    page = client.get(reverse("manage:email_list")).content.decode()
    assert "<title>E-mails that could not be sent – Manage" in page
    assert "Referral LR-00007: agreed" in page and "megan@example.org" in page
    assert "refused the connection" in page and "(6 attempts)" in page
    assert "1 e-mail could not be sent at the first attempt" in page
    for other in ["LR-00008", "LR-00009", "LR-00010"]:
        assert other not in page
    send_again = reverse("manage:email_send_again", args=[emails["failed"].pk])
    assert f'action="{send_again}"' in page
    assert reverse("manage:email_list") in client.get(reverse("manage:home")).content.decode()


@pytest.mark.parametrize("persona", ["worker", "service_manager", "auditor", "outsider"])
def test_nobody_else_sees_the_page(client, people, emails, persona):
    client.force_login(getattr(people, persona))
    assert client.get(reverse("manage:email_list")).status_code == 404


def test_sending_again_queues_it_afresh_and_is_audited(
    client, people, emails, mailoutbox, django_capture_on_commit_callbacks
):
    client.force_login(people.admin)
    failed = emails["failed"]
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("manage:email_send_again", args=[failed.pk]), follow=True)
    assert "will be sent again" in response.content.decode()
    failed.refresh_from_db()
    # The tests run each task as it is queued: it has gone.
    assert (failed.status, failed.attempts) == (Status.SENT, 1)
    assert [m.subject for m in mailoutbox] == ["Referral LR-00007: agreed"]
    event = AuditEvent.objects.get(action="email.sent_again")
    assert (event.actor_id, event.organisation_id) == (people.admin.pk, people.org.pk)
    assert event.record_id == str(failed.pk)

    again = client.post(reverse("manage:email_send_again", args=[failed.pk]))
    assert again.status_code == 404, "only a failed e-mail can be sent again"


@pytest.mark.parametrize("which", ["elsewhere", "retrying", "sent"])
def test_no_other_email_can_be_sent_again(client, people, emails, which, mailoutbox):
    client.force_login(people.admin)
    response = client.post(reverse("manage:email_send_again", args=[emails[which].pk]))
    assert response.status_code == 404
    assert OutgoingEmail.objects.get(pk=emails[which].pk).status == emails[which].status
    assert not AuditEvent.objects.filter(action="email.sent_again").exists()


def test_a_worker_cannot_send_one_again(client, people, emails):
    client.force_login(people.worker)
    response = client.post(reverse("manage:email_send_again", args=[emails["failed"].pk]))
    assert response.status_code == 404
    assert OutgoingEmail.objects.get(pk=emails["failed"].pk).status == Status.FAILED


def test_the_service_refuses_another_organisation_and_an_email_that_has_not_failed(people, emails):
    with pytest.raises(NotAllowed):
        services_outbox.email_send_again(by=people.admin, email=emails["elsewhere"])
    with pytest.raises(NotAllowed):
        services_outbox.email_send_again(by=people.service_manager, email=emails["failed"])
    with pytest.raises(WrongState):
        services_outbox.email_send_again(by=people.admin, email=emails["sent"])
    assert not AuditEvent.objects.filter(action="email.sent_again").exists()
