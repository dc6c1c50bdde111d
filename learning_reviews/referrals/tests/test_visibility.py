"""Who sees which referral (issue 2 §7), and what waits on whom ("my tasks")."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.http import Http404

from learning_reviews.accounts.models import Membership, Role, User
from learning_reviews.referrals.models import Status
from learning_reviews.referrals.pathway import WAITING_ON
from learning_reviews.referrals.selectors import get_referral_for, referrals_visible_to, tasks_for

GROUP = frozenset(
    {
        Status.AGREED,
        Status.REVIEW_COMMISSIONED,
        Status.NOT_PROCEEDING,
        Status.FURTHER_ACTION_COMPLETE,
    }
)
SENT = GROUP | {Status.WITH_SERVICE_MANAGER, Status.NOT_AGREED}
ALL = frozenset(Status)
NEVER: frozenset[Status] = frozenset()

# For each persona, the states in which they may see a referral of `people.worker`.
SEES = {
    "worker": ALL,
    "line_manager": ALL,
    "service_manager": SENT,
    "cfcig_chair": GROUP,
    "cfcig_member": GROUP,
    "admin": NEVER,  # manages people and settings; reads no case
    "auditor": ALL,
    # make_referral names people.lead_reviewer as the lead reviewer of a commissioned review.
    "lead_reviewer": frozenset({Status.REVIEW_COMMISSIONED}),
    "other_worker": NEVER,
    "other_line_manager": NEVER,
    "outsider": NEVER,
    "outsider_line_manager": NEVER,
}


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("persona", list(SEES))
def test_referral_is_visible_only_to_those_who_may_see_it(people, make_referral, persona, status):
    referral = make_referral(status)
    user = getattr(people, persona)

    if status in SEES[persona]:
        assert list(referrals_visible_to(user)) == [referral]
        assert get_referral_for(user, referral.pk) == referral
    else:
        assert list(referrals_visible_to(user)) == []
        with pytest.raises(Http404):
            get_referral_for(user, referral.pk)


def make_user(org, username: str, role: Role, team=None) -> User:
    user = User.objects.create_user(
        username=username,
        full_name=username.title(),
        organisation=org,
        email=f"{username}@example.org",
    )
    Membership.objects.create(organisation=org, user=user, role=role, team=team)
    return user


@pytest.mark.parametrize(
    "role",
    [Role.ADMINISTRATOR, Role.AUDITOR, Role.CFCIG_CHAIR, Role.CFCIG_MEMBER, Role.SERVICE_MANAGER],
)
def test_nobody_sees_another_organisations_referrals(people, make_referral, role):
    referral = make_referral(Status.AGREED)
    elsewhere = make_user(people.outsider_org, "ruth", role)
    assert list(referrals_visible_to(elsewhere)) == []
    with pytest.raises(Http404):
        get_referral_for(elsewhere, referral.pk)


def test_a_service_manager_sees_only_the_referrals_sent_to_them(people, make_referral):
    referral = make_referral(Status.WITH_SERVICE_MANAGER)
    colleague = make_user(people.org, "fiona", Role.SERVICE_MANAGER)
    assert list(referrals_visible_to(colleague)) == []
    with pytest.raises(Http404):
        get_referral_for(colleague, referral.pk)


def test_a_signed_out_visitor_sees_nothing(people, make_referral):
    referral = make_referral(Status.AGREED)
    assert list(referrals_visible_to(AnonymousUser())) == []
    with pytest.raises(Http404):
        get_referral_for(AnonymousUser(), referral.pk)


def test_a_referral_that_does_not_exist_is_a_404_even_for_an_administrator(people):
    with pytest.raises(Http404):
        get_referral_for(people.admin, 999_999)


def test_each_persona_sees_the_same_set_from_a_mix_of_referrals(people, make_referral):
    referrals = {status: make_referral(status) for status in Status}
    for persona, statuses in SEES.items():
        seen = set(referrals_visible_to(getattr(people, persona)))
        assert seen == {referrals[s] for s in statuses}, persona


# My tasks -----------------------------------------------------------------------------------

# What waits on each persona when there is one referral at every status.
WAITS_ON = {
    "worker": [Status.DRAFT, Status.DISCUSSED],
    "line_manager": [Status.SIGNED_BY_WORKER, Status.NOT_PROCEEDING],
    "service_manager": [Status.WITH_SERVICE_MANAGER],
    "cfcig_chair": [Status.AGREED],
    "cfcig_member": [Status.AGREED],
}


@pytest.mark.parametrize("persona", list(SEES))
def test_tasks_list_exactly_what_waits_on_each_persona(people, make_referral, persona):
    referrals = {status: make_referral(status) for status in Status}
    tasks = tasks_for(getattr(people, persona))
    expected = WAITS_ON.get(persona, [])
    assert [t.referral for t in tasks] == [referrals[s] for s in expected]
    for task in tasks:
        assert task.action == WAITING_ON[task.referral.status][1]
        assert task.since == task.referral.status_changed_on


def test_tasks_are_listed_oldest_first(people, make_referral):
    first = make_referral(Status.DISCUSSED)
    second = make_referral(Status.DRAFT)
    third = make_referral(Status.DISCUSSED)
    assert [t.referral for t in tasks_for(people.worker)] == [first, second, third]


def test_a_line_manager_of_the_worker_has_no_task_until_the_form_is_signed(people, make_referral):
    make_referral(Status.DRAFT)
    make_referral(Status.DISCUSSED)
    assert tasks_for(people.line_manager) == []
