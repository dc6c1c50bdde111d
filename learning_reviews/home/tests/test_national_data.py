"""The national data set of the benchmarks (`home/national_data.py`, issue 13), at a tiny scale:
every state is there, every record is in its parent's organisation, dates run in order, the
records pass the models' and services' own rules, and a seed always gives the same data.

The data set is generated once for the module (see `built_once`): each test reads it in a
savepoint rolled back after it."""

import datetime
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command
from django.db import models, transaction
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning_reviews.accounts.models import Membership, Organisation, User
from learning_reviews.audit.models import AuditEvent, ViewSummary
from learning_reviews.home import national_base, national_data
from learning_reviews.home.demo import DEMO_ORGANISATION, DEMO_USERS
from learning_reviews.improvement_group.models import AgendaItem, Decision, Letter, Meeting
from learning_reviews.outcomes.models import (
    Action,
    ActionUpdate,
    Briefing,
    DisseminationItem,
    LibraryEntry,
    Recommendation,
    ReviewOutcome,
)
from learning_reviews.outcomes.services import close_blockers
from learning_reviews.referrals.models import ChronologyEntry, Referral, Status
from learning_reviews.referrals.pathway import EDITABLE
from learning_reviews.referrals.sections import incomplete_sections
from learning_reviews.referrals.tests.built_once import built_once
from learning_reviews.reviews.models import (
    Conversation,
    Finding,
    KeyPracticeEpisode,
    Outline,
    OutlineResponse,
    Participant,
    ReportVersion,
    Review,
    ReviewChronologyEntry,
)
from learning_reviews.triage.models import CaseReview

SCALE = 0.0005

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def generated(django_db_setup, django_db_blocker) -> Iterator[dict[str, int]]:
    yield from built_once(django_db_blocker, lambda: national_data.generate(SCALE, out=str))


def _snapshot() -> list[tuple[object, ...]]:
    """What the generator decided, without the database's ids."""
    return [
        *Referral.objects.order_by("created_on", "child_name").values_list(
            "organisation__name", "status", "child_name", "swis_number", "created_on", "due_on"
        ),
        *User.objects.order_by("username").values_list("username", "full_name"),
        *Review.objects.order_by("referral__child_name").values_list("status", "presented_on"),
        *Action.objects.order_by("review__referral__child_name", "due_on", "text").values_list(
            "status", "due_on", "outcome_check_on"
        ),
        # The story ends as today begins; only the next meeting is planned now, by a service.
        *AuditEvent.objects.filter(at__lt=_start_of_today())
        .order_by("at", "action", "summary", "actor_name")
        .values_list("action", "summary", "record_type", "at", "actor_name"),
    ]


def _start_of_today() -> datetime.datetime:
    return datetime.datetime.combine(
        timezone.localdate(), datetime.time(0), tzinfo=timezone.get_current_timezone()
    )


def test_the_plan_is_national_at_scale_one_and_has_every_state_at_any_scale() -> None:
    full = national_data.plan_for(1.0)
    assert full.organisations == 40
    assert sum(full.referrals.values()) + sum(full.reviews.values()) == 20_000
    assert sum(full.reviews.values()) == 5_000
    assert full.audit_events == 2_000_000
    tiny = national_data.plan_for(0.0001)
    assert tiny.organisations == 1
    assert set(tiny.referrals) | {Status.REVIEW_COMMISSIONED} == set(Status)
    assert min(tiny.referrals.values()) == 1
    assert set(tiny.reviews) == set(national_base.REVIEW_STAGES)
    assert min(tiny.reviews.values()) == 1


def _generated_and_rolled_back(seed: int) -> list[tuple[object, ...]]:
    with transaction.atomic():
        national_data.generate(SCALE, seed=seed, out=str)
        made = _snapshot()
        transaction.set_rollback(True)
    return made


# Before the tests that share the module's data set, which would be in the way.
def test_the_same_seed_gives_the_same_data_and_another_seed_other_data() -> None:
    first = _generated_and_rolled_back(13)
    assert first
    assert _generated_and_rolled_back(13) == first
    assert _generated_and_rolled_back(14) != first


def test_every_state_of_the_pathway_and_of_a_review_occurs(generated: dict[str, int]) -> None:
    assert set(Referral.objects.values_list("status", flat=True)) == set(Status)
    assert set(Review.objects.values_list("status", flat=True)) == set(Review.Status)
    assert set(ReviewOutcome.objects.values_list("status", flat=True)) == set(ReviewOutcome.Status)
    assert set(Decision.objects.values_list("status", flat=True)) == set(Decision.Status)
    assert set(Meeting.objects.values_list("status", flat=True)) == set(Meeting.Status)
    assert Briefing.Status.RELEASED in set(Briefing.objects.values_list("status", flat=True))
    assert set(Action.objects.values_list("status", flat=True)) >= {
        Action.Status.ACHIEVED,
        Action.Status.NOT_ACHIEVED,
    }
    assert set(LibraryEntry.objects.values_list("kind", flat=True)) == set(LibraryEntry.Kind)


