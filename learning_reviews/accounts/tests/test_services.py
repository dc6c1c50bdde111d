"""The administrator's services: permission-checked, audited, and refusing bad input."""

import pytest
from django.urls import reverse

from conftest import PASSWORD, make_user
from learning_reviews.accounts import services
from learning_reviews.accounts.models import Membership, Role, Team, User
from learning_reviews.accounts.services import Invalid
from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import NotAllowed, WrongState

NEW_PASSWORD = "a-long-fictional-passphrase-42"


def audited(action: str, record) -> bool:
    return AuditEvent.objects.filter(
        action=action, record_type=record._meta.label_lower, record_id=str(record.pk)
    ).exists()


def new_user(people, **overrides) -> User:
    data = {
        "username": "rhona",
        "full_name": "Rhona Fictional",
        "email": "rhona@example.org",
        "job_title": "Senior Practitioner",
        **overrides,
    }
    return services.user_create(by=people.admin, **data)


# Every change is audited


def test_team_create_adds_an_audited_team_to_the_administrators_organisation(people):
    team = services.team_create(by=people.admin, name="  North Team  ")
    assert (team.organisation, team.name) == (people.org, "North Team")
    assert audited("team.created", team)


def test_team_rename_is_audited_with_old_and_new_name(people):
    services.team_rename(by=people.admin, team=people.team, name="Central Team", version=1)
    people.team.refresh_from_db()
    assert people.team.name == "Central Team"
    event = AuditEvent.objects.get(action="team.renamed")
    assert event.changes == {"name": ["Central Locality Team", "Central Team"]}


def test_team_archive_and_restore_are_audited(people):
    services.team_archive(by=people.admin, team=people.team)
    people.team.refresh_from_db()
    assert people.team.archived
    services.team_restore(by=people.admin, team=people.team)
    people.team.refresh_from_db()
    assert not people.team.archived
    assert audited("team.archived", people.team) and audited("team.restored", people.team)


def test_archiving_a_team_twice_is_refused(people):
    services.team_archive(by=people.admin, team=people.team)
    with pytest.raises(WrongState):
        services.team_archive(by=people.admin, team=people.team)


def test_user_create_adds_an_audited_user_with_no_password_until_they_choose_one(people):
    user = new_user(people)
    assert user.organisation == people.org
    assert not user.has_usable_password()
    assert audited("user.created", user)


def test_user_update_records_what_changed(people):
    services.user_update(
        by=people.admin,
        user=people.worker,
        full_name="Megan Cross-Smith",
        email="megan@example.org",
        job_title="Social Worker",
        version=1,
    )
    people.worker.refresh_from_db()
    assert people.worker.full_name == "Megan Cross-Smith"
    event = AuditEvent.objects.get(action="user.updated")
    assert event.changes["full_name"] == ["Megan Cross", "Megan Cross-Smith"]


def test_user_update_without_changes_writes_no_audit_event(people):
    services.user_update(
        by=people.admin,
        user=people.worker,
        full_name="Megan Cross",
        email="megan@example.org",
        job_title="",
        version=1,
    )
    assert not AuditEvent.objects.filter(action="user.updated").exists()


def test_deactivate_and_reactivate_are_audited(people):
    services.user_deactivate(by=people.admin, user=people.worker)
    people.worker.refresh_from_db()
    assert not people.worker.is_active
    services.user_reactivate(by=people.admin, user=people.worker)
    people.worker.refresh_from_db()
    assert people.worker.is_active
    assert audited("user.deactivated", people.worker)
    assert audited("user.reactivated", people.worker)


def test_membership_add_and_remove_are_audited_on_the_person(people):
    membership = services.membership_add(
        by=people.admin, user=people.worker, role=Role.LINE_MANAGER, team=people.other_team
    )
    assert people.worker.has_role(Role.LINE_MANAGER, people.other_team.pk)
    services.membership_remove(by=people.admin, membership=membership)
    assert not Membership.objects.filter(pk=membership.pk).exists()
    assert audited("user.role_added", people.worker)
    assert audited("user.role_removed", people.worker)


def test_organisation_settings_are_audited_and_change_role_titles(people):
    services.organisation_update_settings(
        by=people.admin,
        improvement_group_name="Practice Improvement Board",
        improvement_group_short_name="PIB",
        role_titles={Role.WORKER: "Social worker", Role.SERVICE_MANAGER: "  "},
        version=1,
    )
    org = people.org.__class__.objects.get(pk=people.org.pk)
    assert org.title_for(Role.WORKER) == "Social worker"
    assert org.title_for(Role.SERVICE_MANAGER) == "Service Manager"  # blank: protocol's title
    assert org.title_for(Role.CFCIG_CHAIR) == "PIB chair"
    assert org.role_titles == {"worker": "Social worker"}
    assert audited("organisation.settings_updated", org)


