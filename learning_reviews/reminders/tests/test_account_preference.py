"""Each person chooses on "Your account" how they get reminders: an e-mail for each (the
default) or one e-mail a day with them all (accounts/views.py `account_reminders`)."""

import pytest
from django.urls import reverse

from learning_reviews.accounts import services_preferences
from learning_reviews.accounts.models import ReminderDelivery, User
from learning_reviews.accounts.services import Invalid
from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import NotAllowed

URL = reverse("account_reminders")
CHOOSE = "Select how you want to get your reminders"


@pytest.fixture
def worker_client(client, people):
    client.force_login(people.worker)
    return client


def test_an_email_for_each_reminder_is_the_default(worker_client, people):
    assert people.worker.reminder_delivery == ReminderDelivery.EACH
    page = worker_client.get(URL).content.decode()
    assert 'value="each" checked' in page
    assert 'value="digest" checked' not in page
    account = worker_client.get(reverse("account")).content.decode()
    assert "You get: an e-mail for each reminder." in account
    assert f'href="{URL}"' in account


def test_choosing_a_daily_digest_is_saved_and_audited(worker_client, people):
    response = worker_client.post(URL, {"delivery": "digest"})
    assert response.status_code == 302
    assert response.url == reverse("account")
    assert User.objects.get(pk=people.worker.pk).reminder_delivery == ReminderDelivery.DIGEST
    event = AuditEvent.objects.get(action="user.reminder_delivery_updated")
    assert event.actor_id == people.worker.pk
    assert event.record_id == str(people.worker.pk)
    assert event.changes == {"reminder_delivery": ["each", "digest"]}
    account = worker_client.get(reverse("account")).content.decode()
    assert "How you get your reminders has been saved." in account
    assert "You get: one e-mail a day with all my reminders." in account
    assert 'value="digest" checked' in worker_client.get(URL).content.decode()


@pytest.mark.parametrize("posted", [{"delivery": "weekly"}, {"delivery": ""}, {}])
def test_a_bad_choice_is_refused_with_a_message_beside_the_field(worker_client, people, posted):
    response = worker_client.post(URL, posted)
    assert response.status_code == 200
    page = response.content.decode()
    assert page.count(CHOOSE) == 2  # in the error summary and beside the field
    assert 'id="id_delivery-error"' in page
    assert "<title>Error: " in page
    assert User.objects.get(pk=people.worker.pk).reminder_delivery == ReminderDelivery.EACH
    assert not AuditEvent.objects.filter(action="user.reminder_delivery_updated").exists()


def test_saving_the_same_choice_changes_nothing(worker_client, people):
    worker_client.post(URL, {"delivery": "each"})
    assert not AuditEvent.objects.filter(action="user.reminder_delivery_updated").exists()


def test_the_service_refuses_a_value_it_does_not_know_and_a_deactivated_person(people):
    with pytest.raises(Invalid) as refused:
        services_preferences.reminder_delivery_update(by=people.worker, delivery="weekly")
    assert refused.value.field == "delivery"
    people.worker.is_active = False
    with pytest.raises(NotAllowed):
        services_preferences.reminder_delivery_update(by=people.worker, delivery="digest")


def test_each_person_changes_only_their_own(worker_client, people):
    worker_client.post(URL, {"delivery": "digest"})
    others = User.objects.exclude(pk=people.worker.pk)
    assert set(others.values_list("reminder_delivery", flat=True)) == {ReminderDelivery.EACH}


def test_signed_out_people_are_sent_to_sign_in(client, db):
    response = client.get(URL)
    assert response.status_code == 302
    assert reverse("login") in response.url
