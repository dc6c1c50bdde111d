"""Every page about one referral is scoped to the user (issue 2 §7): someone who may not see the
referral gets 404 from every URL that takes its pk, for GET and for POST, and nothing about the
referral changes and nothing is written to the audit trail.

The URLs are found by walking the URL configuration — the referral's own pages and the
improvement group's pages of a referral (`/group/referrals/<pk>/…`) — so a new referral URL gets
these tests (and fails `test_every_referral_url_is_in_the_scoping_matrix` until it is added to
`CASES`). `home/tests/test_url_matrix.py` walks every other URL.
"""

import datetime
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from conftest import url_routes
from learning_reviews.accounts.models import Team
from learning_reviews.audit.models import AuditEvent
from learning_reviews.improvement_group.services_letters import letter_prepare
from learning_reviews.improvement_group.testing import CaseContent, referral_at
from learning_reviews.referrals import services
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.tests.built_once import Pathway, build_pathway, built_once
from learning_reviews.referrals.views import SECTION_PAGES

# The URLs about one referral: the referral's own, and the group's pages of a referral.
REFERRAL_ROUTES = ("referrals/<int:pk>", "group/referrals/<int:pk>/")

# Personas who may never see a referral of `people.worker`, whatever its state.
STRANGERS = ("outsider", "other_worker", "other_line_manager", "lead_reviewer")

PDF_BYTES = b"%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n"


def referral_urls() -> dict[str, str]:
    """Every URL, in the referral namespaces, that takes a referral pk: name -> route."""
    return {name: route for name, route in url_routes() if route.startswith(REFERRAL_ROUTES)}


def url_params() -> list[Any]:
    """One parameter per URL: the section URL once for every section key."""
    params = []
    for name, route in sorted(referral_urls().items()):
        if "<slug:key>" in route:
            params += [pytest.param(name, key, id=f"{name}/{key}") for key in SECTION_PAGES]
        else:
            params.append(pytest.param(name, None, id=name))
    return params


def _url(name: str, key: str | None, pk: int) -> str:
    return reverse(name, kwargs={"pk": pk, **({"key": key} if key else {})})


# ---------------------------------------------------------------------------------------------
# For each URL: the state in which it acts, who it acts for, and a POST that would change the
# referral if the user were allowed to make it. So a 404 is a refusal, not a page that had
# nothing to do.


def _section_post(key: str) -> Callable[[Any, Referral], dict[str, Any]]:
    data = {
        "about": {"person_completing": "Changed By Stranger"},
        "identified": {
            "identified_at": "other",
            "identified_at_other": "Stranger's meeting",
            "identified_on_0": "1",
            "identified_on_1": "2",
            "identified_on_2": "2025",
        },
        "child": {"child_name": "Changed By Stranger", "swis_number": "999"},
        "household": {
            "parents_carers": "Changed By Stranger",
            "item-name": "Stranger",
            "item-relationship": "None",
        },
        "agencies": {"no_agencies_known": "on", "item-agency": "Stranger's agency"},
        "grounds": {"grounds": ["good_practice", "disruption"]},
        "circumstances": {"circumstances": "Changed By Stranger"},
        "background": {
            "key_facts": "Changed By Stranger",
            "item-date_0": "1",
            "item-date_1": "1",
            "item-date_2": "2020",
            "item-event": "Stranger's event",
        },
        "reasons": {"item-text": "Stranger's reason"},
    }[key]

    def post(people: Any, referral: Referral) -> dict[str, Any]:
        version = referral.version
        return {"version": version, "item-version": version, "action": "save", **data}

    return post


def _no_post(people: Any, referral: Referral) -> dict[str, Any]:
    # The version the worker's signature on the check page carries (issue 10: lost updates).
    return {"confirm": "on", "version": referral.version}


# A new due date that is never in the past: 1 March next year, as day, month and year.
NEXT_YEAR = ("1", "3", str(datetime.date.today().year + 1))

# Once the review is commissioned its lead reviewer may read the referral.
COMMISSIONED = frozenset({"lead_reviewer"})


@dataclass(frozen=True)
class Case:
    status: Status
    owner: str  # the persona for whom the URL works in that state
    post: Callable[[Any, Referral], dict[str, Any]] = _no_post
    changes: bool = False  # whether the owner's POST changes the referral
    methods: frozenset[str] = field(default_factory=lambda: frozenset({"GET", "POST"}))
    plan: bool = False  # attach a Child's Plan first
    letter: bool = False  # prepare the written feedback first
    readers: frozenset[str] = frozenset()  # personas of STRANGERS who may see it in this state


