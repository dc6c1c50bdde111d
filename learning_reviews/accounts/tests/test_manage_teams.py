"""The teams page: add, rename, archive and restore."""

import pytest
from django.urls import reverse

from learning_reviews.accounts.models import Team
from learning_reviews.audit.models import AuditEvent


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    return client


def test_the_list_shows_the_organisations_teams_and_an_add_form(admin_client, people):
    page = admin_client.get(reverse("manage:team_list")).content.decode()
    assert page.count("<h1") == 1 and "<title>Teams – Manage" in page
    assert "Central Locality Team" in page and "Fostering Team" in page
    assert "East Team" not in page  # another organisation's
    assert reverse("manage:team_archive", args=[people.team.pk]) in page
    assert 'action="' + reverse("manage:team_add") + '"' in page


def test_the_list_takes_constant_queries(admin_client, people, django_assert_max_num_queries):
    for n in range(30):
        Team.objects.create(organisation=people.org, name=f"Team {n}")
    with django_assert_max_num_queries(6):
        admin_client.get(reverse("manage:team_list"))


def test_adding_a_team(admin_client, people):
    response = admin_client.post(reverse("manage:team_add"), {"name": "North Team"})
    assert response.status_code == 302 and response["Location"] == reverse("manage:team_list")
    team = Team.objects.get(name="North Team")
    assert team.organisation == people.org
    assert AuditEvent.objects.filter(action="team.created", record_id=str(team.pk)).exists()
    assert "“North Team” has been added" in admin_client.get(response["Location"]).content.decode()


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("", "Enter the team's name"),
        ("   ", "Enter the team's name"),
        ("x" * 10_000, "200 characters or fewer"),
        ("Central Locality Team", "There is already a team called"),
        ("FOSTERING team", "There is already a team called"),
    ],
)
def test_a_team_name_that_cannot_be_used_is_explained_beside_the_field(
    admin_client, people, name, message
):
    response = admin_client.post(reverse("manage:team_add"), {"name": name})
    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors["name"])
    page = response.content.decode()
    assert "govuk-error-summary" in page and 'id="id_name-error"' in page
    if name.strip() and len(name) < 100:
        assert f'value="{name}"' in page
    assert Team.objects.filter(organisation=people.org).count() == 2


def test_renaming_a_team(admin_client, people):
    url = reverse("manage:team_rename", args=[people.team.pk])
    assert 'value="Central Locality Team"' in admin_client.get(url).content.decode()
    response = admin_client.post(url, {"name": "Central Team", "version": 1})
    assert response.status_code == 302
    people.team.refresh_from_db()
    assert people.team.name == "Central Team"
    assert AuditEvent.objects.filter(action="team.renamed").exists()


@pytest.mark.parametrize("name", ["", "x" * 10_000, "Fostering Team"])
def test_renaming_to_a_name_that_cannot_be_used_keeps_the_old_one(admin_client, people, name):
    url = reverse("manage:team_rename", args=[people.team.pk])
    response = admin_client.post(url, {"name": name, "version": 1})
    assert response.status_code == 200
    assert "name" in response.context["form"].errors
    assert "govuk-error-summary" in response.content.decode()
    people.team.refresh_from_db()
    assert people.team.name == "Central Locality Team"


def test_archiving_keeps_the_team_but_hides_it_from_role_pickers(admin_client, people):
    response = admin_client.post(reverse("manage:team_archive", args=[people.other_team.pk]))
    assert response.status_code == 302
    people.other_team.refresh_from_db()
    assert people.other_team.archived
    assert people.other_worker.memberships.filter(team=people.other_team).exists()
    teams_page = admin_client.get(reverse("manage:team_list")).content.decode()
    assert "Archived" in teams_page
    assert reverse("manage:team_restore", args=[people.other_team.pk]) in teams_page
    detail = admin_client.get(reverse("manage:user_detail", args=[people.worker.pk]))
    assert people.other_team not in detail.context["form"].fields["team"].queryset


def test_archiving_twice_explains_instead_of_failing(admin_client, people):
    url = reverse("manage:team_archive", args=[people.team.pk])
    admin_client.post(url)
    response = admin_client.post(url, follow=True)
    assert response.status_code == 200
    assert "already archived" in response.content.decode()


def test_restoring_an_archived_team(admin_client, people):
    admin_client.post(reverse("manage:team_archive", args=[people.team.pk]))
    admin_client.post(reverse("manage:team_restore", args=[people.team.pk]))
    people.team.refresh_from_db()
    assert not people.team.archived
    assert AuditEvent.objects.filter(action="team.restored").exists()