def test_counts_are_returned_and_the_organisation_has_one_person_per_demo_role(
    generated: dict[str, int],
) -> None:
    assert generated["organisations"] == Organisation.objects.count()
    assert generated["audit events"] == AuditEvent.objects.count() > 0
    own = [u for u in DEMO_USERS if u.organisation == DEMO_ORGANISATION]
    for spec in own:
        person = User.objects.get(username=f"n01-{spec.username}")
        assert not person.has_usable_password()
        assert set(person.memberships.values_list("role", "team__name")) == {
            (spec.role.value, spec.team)
        }
    assert Referral.objects.values("worker").distinct().count() > 1


PARENTS: tuple[tuple[type[models.Model], str], ...] = (
    (Referral, "team"),
    (Referral, "worker"),
    (ChronologyEntry, "referral"),
    (Decision, "referral"),
    (Letter, "decision"),
    (AgendaItem, "meeting"),
    (AgendaItem, "referral"),
    (Review, "referral"),
    (Participant, "review"),
    (Conversation, "participant"),
    (ReviewChronologyEntry, "review"),
    (KeyPracticeEpisode, "review"),
    (Finding, "review"),
    (Outline, "review"),
    (OutlineResponse, "outline"),
    (ReportVersion, "review"),
    (ReviewOutcome, "review"),
    (Recommendation, "finding"),
    (Action, "recommendation"),
    (Action, "owner"),
    (ActionUpdate, "action"),
    (DisseminationItem, "review"),
    (Briefing, "review"),
    (LibraryEntry, "review"),
    (LibraryEntry, "team"),
    (CaseReview, "review_type"),
    (Membership, "user"),
)


@pytest.mark.parametrize(("model", "parent"), PARENTS, ids=lambda v: getattr(v, "__name__", v))
def test_every_record_is_in_its_parents_organisation(
    generated: dict[str, int], model: type[models.Model], parent: str
) -> None:
    rows = model._default_manager.all()
    assert rows.exists()
    assert not rows.exclude(organisation_id=models.F(f"{parent}__organisation_id")).exists()


def test_audit_events_are_in_their_records_organisation(generated: dict[str, int]) -> None:
    for record_type, model in (
        ("referrals.referral", Referral),
        ("reviews.review", Review),
        ("improvement_group.meeting", Meeting),
    ):
        organisation_of = {
            str(pk): org for pk, org in model.objects.values_list("pk", "organisation")
        }
        events = AuditEvent.objects.filter(record_type=record_type)
        assert events.exists()
        for record_id, organisation_id in events.values_list("record_id", "organisation_id"):
            assert organisation_of[record_id] == organisation_id
    people = dict(User.objects.values_list("pk", "organisation"))
    for actor_id, organisation_id in AuditEvent.objects.values_list("actor_id", "organisation_id"):
        assert people[actor_id] == organisation_id
    assert set(AuditEvent.objects.values_list("kind", flat=True)) == set(AuditEvent.Kind)
    assert AuditEvent.objects.filter(action="downloaded").exists()


def test_the_page_views_are_summarised_as_an_upgraded_service_holds_them(
    generated: dict[str, int],
) -> None:
    viewed = AuditEvent.objects.filter(action="viewed").exclude(record_type="list")
    assert viewed.count() == sum(ViewSummary.objects.values_list("views", flat=True)) > 0
    people = dict(User.objects.values_list("pk", "organisation"))
    for actor_id, organisation_id in ViewSummary.objects.values_list("actor_id", "organisation"):
        assert people[actor_id] == organisation_id


def _in_order(*days: datetime.date | datetime.datetime | None) -> bool:
    present = [
        timezone.localdate(d) if isinstance(d, datetime.datetime) else d
        for d in days
        if d is not None
    ]
    return present == sorted(present)


