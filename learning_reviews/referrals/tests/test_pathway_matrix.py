"""No referral can skip or repeat a step, or be moved by the wrong role.

The pathway table itself is checked against the protocol (§3 steps 1–3), then every transition
is tried by every persona of the `people` fixture (all of them, outsiders included) on a
referral at every status, through the real service functions: 9 transitions × 12 personas ×
9 statuses, 972 cases.

The people and one referral at each status are built once for the module (`pathway`, see
`built_once`); each case runs in a savepoint rolled back after it, so every case starts from
the referral exactly as built and sees nothing another case did. (Building them for every case
took four fifths of the module's time.)

The expected relationship of each persona to the referral is written out here rather than read
from `selectors.parties`, so that a mistake there shows up as a failure too.
"""

import datetime
from collections.abc import Callable, Iterator

import pytest

from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.referrals import services
from learning_reviews.referrals.models import Referral, Status, SupervisionNote
from learning_reviews.referrals.pathway import BY_NAME, TRANSITIONS, WAITING_ON, Party
from learning_reviews.referrals.selectors import parties
from learning_reviews.referrals.tests.built_once import Pathway, build_pathway, built_once

# The referral pathway ends here: a commissioned review continues in the reviews app.
END_STATES = frozenset(
    {Status.NOT_AGREED, Status.REVIEW_COMMISSIONED, Status.FURTHER_ACTION_COMPLETE}
)

# Steps the improvement group takes through its own services (which send the e-mails).
GROUP_STEPS = frozenset({"group_proceed", "group_not_proceed", "further_action_complete"})

# States in which the referral has been sent to (and names) its Service Manager.
SENT = frozenset(
    {
        Status.WITH_SERVICE_MANAGER,
        Status.AGREED,
        Status.NOT_AGREED,
        Status.REVIEW_COMMISSIONED,
        Status.NOT_PROCEEDING,
        Status.FURTHER_ACTION_COMPLETE,
    }
)

PERSONAS = [
    "worker",
    "line_manager",
    "service_manager",
    "cfcig_chair",
    "cfcig_member",
    "lead_reviewer",
    "admin",
    "auditor",
    "other_worker",
    "other_line_manager",
    "outsider",
    "outsider_line_manager",
]

# The protocol's pathway, §3 steps 1–3 and Appendix 2, written out by hand.
EXPECTED_TABLE = {
    (
        "record_supervision",
        Status.DRAFT,
        Status.DISCUSSED,
        frozenset({Party.WORKER, Party.LINE_MANAGER}),
    ),
    ("sign_as_worker", Status.DISCUSSED, Status.SIGNED_BY_WORKER, frozenset({Party.WORKER})),
    (
        "return_to_worker",
        Status.SIGNED_BY_WORKER,
        Status.DISCUSSED,
        frozenset({Party.LINE_MANAGER}),
    ),
    (
        "recommend",
        Status.SIGNED_BY_WORKER,
        Status.WITH_SERVICE_MANAGER,
        frozenset({Party.LINE_MANAGER}),
    ),
    ("agree", Status.WITH_SERVICE_MANAGER, Status.AGREED, frozenset({Party.SERVICE_MANAGER})),
    ("decline", Status.WITH_SERVICE_MANAGER, Status.NOT_AGREED, frozenset({Party.SERVICE_MANAGER})),
    ("group_proceed", Status.AGREED, Status.REVIEW_COMMISSIONED, frozenset({Party.GROUP_CHAIR})),
    ("group_not_proceed", Status.AGREED, Status.NOT_PROCEEDING, frozenset({Party.GROUP_CHAIR})),
    (
        "further_action_complete",
        Status.NOT_PROCEEDING,
        Status.FURTHER_ACTION_COMPLETE,
        frozenset({Party.GROUP_CHAIR}),
    ),
}


def expected_parties(persona: str, status: Status) -> frozenset[Party]:
    """Who each persona is on the referral at `status` made by `pathway`."""
    if persona == "worker":
        return frozenset({Party.WORKER})
    if persona == "line_manager":
        return frozenset({Party.LINE_MANAGER})
    if persona == "service_manager" and status in SENT:
        return frozenset({Party.SERVICE_MANAGER})
    if persona == "cfcig_chair":
        return frozenset({Party.GROUP_CHAIR, Party.GROUP_MEMBER})
    if persona == "cfcig_member":
        return frozenset({Party.GROUP_MEMBER})
    return frozenset()