CASES: dict[str, Case] = {
    "referrals:detail": Case(Status.DRAFT, "worker"),
    "referrals:history": Case(Status.DRAFT, "worker"),
    "referrals:form": Case(Status.DRAFT, "worker"),
    "referrals:check": Case(Status.DISCUSSED, "worker", changes=True),
    "referrals:childs_plan": Case(Status.DRAFT, "worker", plan=True),
    "referrals:supervision": Case(
        Status.DRAFT,
        "worker",
        post=lambda people, r: {"date_0": "18", "date_1": "3", "date_2": "2025", "note": "Met."},
        changes=True,
    ),
    "referrals:return": Case(
        Status.SIGNED_BY_WORKER,
        "line_manager",
        post=lambda people, r: {"note": "Please add the school's view."},
        changes=True,
    ),
    "referrals:recommend": Case(
        Status.SIGNED_BY_WORKER,
        "line_manager",
        post=lambda people, r: {"service_manager": people.service_manager.pk, "confirm": "on"},
        changes=True,
    ),
    "referrals:decision": Case(
        Status.WITH_SERVICE_MANAGER,
        "service_manager",
        post=lambda people, r: {"decision": "agree"},
        changes=True,
    ),
    "referrals:due_date": Case(
        Status.WITH_SERVICE_MANAGER,
        "service_manager",
        post=lambda people, r: {
            **dict(zip(("due_on_0", "due_on_1", "due_on_2"), NEXT_YEAR, strict=True)),
            "reason": "Waiting for the school's chronology.",
            "version": r.version,
        },
        changes=True,
    ),
    "referrals:form_pdf": Case(Status.DRAFT, "worker", methods=frozenset({"GET"})),
    # The improvement group's pages of a referral (§3.4).
    "group:decision": Case(Status.AGREED, "cfcig_member", methods=frozenset({"GET"})),
    "group:decision_record": Case(Status.AGREED, "cfcig_member"),
    "group:decision_confirm": Case(Status.AGREED, "cfcig_chair", methods=frozenset({"POST"})),
    "group:letter": Case(Status.REVIEW_COMMISSIONED, "service_manager", readers=COMMISSIONED),
    "group:letter_send": Case(
        Status.REVIEW_COMMISSIONED,
        "service_manager",
        methods=frozenset({"POST"}),
        letter=True,
        readers=COMMISSIONED,
    ),
    "group:letter_pdf": Case(
        Status.REVIEW_COMMISSIONED,
        "service_manager",
        methods=frozenset({"GET"}),
        letter=True,
        readers=COMMISSIONED,
    ),
    "group:letter_docx": Case(
        Status.REVIEW_COMMISSIONED,
        "service_manager",
        methods=frozenset({"GET"}),
        letter=True,
        readers=COMMISSIONED,
    ),
    "group:further_action": Case(Status.NOT_PROCEEDING, "line_manager"),
    "group:further_action_complete": Case(Status.NOT_PROCEEDING, "cfcig_chair"),
}


def _case(name: str, key: str | None) -> Case:
    if name == "referrals:section":
        return Case(Status.DRAFT, "worker", post=_section_post(key or ""), changes=True)
    return CASES[name]


def _referral(pathway: Pathway, people: Any, case: Case, settings: Any, tmp_path: Any) -> Referral:
    """The referral built once at the case's status, with what the case needs added in this
    test (rolled back after it)."""
    settings.MEDIA_ROOT = tmp_path
    referral = pathway.referral(case.status)
    if case.letter:
        letter_prepare(decision=referral.decision, by=people.service_manager)
    if case.plan:
        referral = services.referral_attach_childs_plan(
            referral=referral,
            by=people.worker,
            version=referral.version,
            upload=SimpleUploadedFile("plan.pdf", PDF_BYTES, "application/pdf"),
        )
    return referral


