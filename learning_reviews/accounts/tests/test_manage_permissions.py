"""Who may open the management pages: the organisation's administrators, and nobody else.

Everyone else gets 404 (the pages are not advertised), on every page and every action, and an
administrator of another organisation gets 404 on this organisation's people and teams.
"""

import pytest
from django.urls import reverse

from conftest import make_user
from learning_reviews.accounts.models import Membership, Role, Team, User
from learning_reviews.audit.models import AuditEvent

NOT_ADMINISTRATORS = [
    "worker",
    "line_manager",
    "service_manager",
    "cfcig_chair",
    "cfcig_member",
    "lead_reviewer",
    "auditor",
    "other_worker",
    "other_line_manager",
    "outsider",
]


def record_pages(people) -> list[str]:
    """Pages about one person or team of `people.org`."""
    return [
        reverse("manage:user_detail", args=[people.worker.pk]),
        reverse("manage:user_edit", args=[people.worker.pk]),
        reverse("manage:team_rename", args=[people.team.pk]),
    ]


def pages(people) -> list[str]:
    return [
        reverse("manage:home"),
        reverse("manage:user_list"),
        reverse("manage:user_add"),
        reverse("manage:team_list"),
        reverse("manage:settings"),
        *record_pages(people),
    ]


def record_actions(people) -> list[tuple[str, dict]]:
    """Changes to one person or team of `people.org`."""
    worker, team = people.worker.pk, people.team.pk
    membership = people.worker.memberships.get().pk
    return [
        (reverse("manage:user_edit", args=[worker]), {"full_name": "X", "email": "x@example.org"}),
        (reverse("manage:user_deactivate", args=[worker]), {}),
        (reverse("manage:user_reactivate", args=[worker]), {}),
        (reverse("manage:role_add", args=[worker]), {"role": "auditor"}),
        (reverse("manage:role_remove", args=[worker, membership]), {}),
        (reverse("manage:team_rename", args=[team]), {"name": "Taken Over"}),
        (reverse("manage:team_archive", args=[team]), {}),
        (reverse("manage:team_restore", args=[team]), {}),
    ]


def actions(people) -> list[tuple[str, dict]]:
    return [
        (
            reverse("manage:user_add"),
            {
                "username": "rhona",
                "full_name": "Rhona",
                "email": "r@example.org",
                "password": "x" * 20,
                "password_again": "x" * 20,
            },
        ),
        (reverse("manage:team_add"), {"name": "North Team"}),
        (
            reverse("manage:settings"),
            {"improvement_group_name": "X", "improvement_group_short_name": "X"},
        ),
        *record_actions(people),
    ]


def test_an_administrator_can_open_every_page(client, people):
    client.force_login(people.admin)
    for url in pages(people):
        assert client.get(url).status_code == 200, url


@pytest.mark.parametrize("persona", NOT_ADMINISTRATORS)
def test_anyone_else_gets_404_on_every_page(client, people, persona):
    client.force_login(getattr(people, persona))
    for url in pages(people):
        assert client.get(url).status_code == 404, url


@pytest.mark.parametrize("persona", NOT_ADMINISTRATORS)
def test_anyone_else_gets_404_on_every_action_and_changes_nothing(client, people, persona):
    client.force_login(getattr(people, persona))
    for url, data in actions(people):
        assert client.post(url, data).status_code == 404, url
    assert not AuditEvent.objects.exists()
    assert Membership.objects.filter(user=people.worker).count() == 1
    assert not Team.objects.filter(name="North Team").exists()


def test_signed_out_visitors_are_sent_to_sign_in(client, people):
    response = client.get(reverse("manage:user_list"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.fixture
def outsider_admin(people) -> User:
    return make_user(people.outsider_org, "oona", "Oona Elsewhere", (Role.ADMINISTRATOR, None))


def test_an_administrator_of_another_organisation_gets_404_on_this_ones_records(
    client, people, outsider_admin
):
    client.force_login(outsider_admin)
    for url in record_pages(people):
        assert client.get(url).status_code == 404, url
    for url, data in record_actions(people):
        assert client.post(url, data).status_code == 404, url
    assert not AuditEvent.objects.exists()


def test_an_administrator_of_another_organisation_sees_only_their_own_people_and_teams(
    client, people, outsider_admin
):
    client.force_login(outsider_admin)
    users = client.get(reverse("manage:user_list")).content.decode()
    teams = client.get(reverse("manage:team_list")).content.decode()
    assert "Oona Elsewhere" in users and "Olly Outsider" in users
    assert "Megan Cross" not in users and "Alex Morgan" not in users
    assert "East Team" in teams and "Central Locality Team" not in teams


def test_a_role_of_another_person_cannot_be_removed_through_someone_elses_page(client, people):
    client.force_login(people.admin)
    membership = people.line_manager.memberships.get()
    url = reverse("manage:role_remove", args=[people.worker.pk, membership.pk])
    assert client.post(url).status_code == 404
    assert Membership.objects.filter(pk=membership.pk).exists()


@pytest.mark.parametrize("name", ["user_deactivate", "role_add", "team_archive"])
def test_actions_refuse_get(client, people, name):
    client.force_login(people.admin)
    arg = people.team.pk if name.startswith("team") else people.worker.pk
    assert client.get(reverse(f"manage:{name}", args=[arg])).status_code == 405


def test_pages_with_one_purpose_refuse_post(client, people):
    client.force_login(people.admin)
    assert client.post(reverse("manage:user_list")).status_code == 405
    assert client.post(reverse("manage:user_detail", args=[people.worker.pk])).status_code == 405