def take_step(name: str, referral: Referral, by, people) -> Referral:
    steps: dict[str, Callable[[], Referral]] = {
        "record_supervision": lambda: services.referral_record_supervision(
            referral=referral,
            by=by,
            date=datetime.date(2025, 3, 18),
            note="Discussed the placement moves in supervision.",
        ),
        "sign_as_worker": lambda: services.referral_sign_as_worker(
            referral=referral, by=by, version=referral.version
        ),
        "return_to_worker": lambda: services.referral_return_to_worker(
            referral=referral, by=by, note="Please add the school's view to the chronology."
        ),
        "recommend": lambda: services.referral_recommend(
            referral=referral, by=by, service_manager=people.service_manager
        ),
        "agree": lambda: services.referral_agree(referral=referral, by=by),
        "decline": lambda: services.referral_decline(
            referral=referral, by=by, reasons="The child's plan review is addressing this."
        ),
        "group_proceed": lambda: services.referral_record_group_decision(
            referral=referral, by=by, proceed=True
        ),
        "group_not_proceed": lambda: services.referral_record_group_decision(
            referral=referral, by=by, proceed=False
        ),
        "further_action_complete": lambda: services.referral_complete_further_action(
            referral=referral, by=by
        ),
    }
    return steps[name]()


# The table ------------------------------------------------------------------------------------


def test_pathway_table_is_exactly_the_protocols_steps():
    actual = {(t.name, t.source, t.target, t.party) for t in TRANSITIONS}
    assert actual == EXPECTED_TABLE


def test_every_status_except_the_end_states_is_the_source_of_some_step():
    sources = {t.source for t in TRANSITIONS}
    assert sources == set(Status) - END_STATES


def test_end_states_are_terminal():
    assert not [t.name for t in TRANSITIONS if t.source in END_STATES]
    assert not END_STATES & set(WAITING_ON)


def test_no_step_is_listed_twice_or_leads_back_to_its_own_state():
    names = [t.name for t in TRANSITIONS]
    moves = [(t.source, t.target) for t in TRANSITIONS]
    assert len(names) == len(set(names)) == len(BY_NAME)
    assert len(moves) == len(set(moves))
    assert all(t.source != t.target for t in TRANSITIONS)


def test_no_step_skips_ahead_on_the_pathway():
    rank = {
        Status.DRAFT: 0,
        Status.DISCUSSED: 1,
        Status.SIGNED_BY_WORKER: 2,
        Status.WITH_SERVICE_MANAGER: 3,
        Status.AGREED: 4,
        Status.NOT_AGREED: 4,
        Status.REVIEW_COMMISSIONED: 5,
        Status.NOT_PROCEEDING: 5,
        Status.FURTHER_ACTION_COMPLETE: 6,
    }
    assert set(rank) == set(Status)
    for t in TRANSITIONS:
        assert rank[t.target] - rank[t.source] <= 1, t.name


def test_every_status_can_be_reached_from_a_draft():
    reached = {Status.DRAFT}
    while True:
        more = {t.target for t in TRANSITIONS if t.source in reached} - reached
        if not more:
            break
        reached |= more
    assert reached == set(Status)


def test_every_step_names_at_least_one_party():
    assert all(t.party for t in TRANSITIONS)


# The matrix -----------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def pathway(django_db_setup, django_db_blocker) -> Iterator[Pathway]:
    yield from built_once(django_db_blocker, build_pathway)


@pytest.mark.parametrize("status", list(Status))
@pytest.mark.parametrize("persona", PERSONAS)
@pytest.mark.parametrize("name", [t.name for t in TRANSITIONS])
def test_step_is_taken_only_by_its_party_from_its_source_state(
    pathway, db, django_capture_on_commit_callbacks, name, persona, status
):
    step = BY_NAME[name]
    people = pathway.fresh_people()
    user = getattr(people, persona)
    referral = pathway.referral(status)
    assert referral.status == status
    assert parties(user, referral) == expected_parties(persona, status)
    before_status, before_version = referral.status, referral.version
    before_changed_on = referral.status_changed_on
    events_before = set(AuditEvent.objects.values_list("pk", flat=True))
    notes_before = SupervisionNote.objects.count()

    may_take = bool(expected_parties(persona, status) & step.party)
    if may_take and status == step.source:
        with django_capture_on_commit_callbacks() as callbacks:
            moved = take_step(name, referral, user, people)
        stored = Referral.objects.get(pk=referral.pk)
        assert moved.status == stored.status == step.target
        assert stored.version == before_version + 1
        assert stored.status_changed_on > before_changed_on
        new_events = AuditEvent.objects.exclude(pk__in=events_before)
        event = new_events.get()
        assert event.action == f"referral.{name}"
        assert event.record_type == "referrals.referral"
        assert event.record_id == str(referral.pk)
        assert event.actor_id == user.pk
        assert event.changes["status"] == [step.source.value, step.target.value]
        if name not in GROUP_STEPS:
            assert callbacks, "whoever acts next is e-mailed once the step commits"
        return

    expected_error = WrongState if may_take else NotAllowed
    with django_capture_on_commit_callbacks() as callbacks, pytest.raises(expected_error):
        take_step(name, referral, user, people)
    stored = Referral.objects.get(pk=referral.pk)
    assert (stored.status, stored.version) == (before_status, before_version)
    assert stored.status_changed_on == before_changed_on
    assert set(AuditEvent.objects.values_list("pk", flat=True)) == events_before
    assert SupervisionNote.objects.count() == notes_before
    assert callbacks == []