def snapshot(referral: Referral) -> dict[str, Any]:
    """Everything about the referral a page could change, and the size of the audit trail."""
    fresh = Referral.objects.get(pk=referral.pk)
    state: dict[str, Any] = {
        f.attname: str(getattr(fresh, f.attname)) for f in Referral._meta.concrete_fields
    }
    for relation in ("household", "agencies", "chronology", "reasons", "supervision_notes"):
        state[relation] = list(getattr(fresh, relation).values())
    state["audit_events"] = AuditEvent.objects.count()
    return state


def _request(client: Any, method: str, url: str, data: dict[str, Any]) -> Any:
    return client.get(url) if method == "GET" else client.post(url, data)


def _expected(case: Case, method: str) -> int:
    # A method the view never allows is refused for everyone alike (405) before any lookup, so
    # it says nothing about whether the referral exists.
    return 404 if method in case.methods else 405


# ---------------------------------------------------------------------------------------------


def test_every_referral_url_is_in_the_scoping_matrix():
    assert set(referral_urls()) == {*CASES, "referrals:section"}


def test_the_matrix_covers_every_section_page():
    section_ids = {p.id for p in url_params() if p.id.startswith("referrals:section/")}
    assert section_ids == {f"referrals:section/{key}" for key in SECTION_PAGES}
    assert len(SECTION_PAGES) == 9


def stranger_params() -> list[Any]:
    """Every URL with every stranger, but for those who may read the referral in its state."""
    return [
        pytest.param(*p.values, persona, id=f"{p.id}-{persona}")
        for p in url_params()
        for persona in STRANGERS
        if persona not in _case(*p.values).readers
    ]


class TestOneReferral:
    """The pages of one referral. The people and a referral at every status are built once for
    the class (`built_once`); each test's changes are rolled back after it."""

    @pytest.fixture(scope="class")
    def pathway(self, django_db_setup, django_db_blocker) -> Iterator[Pathway]:
        yield from built_once(django_db_blocker, build_pathway)

    @pytest.mark.parametrize("method", ["GET", "POST"])
    @pytest.mark.parametrize(("name", "key", "persona"), stranger_params())
    def test_stranger_gets_404_and_changes_nothing(
        self, db, client, pathway, settings, tmp_path, name, key, method, persona
    ):
        case = _case(name, key)
        people = pathway.fresh_people()
        referral = _referral(pathway, people, case, settings, tmp_path)
        before = snapshot(referral)
        client.force_login(getattr(people, persona))

        response = _request(
            client, method, _url(name, key, referral.pk), case.post(people, referral)
        )

        assert response.status_code == _expected(case, method)
        assert snapshot(referral) == before

    @pytest.mark.parametrize("method", ["GET", "POST"])
    @pytest.mark.parametrize(("name", "key"), url_params())
    def test_referral_that_does_not_exist_is_404_for_the_worker(
        self, db, client, pathway, settings, tmp_path, name, key, method
    ):
        case = _case(name, key)
        people = pathway.fresh_people()
        referral = _referral(pathway, people, case, settings, tmp_path)
        missing = Referral.objects.order_by("-pk").values_list("pk", flat=True)[0] + 1000
        before = snapshot(referral)
        client.force_login(people.worker)

        response = _request(client, method, _url(name, key, missing), case.post(people, referral))

        assert response.status_code == _expected(case, method)
        assert snapshot(referral) == before

    @pytest.mark.parametrize(("name", "key"), url_params())
    def test_url_answers_its_owner_so_the_404s_are_refusals(
        self, db, client, pathway, settings, tmp_path, name, key
    ):
        case = _case(name, key)
        people = pathway.fresh_people()
        referral = _referral(pathway, people, case, settings, tmp_path)
        client.force_login(getattr(people, case.owner))
        url = _url(name, key, referral.pk)

        if "GET" in case.methods:
            assert client.get(url).status_code == 200
        else:  # a POST-only step: the owner's POST is taken (it leaves the page), nobody else's
            assert client.post(url, case.post(people, referral)).status_code == 302

    @pytest.mark.parametrize(
        ("name", "key"),
        [p for p in url_params() if _case(*p.values).changes],
    )
    def test_the_posted_data_would_change_the_referral_for_its_owner(
        self, db, client, pathway, settings, tmp_path, name, key
    ):
        case = _case(name, key)
        people = pathway.fresh_people()
        referral = _referral(pathway, people, case, settings, tmp_path)
        before = snapshot(referral)
        client.force_login(getattr(people, case.owner))

        response = client.post(_url(name, key, referral.pk), case.post(people, referral))

        assert response.status_code == 302
        after = snapshot(referral)
        assert after["version"] != before["version"]
        assert after["audit_events"] > before["audit_events"]


