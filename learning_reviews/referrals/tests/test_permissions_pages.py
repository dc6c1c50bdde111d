"""Who may take each step of the pathway through the pages, and in which state (protocol §3).

A step's page is offered and accepted only for the right person in the right state; anyone else
who may see the referral is sent back to the referral page and nothing changes. (Those who may
not see it get 404: see test_scoping.py.)
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from conftest import People
from learning_reviews.audit.models import AuditEvent
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.tests.built_once import Pathway, build_pathway, built_once
from learning_reviews.referrals.views import SECTION_PAGES

ALL = frozenset(Status)
GROUP = frozenset(
    {
        Status.AGREED,
        Status.REVIEW_COMMISSIONED,
        Status.NOT_PROCEEDING,
        Status.FURTHER_ACTION_COMPLETE,
    }
)
SENT = GROUP | {Status.WITH_SERVICE_MANAGER, Status.NOT_AGREED}

# Who may see a referral of `people.worker`, by state (written out, not read from the code).
SEES = {
    "worker": ALL,
    "line_manager": ALL,
    "service_manager": SENT,
    "cfcig_chair": GROUP,
    "cfcig_member": GROUP,
    "admin": frozenset(),  # manages people and settings; reads no case (docs/security.md)
    "auditor": ALL,
}


@dataclass(frozen=True)
class Step:
    source: Status
    target: Status
    takers: frozenset[str]
    data: dict[str, Any]


STEPS = {
    "supervision": Step(
        Status.DRAFT,
        Status.DISCUSSED,
        frozenset({"worker", "line_manager"}),
        {"date_0": "18", "date_1": "3", "date_2": "2025", "note": "Discussed the moves."},
    ),
    "return": Step(
        Status.SIGNED_BY_WORKER,
        Status.DISCUSSED,
        frozenset({"line_manager"}),
        {"note": "Please add the school's view."},
    ),
    "recommend": Step(
        Status.SIGNED_BY_WORKER,
        Status.WITH_SERVICE_MANAGER,
        frozenset({"line_manager"}),
        {"confirm": "on"},  # plus the Service Manager, added below
    ),
    "decision": Step(
        Status.WITH_SERVICE_MANAGER,
        Status.AGREED,
        frozenset({"service_manager"}),
        {"decision": "agree"},
    ),
}

SECTION_DATA = {
    "about": {"person_completing": "Someone Else"},
    "identified": {
        "identified_at": "tac_meeting",
        "identified_on_0": "1",
        "identified_on_1": "2",
        "identified_on_2": "2025",
    },
    "child": {"child_name": "Someone Else", "swis_number": "999"},
    "household": {"parents_carers": "Someone Else", "item-name": "A", "item-relationship": "B"},
    "agencies": {"no_agencies_known": "on", "item-agency": "Someone Else's agency"},
    "grounds": {"grounds": ["good_practice"]},
    "circumstances": {"circumstances": "Someone Else"},
    "background": {
        "key_facts": "Someone Else",
        "item-date_0": "1",
        "item-date_1": "1",
        "item-date_2": "2020",
        "item-event": "An event",
    },
    "reasons": {"item-text": "Another reason"},
}


# Every test here takes one referral at one status, so the people and a referral at each status
# are built once for the module rather than for each of its 697 tests (see `built_once`). These
# `people` and `make_referral` stand in for conftest's, and give the same.


@pytest.fixture(scope="module")
def pathway(django_db_setup, django_db_blocker) -> Iterator[Pathway]:
    yield from built_once(django_db_blocker, build_pathway)


@pytest.fixture
def people(pathway: Pathway, db: None) -> People:
    return pathway.fresh_people()


@pytest.fixture
def make_referral(pathway: Pathway, db: None) -> Callable[[Status], Referral]:
    """make_referral(Status.X): the module's referral of `people.worker` at that step, as it
    was built (whatever earlier tests did to it was rolled back)."""
    return pathway.referral


def snapshot(referral: Referral) -> dict[str, Any]:
    """The referral's fields and rows, and the changes recorded in the audit trail."""
    fresh = Referral.objects.get(pk=referral.pk)
    state: dict[str, Any] = {
        f.attname: str(getattr(fresh, f.attname)) for f in Referral._meta.concrete_fields
    }
    for relation in ("household", "agencies", "chronology", "reasons", "supervision_notes"):
        state[relation] = list(getattr(fresh, relation).values())
    state["changes"] = AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count()
    return state


def _step_data(people: Any, name: str) -> dict[str, Any]:
    data = dict(STEPS[name].data)
    if name == "recommend":
        data["service_manager"] = people.service_manager.pk
    return data


