"""The retention schedule under Manage: administrators see the defaults and change them,
validated and audited; everyone else gets 404."""

import re
from html import escape

import pytest
from django.urls import reverse

from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import NotAllowed
from learning_reviews.retention import services
from learning_reviews.retention.models import RetentionPeriod
from learning_reviews.retention.schedule import RULES

URL = reverse("retention:schedule")


def data(**overrides: str) -> dict[str, str]:
    return {**{rule.key: str(rule.default) for rule in RULES}, "version": "1", **overrides}


def test_an_administrator_sees_every_rule_with_its_default(client, people):
    client.force_login(people.admin)
    response = client.get(URL)
    assert response.status_code == 200
    for rule in RULES:
        assert escape(rule.label) in response.content.decode()
        assert response.context["form"][rule.key].value() == rule.default


def test_each_period_is_a_govuk_input_described_by_its_hint(client, people):
    client.force_login(people.admin)
    page = client.get(URL).content.decode()
    for rule in RULES:
        field = re.search(rf'<input[^>]*name="{rule.key}"[^>]*>', page)
        assert field is not None
        assert 'class="govuk-input govuk-input--width-4"' in field.group()
        assert f'aria-describedby="id_{rule.key}-hint"' in field.group()
        assert f'id="id_{rule.key}-hint"' in page


@pytest.mark.parametrize("who", ["worker", "auditor", "service_manager", "outsider"])
def test_anyone_but_an_administrator_gets_404(client, people, who):
    client.force_login(getattr(people, who))
    assert client.get(URL).status_code == 404
    assert client.post(URL, data(case_reviewed="1")).status_code == 404
    assert not RetentionPeriod.objects.exists()


def test_a_change_is_saved_and_audited_without_touching_the_other_organisation(client, people):
    client.force_login(people.admin)
    response = client.post(URL, data(case_reviewed="30"))
    assert response.status_code == 302
    assert list(RetentionPeriod.objects.values_list("organisation", "record_type", "period")) == [
        (people.org.pk, "case_reviewed", 30)
    ]
    event = AuditEvent.objects.get(action="organisation.retention_updated")
    assert (event.actor_id, event.changes) == (people.admin.pk, {"case_reviewed": [25, 30]})


def test_saving_the_same_periods_again_changes_and_audits_nothing(client, people):
    client.force_login(people.admin)
    client.post(URL, data())
    assert not RetentionPeriod.objects.exists()
    assert not AuditEvent.objects.filter(action="organisation.retention_updated").exists()


@pytest.mark.parametrize("value", ["0", "101", "ten", ""])
def test_a_period_out_of_bounds_is_refused_beside_its_field(client, people, value):
    client.force_login(people.admin)
    response = client.post(URL, data(case_reviewed=value))
    assert response.status_code == 200
    assert response.context["form"].errors["case_reviewed"]
    assert not RetentionPeriod.objects.exists()


def test_the_service_refuses_anyone_but_an_administrator(people):
    with pytest.raises(NotAllowed):
        services.retention_update(by=people.auditor, periods={r.key: 1 for r in RULES}, version=1)


def test_a_save_from_a_page_opened_before_anothers_save_is_a_conflict(client, people):
    client.force_login(people.admin)
    client.post(URL, data(case_reviewed="30"))
    response = client.post(URL, data(case_reviewed="40"))  # opened at version 1 too
    assert response.status_code == 200
    assert "Someone else changed the retention schedule" in response.content.decode()
    assert RetentionPeriod.objects.get(record_type="case_reviewed").period == 30
    assert response.context["form"]["version"].value() == "2"


def test_a_save_without_the_version_is_a_conflict(client, people):
    client.force_login(people.admin)
    posted = data(case_reviewed="30")
    del posted["version"]
    response = client.post(URL, posted)
    assert response.status_code == 200
    assert not RetentionPeriod.objects.exists()