def test_dates_run_in_the_order_the_steps_happen_and_none_is_to_come(
    generated: dict[str, int],
) -> None:
    now = timezone.now()
    national = Referral.objects.exclude(organisation__name__contains="(demo)")
    for r in national.select_related("review__outcome", "decision"):
        decision = getattr(r, "decision", None)
        review = getattr(r, "review", None)
        outcome = getattr(review, "outcome", None) if review else None
        assert _in_order(
            r.identified_on,
            r.created_on,
            r.supervision_date,
            r.worker_signed_on,
            r.line_manager_signed_on,
            r.service_manager_decided_on,
            decision.date_discussed if decision else None,
            decision.confirmed_on if decision else None,
            review.commissioned_on if review else None,
            review.presented_on if review else None,
            outcome.confirmed_on if outcome else None,
            review.closed_on if review else None,
        ), r.pk
        assert r.created_on <= r.status_changed_on <= now
        for entry in r.chronology.all():
            assert r.identified_on is not None
            assert entry.date <= r.identified_on
    for action in Action.objects.all():
        assert action.created_on.date() <= action.due_on <= action.outcome_check_on
        for update in action.updates.all():
            assert action.created_on.date() <= update.date <= timezone.localdate()
    assert not AuditEvent.objects.filter(at__gt=now).exists()
    assert not Meeting.objects.filter(date__gt=now.date(), status=Meeting.Status.CLOSED).exists()


CLEANED = (
    Referral,
    ChronologyEntry,
    Decision,
    Letter,
    Meeting,
    AgendaItem,
    Review,
    Participant,
    Conversation,
    KeyPracticeEpisode,
    Finding,
    Outline,
    OutlineResponse,
    ReviewOutcome,
    Recommendation,
    Action,
    ActionUpdate,
    DisseminationItem,
    Briefing,
    LibraryEntry,
    CaseReview,
    User,
)


# Fields the services leave empty that `full_clean` would call blank: a referral's date of
# submission before the line manager recommends it; a briefing's restorations and additions.
NOT_BLANK_BUT_EMPTY: dict[type[models.Model], tuple[str, ...]] = {
    Referral: ("date_submitted",),
    Briefing: ("keep", "extra"),
}


@pytest.mark.parametrize("model", CLEANED, ids=lambda m: m.__name__)
def test_records_pass_the_models_own_validation(
    generated: dict[str, int], model: type[models.Model]
) -> None:
    rows = list(model._default_manager.all()[:40])
    assert rows
    for row in rows:
        # The services write empty lists there too (the models lack blank=True).
        row.full_clean(exclude=NOT_BLANK_BUT_EMPTY.get(model, ()))


def test_records_pass_the_services_own_checks(generated: dict[str, int]) -> None:
    for referral in Referral.objects.exclude(status__in=EDITABLE):
        assert incomplete_sections(referral) == [], referral.pk
    for referral in Referral.objects.filter(
        status__in=EDITABLE, organisation__name__contains="Council"
    ):
        assert referral.worker_signed_on is None
    for outcome in ReviewOutcome.objects.filter(status=ReviewOutcome.Status.CLOSED):
        review = outcome.review
        outcome.status = ReviewOutcome.Status.CONFIRMED  # as it stood when the chair closed it
        assert (
            close_blockers(outcome, list(review.actions.all()), list(review.dissemination.all()))
            == []
        )
        assert review.status == Review.Status.CLOSED
    for review in Review.objects.filter(
        status__in=[Review.Status.READY, Review.Status.PRESENTED, Review.Status.CLOSED]
    ):
        assert review.reports.exists()
        assert review.findings.exists()
    for briefing in Briefing.objects.filter(status=Briefing.Status.RELEASED):
        assert briefing.approved_by_id != briefing.created_by_id
        assert LibraryEntry.objects.filter(briefing=briefing).exists()
        assert briefing.review.referral.child_name not in " ".join(briefing.redacted.values())
    for entry in LibraryEntry.objects.all():
        assert entry.tags.startswith(" ground:") and entry.tags.endswith(" ")
    # The next meeting's agenda was assembled by the group's own service.
    assert AgendaItem.objects.filter(meeting__status=Meeting.Status.PLANNED).exists()


def test_pages_open_for_the_generated_people(generated: dict[str, int]) -> None:
    client = Client()
    client.force_login(User.objects.get(username="n01-servicemanager"))
    assert client.get(reverse("home")).status_code == 200
    for status in Status:
        referral = (
            Referral.objects.filter(status=status, organisation__name__contains="Council")
            .exclude(organisation__name__contains="(demo)")
            .first()
        )
        assert referral is not None, status
        client.force_login(User.objects.get(username="n01-auditor"))
        assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 200
    client.force_login(User.objects.get(username="n01-leadreviewer"))
    assert client.get(reverse("home")).status_code == 200


def test_a_second_run_into_the_same_database_is_refused(generated: dict[str, int]) -> None:
    with pytest.raises(CommandError, match="already in this database"):
        call_command("generate_national_data", "--scale", str(SCALE))