def _section_data(referral: Referral, key: str) -> dict[str, Any]:
    version = referral.version
    return {"version": version, "item-version": version, "action": "save", **SECTION_DATA[key]}


def _messages(response: Any) -> list[str]:
    return [str(m) for m in response.context["messages"]] if response.context else []


# ---------------------------------------------------------------------------------------------
# The four step pages


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("persona", list(SEES))
@pytest.mark.parametrize("name", list(STEPS))
def test_step_page_is_offered_only_to_the_right_person_in_the_right_state(
    client, people, make_referral, name, persona, status
):
    referral = make_referral(status)
    step_url = reverse(f"referrals:{name}", args=[referral.pk])
    detail_url = reverse("referrals:detail", args=[referral.pk])
    client.force_login(getattr(people, persona))
    allowed = persona in STEPS[name].takers and status == STEPS[name].source

    response = client.get(step_url)

    if status not in SEES[persona]:
        assert response.status_code == 404
        return
    if allowed:
        assert response.status_code == 200
        assert '<form method="post"' in response.content.decode()
    else:
        assert response.status_code == 302
        assert response.url == detail_url
    detail = client.get(detail_url).content.decode()
    assert (f'href="{step_url}"' in detail) == allowed


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("persona", list(SEES))
@pytest.mark.parametrize("name", list(STEPS))
def test_step_is_accepted_only_from_the_right_person_in_the_right_state(
    client, people, make_referral, name, persona, status
):
    referral = make_referral(status)
    before = snapshot(referral)
    client.force_login(getattr(people, persona))
    allowed = persona in STEPS[name].takers and status == STEPS[name].source

    response = client.post(
        reverse(f"referrals:{name}", args=[referral.pk]), _step_data(people, name)
    )

    if status not in SEES[persona]:
        assert response.status_code == 404
        assert snapshot(referral) == before
        return
    assert response.status_code == 302
    assert response.url == reverse("referrals:detail", args=[referral.pk])
    referral.refresh_from_db()
    if allowed:
        assert referral.status == STEPS[name].target
        assert snapshot(referral)["changes"] == before["changes"] + 1
    else:
        assert snapshot(referral) == before
        followed = client.get(response.url)
        assert "This step cannot be taken: the referral may have moved on." in _messages(followed)


@pytest.mark.parametrize("persona", list(SEES))
@pytest.mark.parametrize("status", list(Status))
def test_only_the_worker_may_sign_on_the_check_page_and_only_once_discussed(
    client, people, make_referral, persona, status
):
    referral = make_referral(status)
    before = snapshot(referral)
    client.force_login(getattr(people, persona))
    url = reverse("referrals:check", args=[referral.pk])
    allowed = persona == "worker" and status == Status.DISCUSSED

    page = client.get(url)
    response = client.post(url, {"confirm": "on", "version": referral.version})

    if status not in SEES[persona]:
        assert page.status_code == response.status_code == 404
        assert snapshot(referral) == before
        return
    assert page.status_code == 200
    assert ("Sign the form</button>" in page.content.decode()) == allowed
    if allowed:
        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.status == Status.SIGNED_BY_WORKER
    else:
        assert response.status_code == 404
        assert snapshot(referral) == before


# ---------------------------------------------------------------------------------------------
# The form's section pages


SIGNED = [Status.SIGNED_BY_WORKER, Status.WITH_SERVICE_MANAGER, Status.AGREED, Status.NOT_AGREED]


@pytest.mark.parametrize("status", SIGNED)
@pytest.mark.parametrize("key", list(SECTION_PAGES))
def test_section_page_after_signing_redirects_and_does_not_save(
    client, people, make_referral, key, status
):
    referral = make_referral(status)
    detail_url = reverse("referrals:detail", args=[referral.pk])
    url = reverse("referrals:section", args=[referral.pk, key])
    before = snapshot(referral)

    for persona in ("worker", "line_manager"):
        client.force_login(getattr(people, persona))
        page = client.get(url)
        response = client.post(url, _section_data(referral, key))

        assert page.status_code == 302
        assert page.url == detail_url
        assert response.status_code == 302
        assert response.url == detail_url
        assert snapshot(referral) == before
        followed = client.get(detail_url)
        assert "The form can no longer be changed at this step." in _messages(followed)