# Only an administrator of the same organisation


NOT_ADMINISTRATORS = [
    "worker",
    "line_manager",
    "service_manager",
    "cfcig_chair",
    "cfcig_member",
    "lead_reviewer",
    "auditor",
    "outsider",
]


@pytest.mark.parametrize("persona", NOT_ADMINISTRATORS)
def test_only_administrators_can_create_teams_or_users(people, persona):
    actor = getattr(people, persona)
    with pytest.raises(NotAllowed):
        services.team_create(by=actor, name="North Team")
    with pytest.raises(NotAllowed):
        services.user_create(
            by=actor,
            username="rhona",
            full_name="Rhona Fictional",
            email="rhona@example.org",
            job_title="",
        )
    assert not AuditEvent.objects.exists()


@pytest.fixture
def outsider_admin(people):
    return make_user(people.outsider_org, "oona", "Oona Elsewhere", (Role.ADMINISTRATOR, None))


def test_an_administrator_of_another_organisation_cannot_change_this_ones_records(
    people, outsider_admin
):
    membership = people.worker.memberships.get()
    attempts = [
        lambda: services.team_rename(
            by=outsider_admin, team=people.team, name="Taken over", version=1
        ),
        lambda: services.team_archive(by=outsider_admin, team=people.team),
        lambda: services.user_update(
            by=outsider_admin,
            user=people.worker,
            full_name="X",
            email="x@example.org",
            job_title="",
            version=1,
        ),
        lambda: services.user_deactivate(by=outsider_admin, user=people.worker),
        lambda: services.membership_add(
            by=outsider_admin, user=people.worker, role=Role.AUDITOR, team=None
        ),
        lambda: services.membership_remove(by=outsider_admin, membership=membership),
    ]
    for attempt in attempts:
        with pytest.raises(NotAllowed):
            attempt()
    assert not AuditEvent.objects.exists()


def test_a_deactivated_administrator_can_change_nothing(people):
    User.objects.filter(pk=people.admin.pk).update(is_active=False)
    people.admin.refresh_from_db()
    with pytest.raises(NotAllowed):
        services.team_create(by=people.admin, name="North Team")


def test_an_administrator_cannot_deactivate_themselves(people):
    with pytest.raises(NotAllowed):
        services.user_deactivate(by=people.admin, user=people.admin)
    people.admin.refresh_from_db()
    assert people.admin.is_active


def test_an_administrator_cannot_remove_their_own_administrator_role(people):
    membership = people.admin.memberships.get(role=Role.ADMINISTRATOR)
    with pytest.raises(NotAllowed):
        services.membership_remove(by=people.admin, membership=membership)
    assert Membership.objects.filter(pk=membership.pk).exists()


def test_an_administrator_can_remove_another_administrators_role(people):
    other = make_user(people.org, "fiona", "Fiona Admin", (Role.ADMINISTRATOR, None))
    services.membership_remove(by=people.admin, membership=other.memberships.get())
    assert not other.memberships.exists()


@pytest.mark.parametrize("role", [Role.CFCIG_CHAIR, Role.AUDITOR, Role.ADMINISTRATOR])
def test_nobody_gives_themselves_a_role(people, role):
    other = make_user(people.org, "fiona", "Fiona Admin", (Role.ADMINISTRATOR, None))
    for by in (people.admin, other):
        with pytest.raises(NotAllowed, match="cannot give yourself a role"):
            services.membership_add(by=by, user=by, role=role, team=None)
        assert not by.memberships.filter(role=role).exclude(role=Role.ADMINISTRATOR).exists()
    assert not AuditEvent.objects.filter(action="user.role_added").exists()


def test_nobody_removes_their_own_roles_but_another_administrator_can(people):
    extra = make_user(people.org, "fiona", "Fiona Admin", (Role.ADMINISTRATOR, None))
    chair = Membership.objects.create(
        organisation=people.org, user=people.admin, role=Role.CFCIG_CHAIR
    )
    with pytest.raises(NotAllowed, match="remove one of your own"):
        services.membership_remove(by=people.admin, membership=chair)
    assert Membership.objects.filter(pk=chair.pk).exists()
    services.membership_remove(by=extra, membership=chair)
    assert not Membership.objects.filter(pk=chair.pk).exists()


