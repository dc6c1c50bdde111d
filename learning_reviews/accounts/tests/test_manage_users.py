"""The people list and adding a person."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import make_user
from learning_reviews.accounts import services
from learning_reviews.accounts.models import Role, User
from learning_reviews.audit.models import AuditEvent


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    return client


def add_data(**overrides) -> dict[str, str]:
    return {
        "full_name": "Rhona Fictional",
        "username": "rhona",
        "email": "rhona@example.org",
        "job_title": "Senior Practitioner",
        **overrides,
    }


def test_the_list_shows_each_persons_roles_in_the_organisations_words(admin_client, people):
    services.organisation_update_settings(
        by=people.admin,
        improvement_group_name="Practice Improvement Board",
        improvement_group_short_name="PIB",
        role_titles={Role.WORKER: "Practitioner"},
        version=1,
    )
    page = admin_client.get(reverse("manage:user_list")).content.decode()
    assert "<h1" in page and page.count("<h1") == 1
    assert "<title>People – Manage" in page
    assert "Practitioner" in page and "PIB chair" in page
    assert "Central Locality Team" in page and "megan" in page


def test_the_list_shows_who_is_deactivated(admin_client, people):
    services.user_deactivate(by=people.admin, user=people.worker)
    page = admin_client.get(reverse("manage:user_list")).content.decode()
    assert "Deactivated" in page


def make_people(people, count: int, prefix: str) -> None:
    for n in range(count):
        make_user(
            people.org,
            f"{prefix}{n}",
            f"{prefix.title()} {n}",
            (Role.WORKER, people.team),
            (Role.CFCIG_MEMBER, None),
        )


def test_the_list_takes_as_many_queries_for_30_people_as_for_5(admin_client, people):
    User.objects.filter(organisation=people.org).exclude(pk=people.admin.pk).delete()
    make_people(people, 4, "few")  # with the administrator, 5 people
    with CaptureQueriesContext(connection) as five:
        response = admin_client.get(reverse("manage:user_list"))
    assert len(response.context["rows"]) == 5
    make_people(people, 25, "many")
    with CaptureQueriesContext(connection) as thirty:
        response = admin_client.get(reverse("manage:user_list"))
    assert len(response.context["rows"]) == 30
    assert len(thirty.captured_queries) == len(five.captured_queries)


def test_the_list_stays_within_a_fixed_query_budget(
    admin_client, people, django_assert_max_num_queries
):
    make_people(people, 30, "person")
    with django_assert_max_num_queries(6):
        admin_client.get(reverse("manage:user_list"))


def test_adding_a_person_saves_them_in_this_organisation_and_opens_their_page(admin_client, people):
    response = admin_client.post(reverse("manage:user_add"), add_data())
    user = User.objects.get(username="rhona")
    assert response.status_code == 302
    assert response["Location"] == reverse("manage:user_detail", args=[user.pk])
    assert user.organisation == people.org and not user.has_usable_password()
    assert AuditEvent.objects.filter(action="user.created", record_id=str(user.pk)).exists()
    follow = admin_client.get(response["Location"]).content.decode()
    assert "Rhona Fictional has been added" in follow


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"full_name": ""}, "full_name", "Enter their full name"),
        ({"full_name": "x" * 10_000}, "full_name", "200 characters or fewer"),
        ({"username": "megan"}, "username", "already taken"),
        ({"username": "olly"}, "username", "already taken"),
        ({"email": "nope"}, "email", "correct format"),
    ],
)
def test_bad_input_is_shown_beside_the_field_and_keeps_what_was_entered(
    admin_client, people, overrides, field, message
):
    count = User.objects.count()
    response = admin_client.post(reverse("manage:user_add"), add_data(**overrides))
    assert response.status_code == 200
    form = response.context["form"]
    assert message in " ".join(form.errors[field])
    page = response.content.decode()
    assert "govuk-error-summary" in page and f'id="id_{field}-error"' in page
    assert "<title>Error: Add a person – Manage" in page
    if field != "full_name":
        assert 'value="Rhona Fictional"' in page
    assert User.objects.count() == count


def test_the_administrator_is_not_asked_for_a_password(admin_client):
    page = admin_client.get(reverse("manage:user_add")).content.decode()
    assert 'type="password"' not in page
    assert "e-mail them a link to choose their own password" in page
