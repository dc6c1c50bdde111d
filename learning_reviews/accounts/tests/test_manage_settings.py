"""The organisation's settings: the improvement group's names and its titles for roles."""

import pytest
from django.urls import reverse

from learning_reviews.accounts.models import Organisation, Role
from learning_reviews.audit.models import AuditEvent


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    return client


def data(**overrides) -> dict[str, str]:
    return {
        "improvement_group_name": "Children and Families Continuous Improvement Group",
        "improvement_group_short_name": "CFCIG",
        "session_idle_minutes": "30",
        "version": "1",
        **overrides,
    }


def test_the_page_has_one_box_per_role_with_the_protocols_title_as_hint(admin_client):
    page = admin_client.get(reverse("manage:settings")).content.decode()
    assert page.count("<h1") == 1 and "<title>Settings – Manage" in page
    for role in Role.values:
        assert f'name="title_{role}"' in page
    assert "Leave blank to use “CFCIG chair”." in page
    assert "Leave blank to use “Service Manager”." in page


def test_saving_titles_changes_what_the_organisation_calls_each_role(admin_client, people):
    response = admin_client.post(
        reverse("manage:settings"),
        data(
            improvement_group_name="Practice Improvement Board",
            improvement_group_short_name="PIB",
            title_worker="Practitioner",
            title_line_manager="Team leader",
            title_service_manager="",
        ),
    )
    assert response.status_code == 302
    org = Organisation.objects.get(pk=people.org.pk)
    assert org.title_for(Role.WORKER) == "Practitioner"
    assert org.title_for(Role.LINE_MANAGER) == "Team leader"
    assert org.title_for(Role.SERVICE_MANAGER) == "Service Manager"
    assert org.title_for(Role.CFCIG_MEMBER) == "PIB member"
    assert AuditEvent.objects.filter(action="organisation.settings_updated").exists()
    page = admin_client.get(reverse("manage:settings")).content.decode()
    assert 'value="Practitioner"' in page and "Leave blank to use “PIB chair”." in page
    assert "settings have been saved" in page


def test_clearing_a_title_goes_back_to_the_protocols(admin_client, people):
    admin_client.post(reverse("manage:settings"), data(title_worker="Practitioner"))
    admin_client.post(reverse("manage:settings"), data(title_worker="", version="2"))
    assert Organisation.objects.get(pk=people.org.pk).title_for(Role.WORKER) == "Worker"


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"improvement_group_name": ""}, "improvement_group_name"),
        ({"improvement_group_name": "x" * 10_000}, "improvement_group_name"),
        ({"improvement_group_short_name": "x" * 31}, "improvement_group_short_name"),
        ({"title_worker": "x" * 10_000}, "title_worker"),
        ({"session_idle_minutes": "2"}, "session_idle_minutes"),
        ({"session_idle_minutes": "99999999999999999999"}, "session_idle_minutes"),
        ({"session_idle_minutes": "half an hour"}, "session_idle_minutes"),
    ],
)
def test_bad_settings_are_explained_beside_the_field_and_nothing_is_saved(
    admin_client, people, overrides, field
):
    response = admin_client.post(
        reverse("manage:settings"), data(title_line_manager="Team leader", **overrides)
    )
    assert response.status_code == 200
    assert field in response.context["form"].errors
    page = response.content.decode()
    assert "govuk-error-summary" in page and f'id="id_{field}-error"' in page
    assert 'value="Team leader"' in page
    assert Organisation.objects.get(pk=people.org.pk).role_titles == {}


def test_the_idle_timeout_is_saved_and_audited(admin_client, people):
    response = admin_client.post(reverse("manage:settings"), data(session_idle_minutes="15"))
    assert response.status_code == 302
    assert Organisation.objects.get(pk=people.org.pk).session_idle_minutes == 15
    event = AuditEvent.objects.get(action="organisation.settings_updated")
    assert event.changes["session_idle_minutes"] == [30, 15]