# Bad input: refused with the field it concerns, nothing saved


@pytest.mark.parametrize("name", ["", "   ", "x" * 10_000])
def test_team_name_must_be_given_and_not_too_long(people, name):
    with pytest.raises(Invalid) as error:
        services.team_create(by=people.admin, name=name)
    assert error.value.field == "name"
    assert Team.objects.filter(organisation=people.org).count() == 2


def test_team_names_are_unique_in_an_organisation_whatever_the_case(people):
    with pytest.raises(Invalid) as error:
        services.team_create(by=people.admin, name="central locality TEAM")
    assert error.value.field == "name"
    with pytest.raises(Invalid):
        services.team_rename(
            by=people.admin, team=people.other_team, name="Central Locality Team", version=1
        )


def test_another_organisation_may_use_the_same_team_name(people):
    outsider_admin = make_user(people.outsider_org, "oona", "Oona", (Role.ADMINISTRATOR, None))
    team = services.team_create(by=outsider_admin, name="Central Locality Team")
    assert team.organisation == people.outsider_org


def test_an_archived_team_still_holds_its_name(people):
    services.team_archive(by=people.admin, team=people.other_team)
    with pytest.raises(Invalid, match="archived"):
        services.team_create(by=people.admin, name="Fostering Team")


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"username": "megan"}, "username"),  # taken by the worker
        ({"username": "MEGAN"}, "username"),
        ({"username": "olly"}, "username"),  # taken in another organisation: names are global
        ({"username": "has space"}, "username"),
        ({"username": ""}, "username"),
        ({"full_name": ""}, "full_name"),
        ({"full_name": "x" * 10_000}, "full_name"),
        ({"email": "not-an-email"}, "email"),
    ],
)
def test_user_create_refuses_bad_input_beside_the_field(people, overrides, field):
    count = User.objects.count()
    with pytest.raises(Invalid) as error:
        new_user(people, **overrides)
    assert error.value.field == field
    assert error.value.messages
    assert User.objects.count() == count


def test_a_worker_or_line_manager_role_needs_a_team(people):
    with pytest.raises(Invalid) as error:
        services.membership_add(by=people.admin, user=people.auditor, role=Role.WORKER, team=None)
    assert error.value.field == "team"


def test_other_roles_have_no_team(people):
    with pytest.raises(Invalid) as error:
        services.membership_add(
            by=people.admin, user=people.worker, role=Role.SERVICE_MANAGER, team=people.team
        )
    assert error.value.field == "team"


def test_a_team_of_another_organisation_cannot_be_used(people):
    elsewhere = Team.objects.get(organisation=people.outsider_org)
    with pytest.raises(Invalid):
        services.membership_add(
            by=people.admin, user=people.auditor, role=Role.WORKER, team=elsewhere
        )
    assert not people.auditor.memberships.filter(role=Role.WORKER).exists()


def test_an_archived_team_cannot_be_given_new_roles(people):
    services.team_archive(by=people.admin, team=people.other_team)
    with pytest.raises(Invalid):
        services.membership_add(
            by=people.admin, user=people.worker, role=Role.WORKER, team=people.other_team
        )


def test_the_same_role_cannot_be_given_twice(people):
    with pytest.raises(Invalid) as error:
        services.membership_add(by=people.admin, user=people.auditor, role=Role.AUDITOR, team=None)
    assert error.value.field == "role"
    assert people.auditor.memberships.count() == 1


def test_an_unknown_role_is_refused(people):
    with pytest.raises(Invalid):
        services.membership_add(by=people.admin, user=people.worker, role="king", team=None)


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"improvement_group_name": ""}, "improvement_group_name"),
        ({"improvement_group_short_name": "x" * 31}, "improvement_group_short_name"),
        ({"role_titles": {"worker": "x" * 10_000}}, "title_worker"),
    ],
)
def test_settings_refuse_bad_input(people, overrides, field):
    data = {
        "improvement_group_name": "Board",
        "improvement_group_short_name": "B",
        "role_titles": {},
        **overrides,
    }
    with pytest.raises(Invalid) as error:
        services.organisation_update_settings(by=people.admin, **data, version=1)
    assert error.value.field == field
    people.org.refresh_from_db()
    assert people.org.improvement_group_short_name == "CFCIG"


def test_a_deactivated_person_cannot_sign_in(people, client):
    services.user_deactivate(by=people.admin, user=people.worker)
    response = client.post(reverse("login"), {"username": "megan", "password": PASSWORD})
    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