@pytest.mark.parametrize("status", [Status.DRAFT, Status.DISCUSSED])
@pytest.mark.parametrize("persona", ["worker", "line_manager"])
@pytest.mark.parametrize("key", list(SECTION_PAGES))
def test_section_page_saves_for_worker_and_line_manager_before_signing(
    client, people, make_referral, key, persona, status
):
    referral = make_referral(status)
    before = snapshot(referral)
    client.force_login(getattr(people, persona))
    url = reverse("referrals:section", args=[referral.pk, key])

    assert client.get(url).status_code == 200
    response = client.post(url, _section_data(referral, key))

    assert response.status_code == 302
    assert response.url == reverse("referrals:form", args=[referral.pk])
    assert snapshot(referral)["changes"] > before["changes"]


# ---------------------------------------------------------------------------------------------
# Auditors read every referral in their organisation and change nothing; administrators read
# none of them (docs/security.md, "Who may read and change what").


READ_PAGES = ["detail", "history", "form", "check"]


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("persona", ["auditor"])
def test_the_auditor_can_read_a_referral(client, people, make_referral, persona, status):
    referral = make_referral(status)
    client.force_login(getattr(people, persona))

    for page in READ_PAGES:
        response = client.get(reverse(f"referrals:{page}", args=[referral.pk]))
        assert response.status_code == 200, page
        assert "Zara Quinn" in response.content.decode(), page
    detail = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert "What you can do next" not in detail
    assert reverse("referrals:form", args=[referral.pk]) + '"' not in detail


@pytest.mark.parametrize("persona", ["auditor"])
def test_the_auditor_can_download_the_referral_pdf(client, people, make_referral, persona):
    referral = make_referral(Status.WITH_SERVICE_MANAGER)
    client.force_login(getattr(people, persona))

    response = client.get(reverse("referrals:form_pdf", args=[referral.pk]))

    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("persona", ["auditor"])
def test_the_auditor_cannot_change_a_referral(client, people, make_referral, persona, status):
    referral = make_referral(status)
    before = snapshot(referral)
    detail_url = reverse("referrals:detail", args=[referral.pk])
    client.force_login(getattr(people, persona))

    for key in SECTION_PAGES:
        url = reverse("referrals:section", args=[referral.pk, key])
        assert client.get(url).url == detail_url, key
        assert client.post(url, _section_data(referral, key)).url == detail_url, key
    for name in STEPS:
        response = client.post(
            reverse(f"referrals:{name}", args=[referral.pk]), _step_data(people, name)
        )
        assert response.url == detail_url, name
    signing = client.post(reverse("referrals:check", args=[referral.pk]), {"confirm": "on"})
    assert signing.status_code == 404

    assert snapshot(referral) == before


@pytest.mark.parametrize("status", [Status.DRAFT, Status.REVIEW_COMMISSIONED])
def test_the_administrator_gets_404_from_every_page_of_a_referral(
    client, people, make_referral, status
):
    referral = make_referral(status)
    before = snapshot(referral)
    client.force_login(people.admin)

    for page in [*READ_PAGES, "form_pdf", *STEPS]:
        assert client.get(reverse(f"referrals:{page}", args=[referral.pk])).status_code == 404
    assert referral.reference not in client.get(reverse("referrals:list")).content.decode()
    assert snapshot(referral) == before


# ---------------------------------------------------------------------------------------------
# The improvement group sees a referral once the Service Manager has agreed it (§3.3–3.4).


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("persona", ["cfcig_member", "cfcig_chair"])
def test_improvement_group_sees_referrals_only_once_agreed(
    client, people, make_referral, persona, status
):
    referral = make_referral(status)
    client.force_login(getattr(people, persona))
    expected = 200 if status in GROUP else 404

    for page in READ_PAGES:
        response = client.get(reverse(f"referrals:{page}", args=[referral.pk]))
        assert response.status_code == expected, page
    listed = client.get(reverse("referrals:list")).content.decode()
    assert (referral.reference in listed) == (status in GROUP)


@pytest.mark.parametrize("persona", ["cfcig_member", "cfcig_chair"])
def test_improvement_group_cannot_change_an_agreed_referral(client, people, make_referral, persona):
    referral = make_referral(Status.AGREED)
    before = snapshot(referral)
    detail_url = reverse("referrals:detail", args=[referral.pk])
    client.force_login(getattr(people, persona))

    for key in SECTION_PAGES:
        url = reverse("referrals:section", args=[referral.pk, key])
        assert client.post(url, _section_data(referral, key)).url == detail_url, key
    for name in STEPS:
        response = client.post(
            reverse(f"referrals:{name}", args=[referral.pk]), _step_data(people, name)
        )
        assert response.url == detail_url, name
    assert client.post(reverse("referrals:check", args=[referral.pk]), {}).status_code == 404

    assert snapshot(referral) == before
