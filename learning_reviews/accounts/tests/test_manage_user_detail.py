"""One person's page: their details, roles, and whether they can sign in."""

import pytest
from django.urls import reverse

from learning_reviews.accounts import services
from learning_reviews.accounts.models import Membership, Role, Team, User
from learning_reviews.audit.models import AuditEvent


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    return client


def detail(people, user=None) -> str:
    return reverse("manage:user_detail", args=[(user or people.worker).pk])


def test_the_page_shows_details_roles_and_the_forms(admin_client, people):
    page = admin_client.get(detail(people)).content.decode()
    assert page.count("<h1") == 1 and "<title>Megan Cross – Manage" in page
    assert "govuk-summary-list" in page and "megan@example.org" in page
    assert "Central Locality Team" in page
    assert (
        reverse("manage:role_remove", args=[people.worker.pk, people.worker.memberships.get().pk])
        in page
    )
    assert 'name="role"' in page and 'name="team"' in page
    assert reverse("manage:user_deactivate", args=[people.worker.pk]) in page


def test_the_page_of_a_person_with_many_roles_takes_constant_queries(
    admin_client, people, django_assert_max_num_queries
):
    for role in (Role.AUDITOR, Role.LEAD_REVIEWER, Role.CFCIG_MEMBER, Role.SERVICE_MANAGER):
        Membership.objects.create(organisation=people.org, user=people.worker, role=role)
    with django_assert_max_num_queries(8):
        admin_client.get(detail(people))


def test_archived_teams_are_not_offered_for_new_roles(admin_client, people):
    people.other_team.archived = True
    people.other_team.save()
    page = admin_client.get(detail(people)).content.decode()
    assert "Fostering Team" not in page


def test_an_administrator_does_not_get_buttons_to_lock_themselves_out(admin_client, people):
    page = admin_client.get(detail(people, people.admin)).content.decode()
    assert reverse("manage:user_deactivate", args=[people.admin.pk]) not in page
    own_role = people.admin.memberships.get().pk
    assert reverse("manage:role_remove", args=[people.admin.pk, own_role]) not in page


# Changing details


def test_changing_details_saves_and_returns_to_the_page(admin_client, people):
    url = reverse("manage:user_edit", args=[people.worker.pk])
    assert 'value="Megan Cross"' in admin_client.get(url).content.decode()
    response = admin_client.post(
        url,
        {
            "full_name": "Megan Cross-Smith",
            "email": "megan.cs@example.org",
            "job_title": "",
            "version": 1,
        },
    )
    assert response.status_code == 302 and response["Location"] == detail(people)
    people.worker.refresh_from_db()
    assert people.worker.email == "megan.cs@example.org"
    assert AuditEvent.objects.filter(action="user.updated").exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"full_name": "", "email": "megan@example.org"}, "full_name"),
        ({"full_name": "x" * 10_000, "email": "megan@example.org"}, "full_name"),
        ({"full_name": "Megan Cross", "email": "nope"}, "email"),
        (
            {"full_name": "Megan Cross", "email": "megan@example.org", "job_title": "x" * 10_000},
            "job_title",
        ),
    ],
)
def test_bad_details_are_shown_beside_the_field(admin_client, people, data, field):
    url = reverse("manage:user_edit", args=[people.worker.pk])
    response = admin_client.post(url, data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    page = response.content.decode()
    assert "govuk-error-summary" in page and f'id="id_{field}-error"' in page
    people.worker.refresh_from_db()
    assert people.worker.full_name == "Megan Cross"


# Roles


def test_giving_a_role_with_a_team(admin_client, people):
    response = admin_client.post(
        reverse("manage:role_add", args=[people.worker.pk]),
        {"role": "line_manager", "team": people.other_team.pk},
    )
    assert response.status_code == 302
    assert Membership.objects.filter(
        user=people.worker, role=Role.LINE_MANAGER, team=people.other_team
    ).exists()
    assert "now has the role “Line manager”" in admin_client.get(detail(people)).content.decode()


def test_giving_a_role_without_a_team(admin_client, people):
    admin_client.post(reverse("manage:role_add", args=[people.worker.pk]), {"role": "auditor"})
    assert people.worker.memberships.filter(role=Role.AUDITOR, team=None).exists()


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"role": "worker"}, "team"),  # a worker needs a team
        ({"role": "auditor", "team": "TEAM"}, "team"),  # an auditor has none
        ({"role": "worker", "team": "CENTRAL"}, "role"),  # she already has it
        ({"role": ""}, "role"),
        ({"role": "king"}, "role"),
        ({"role": "worker", "team": "ELSEWHERE"}, "team"),  # another organisation's team
    ],
)
def test_a_role_that_cannot_be_given_is_explained_beside_the_field(
    admin_client, people, data, field
):
    teams = {
        "TEAM": people.other_team.pk,
        "CENTRAL": people.team.pk,
        "ELSEWHERE": Team.objects.get(organisation=people.outsider_org).pk,
    }
    data = {k: teams.get(v, v) for k, v in data.items()}
    response = admin_client.post(reverse("manage:role_add", args=[people.worker.pk]), data)
    assert response.status_code == 200
    assert field in response.context["form"].errors
    page = response.content.decode()
    assert "govuk-error-summary" in page and page.count("<h1") == 1
    assert "<title>Error: " in page.split("</title>")[0]
    assert people.worker.memberships.count() == 1


def test_removing_a_role(admin_client, people):
    membership = people.worker.memberships.get()
    url = reverse("manage:role_remove", args=[people.worker.pk, membership.pk])
    response = admin_client.post(url)
    assert response.status_code == 302
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert "no longer has the role “Worker”" in admin_client.get(detail(people)).content.decode()


def test_removing_a_role_twice_gives_404(admin_client, people):
    membership = people.worker.memberships.get()
    url = reverse("manage:role_remove", args=[people.worker.pk, membership.pk])
    admin_client.post(url)
    assert admin_client.post(url).status_code == 404


def test_removing_your_own_administrator_role_is_refused_with_a_message(admin_client, people):
    membership = people.admin.memberships.get()
    response = admin_client.post(
        reverse("manage:role_remove", args=[people.admin.pk, membership.pk]), follow=True
    )
    assert response.status_code == 200
    assert "You cannot give yourself a role or remove one of your own" in (
        response.content.decode()
    )
    assert Membership.objects.filter(pk=membership.pk).exists()


# Deactivating


def test_deactivating_and_reactivating(admin_client, people):
    admin_client.post(reverse("manage:user_deactivate", args=[people.worker.pk]))
    assert not User.objects.get(pk=people.worker.pk).is_active
    admin_client.post(reverse("manage:user_reactivate", args=[people.worker.pk]))
    assert User.objects.get(pk=people.worker.pk).is_active


def test_deactivating_twice_explains_instead_of_failing(admin_client, people):
    url = reverse("manage:user_deactivate", args=[people.worker.pk])
    admin_client.post(url)
    response = admin_client.post(url, follow=True)
    assert response.status_code == 200
    assert "already deactivated" in response.content.decode()
    assert AuditEvent.objects.filter(action="user.deactivated").count() == 1


def test_deactivating_yourself_is_refused_with_a_message(admin_client, people):
    response = admin_client.post(
        reverse("manage:user_deactivate", args=[people.admin.pk]), follow=True
    )
    assert "You cannot deactivate your own account" in response.content.decode()
    assert User.objects.get(pk=people.admin.pk).is_active


def test_a_deactivated_persons_session_ends(client, people):
    client.force_login(people.worker)
    services.user_deactivate(by=people.admin, user=people.worker)
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))