# ---------------------------------------------------------------------------------------------
# Lists: nobody sees another team's or another organisation's referral.


@dataclass
class Three:
    mine: Referral  # people.worker's, in people.team
    other_team: Referral  # people.other_worker's, in people.other_team
    other_org: Referral  # people.outsider's, in another organisation


CHILDREN = {"mine": "Zara Quinn", "other_team": "Kyle Fenwick", "other_org": "Olive Elsewhere"}

# Who may see which of the three (the rest of this file proves the pages agree).
VISIBLE = {
    "worker": {"mine"},
    "line_manager": {"mine"},
    "other_worker": {"other_team"},
    "other_line_manager": {"other_team"},
    "outsider": {"other_org"},
    "outsider_line_manager": {"other_org"},
    "admin": set(),  # manages people and settings; reads no case
    "auditor": {"mine", "other_team"},
    "lead_reviewer": set(),
    "cfcig_member": set(),
}

# In each state, which party the referral waits on ("my tasks").
WAITS_ON = {Status.DRAFT: "worker", Status.SIGNED_BY_WORKER: "line_manager"}
PARTIES = {
    "mine": {"worker": "worker", "line_manager": "line_manager"},
    "other_team": {"worker": "other_worker", "line_manager": "other_line_manager"},
    "other_org": {"worker": "outsider", "line_manager": "outsider_line_manager"},
}


def _three(people: Any, status: Status) -> Three:
    other_org_team = Team.objects.get(organisation=people.outsider_org)
    outsider_manager = people.outsider_line_manager

    def make(worker: Any, manager: Any, team: Team, child: str, service_manager: Any) -> Referral:
        return referral_at(
            status,
            worker=worker,
            line_manager=manager,
            service_manager=service_manager,
            team=team,
            content=CaseContent(child_name=child),
        )

    return Three(
        mine=make(
            people.worker,
            people.line_manager,
            people.team,
            CHILDREN["mine"],
            people.service_manager,
        ),
        other_team=make(
            people.other_worker,
            people.other_line_manager,
            people.other_team,
            CHILDREN["other_team"],
            people.service_manager,
        ),
        other_org=make(
            people.outsider,
            outsider_manager,
            other_org_team,
            CHILDREN["other_org"],
            outsider_manager,
        ),
    )


def _assert_shows_only(html: str, three: Three, shown: set[str]) -> None:
    for which in ("mine", "other_team", "other_org"):
        referral = getattr(three, which)
        if which in shown:
            assert CHILDREN[which] in html, which
            assert referral.reference in html, which
        else:
            assert CHILDREN[which] not in html, which
            assert referral.reference not in html, which


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SIGNED_BY_WORKER])
@pytest.mark.parametrize("persona", list(VISIBLE))
def test_referral_list_shows_only_referrals_the_user_may_see(client, people, persona, status):
    three = _three(people, status)
    client.force_login(getattr(people, persona))

    for query in ("", f"?status={status.value}"):
        html = client.get(reverse("referrals:list") + query).content.decode()
        _assert_shows_only(html, three, VISIBLE[persona])


@pytest.mark.parametrize("status", [Status.DRAFT, Status.SIGNED_BY_WORKER])
@pytest.mark.parametrize("persona", list(VISIBLE))
def test_my_tasks_shows_only_the_users_own_tasks(client, people, persona, status):
    three = _three(people, status)
    client.force_login(getattr(people, persona))
    waiting = {which for which in VISIBLE[persona] if PARTIES[which][WAITS_ON[status]] == persona}

    html = client.get(reverse("home")).content.decode()

    _assert_shows_only(html, three, waiting)


@pytest.mark.parametrize("persona", list(VISIBLE))
def test_pathway_counts_only_referrals_the_user_may_see(client, people, persona):
    three = _three(people, Status.DRAFT)
    client.force_login(getattr(people, persona))

    html = client.get(reverse("pathway")).content.decode()

    _assert_shows_only(html, three, set())
    counts = [
        int(part.split("</span>", 1)[0])
        for part in html.split('<span class="app-pathway__count">')[1:]
    ]
    assert sum(counts) == len(VISIBLE[persona])
