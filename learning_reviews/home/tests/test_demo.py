"""`manage.py load_demo`: the fictional demo organisation that `make run` loads.

Loading the demo takes seconds, so the tests of what it loaded (`TestTheLoadedDemo`) share
one load, rolled back after the last of them; each runs in a savepoint rolled back after it,
so none sees another's changes (see `built_once`). The tests of a load that is refused, or
that must commit, load on their own.
"""

import datetime
import io
from collections.abc import Iterator

import pytest
from django.contrib.auth import authenticate
from django.core.management import CommandError, call_command
from django.test import RequestFactory, override_settings
from django.urls import reverse
from django.utils import timezone

from learning_reviews.accounts.models import Membership, Organisation, Role, User
from learning_reviews.accounts.selectors_timescales import organisation_holidays
from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.models import OutgoingEmail
from learning_reviews.core.working_days import working_days_between
from learning_reviews.home.demo import DEMO_ORGANISATION, DEMO_USERS, OTHER_ORGANISATION
from learning_reviews.home.key_pages import KEYS, key_pages
from learning_reviews.improvement_group.models import Letter
from learning_reviews.outcomes.models import Action, DisseminationItem
from learning_reviews.referrals.models import Ground, IdentifiedAt, Referral, Status
from learning_reviews.referrals.sections import incomplete_sections
from learning_reviews.referrals.selectors import referrals_visible_to, tasks_for
from learning_reviews.referrals.tests.built_once import built_once
from learning_reviews.reviews.models import Finding, KeyPracticeEpisode, Review
from learning_reviews.triage.models import CaseReview, Kind, ReviewType
from learning_reviews.triage.selectors import case_reviews_visible_to

pytestmark = pytest.mark.django_db

# The people the brief for the demo names; DEMO_USERS may add more, never fewer.
NAMED_USERNAMES = {
    "worker",
    "linemanager",
    "servicemanager",
    "cfcigchair",
    "cfcigmember",
    "leadreviewer",
    "participant",
    "admin",
    "auditor",
    "outsider",
    "outsiderlm",
}


def run_load_demo() -> str:
    out = io.StringIO()
    call_command("load_demo", stdout=out)
    return out.getvalue()


@pytest.fixture(scope="class")
def first_load_output(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[str]:
    """The demo, loaded once for the class (with PORT=8123), and what that first load printed;
    rolled back after the class's last test (see `built_once`)."""

    def load() -> str:
        with (
            pytest.MonkeyPatch.context() as env,
            # As the autouse `_private_media` does for a single test.
            override_settings(MEDIA_ROOT=tmp_path_factory.mktemp("demo-media")),
        ):
            env.setenv("PORT", "8123")
            return run_load_demo()

    yield from built_once(django_db_blocker, load)


@pytest.fixture
def demo_output(first_load_output) -> str:
    return first_load_output


@pytest.fixture
def demo_referrals(demo_output):
    return Referral.objects.filter(organisation__name=DEMO_ORGANISATION)


class TestTheLoadedDemo:
    """What one load of the demo creates and prints (see `first_load_output`)."""

    def test_every_listed_user_signs_in_with_the_demo_password(self, demo_output, settings):
        assert {u.username for u in DEMO_USERS} >= NAMED_USERNAMES
        for spec in DEMO_USERS:
            # django-axes, first of the backends, needs the request.
            request = RequestFactory().post("/sign-in/")
            user = authenticate(request, username=spec.username, password=settings.DEMO_PASSWORD)
            assert user is not None, spec.username
            assert user.organisation.name == spec.organisation
            assert user.email == f"{spec.username}@example.org"
            assert user.full_name and user.job_title

    def test_every_role_is_held_by_someone_in_the_demo_organisation(self, demo_output):
        roles = set(
            Membership.objects.filter(organisation__name=DEMO_ORGANISATION).values_list(
                "role", flat=True
            )
        )
        assert roles == set(Role.values)

    def test_the_fostering_team_has_a_worker_and_a_line_manager_besides_the_participant(
        self, demo_output
    ):
        fostering = Membership.objects.filter(
            organisation__name=DEMO_ORGANISATION, team__name="Fostering Team"
        )
        workers = set(fostering.filter(role=Role.WORKER).values_list("user__username", flat=True))
        assert "participant" in workers and len(workers) >= 2
        assert fostering.filter(role=Role.LINE_MANAGER).exists()
        assert Referral.objects.filter(team__name="Fostering Team").exists()

    def test_the_demo_organisation_has_a_referral_at_every_status(self, demo_referrals):
        assert set(demo_referrals.values_list("status", flat=True)) == set(Status.values)

    def test_one_draft_is_complete_and_one_barely_started(self, demo_referrals):
        missing = sorted(
            len(incomplete_sections(r)) for r in demo_referrals.filter(status=Status.DRAFT)
        )
        assert missing[0] == 0
        assert missing[-1] >= 5

    def test_referrals_use_every_ground_and_every_place_identified(self, demo_referrals):
        grounds = {g for r in demo_referrals for g in r.grounds}
        assert grounds == set(Ground.values)
        assert any(len(r.grounds) == 2 for r in demo_referrals)
        places = set(demo_referrals.values_list("identified_at", flat=True))
        assert places == set(IdentifiedAt.values)
        assert all(
            r.identified_at_other for r in demo_referrals if r.identified_at == IdentifiedAt.OTHER
        )

    def test_the_worker_line_manager_and_service_manager_each_have_tasks_waiting(self, demo_output):
        def waiting(username):
            return {t.referral.status for t in tasks_for(User.objects.get(username=username))}

        assert {Status.DRAFT, Status.DISCUSSED} <= waiting("worker")
        assert Status.SIGNED_BY_WORKER in waiting("linemanager")
        assert Status.WITH_SERVICE_MANAGER in waiting("servicemanager")

    def test_the_service_managers_decisions_are_one_overdue_and_one_due_soon(
        self, demo_output, client
    ):
        client.force_login(User.objects.get(username="servicemanager"))
        html = client.get(reverse("home")).content.decode()
        assert '<strong class="govuk-tag govuk-tag--red">3 working days overdue</strong>' in html
        assert '<strong class="govuk-tag govuk-tag--yellow">Due in 2 working days</strong>' in html
        assert html.index("3 working days overdue") < html.index("Due in 2 working days")

    def test_the_history_spans_more_than_a_year_of_both_teams_and_reaches_every_step(
        self, demo_referrals
    ):
        today = timezone.localdate()
        started = [timezone.localdate(r.created_on) for r in demo_referrals]
        assert (today - min(started)).days > 365
        # The last twelve months hold most of it, so the dashboards' default period has figures.
        year = [d for d in started if (today - d).days <= 365]
        assert len(year) >= 30
        teams = set(demo_referrals.values_list("team__name", flat=True))
        assert teams == {"Central Locality Team", "Fostering Team"}
        past = demo_referrals.filter(created_on__date__lt=today - datetime.timedelta(days=60))
        # Every step of the funnel, reached by some of the referrals older than two months.
        assert past.filter(worker_signed_on__isnull=False).count() >= 25
        assert past.filter(status=Status.NOT_AGREED).count() >= 5
        assert past.filter(decision__proceed=False).count() >= 5
        assert past.filter(decision__letter__sent_on__isnull=False).count() >= 15
        reviews = Review.objects.filter(referral__in=past)
        assert reviews.count() >= 10
        assert reviews.filter(presented_on__isnull=False).count() >= 7
        assert reviews.filter(closed_on__isnull=False).count() >= 3
        # Reviews presented in two calendar years, for the themes by year.
        years = {
            d.year
            for d in reviews.exclude(presented_on=None).values_list("presented_on", flat=True)
        }
        assert len(years) >= 2

    def test_the_history_was_dated_back_in_order_with_some_stages_late(self, demo_referrals):
        holidays = organisation_holidays(demo_referrals.first().organisation_id)
        decided = demo_referrals.filter(service_manager_decided_on__isnull=False)
        late = 0
        for r in decided.filter(created_on__date__lt=timezone.localdate() - datetime.timedelta(60)):
            assert r.created_on < r.worker_signed_on < r.line_manager_signed_on
            assert r.line_manager_signed_on < r.service_manager_decided_on
            took = working_days_between(
                timezone.localdate(r.line_manager_signed_on),
                timezone.localdate(r.service_manager_decided_on),
                holidays,
            )
            late += took > 10
        assert late >= 3
        letters = Letter.objects.filter(
            decision__referral__in=demo_referrals, sent_on__isnull=False
        )
        assert all(
            letter.sent_on >= letter.decision.confirmed_on
            for letter in letters.select_related("decision")
        )

    def test_the_history_s_reviews_have_themes_and_what_came_of_them(self, demo_referrals):
        presented = Review.objects.filter(referral__in=demo_referrals, presented_on__isnull=False)
        episodes = KeyPracticeEpisode.objects.filter(review__in=presented)
        categories = {c for e in episodes for c in e.factors}
        assert len(categories) >= 6
        assert episodes.exclude(sub_factors="").exists()
        assert {"good", "problematic"} <= set(episodes.values_list("assessment", flat=True))
        patterns = set(
            Finding.objects.filter(review__in=presented).values_list("pattern", flat=True)
        )
        assert len(patterns - {""}) >= 3
        actions = Action.objects.filter(review__in=presented)
        assert actions.filter(status=Action.Status.ACHIEVED).exists()
        assert actions.filter(status=Action.Status.NOT_ACHIEVED).exists()
        today = timezone.localdate()
        assert actions.filter(status__in=Action.OPEN_STATUSES, due_on__lt=today).exists()
        assert DisseminationItem.objects.filter(
            review__in=presented, done_on__isnull=False
        ).exists()

    def test_outsider_sees_none_of_the_demo_organisations_referrals(self, demo_referrals):
        outsider = User.objects.get(username="outsider")
        visible = referrals_visible_to(outsider)
        assert demo_referrals.exists()
        assert not visible.filter(organisation__name=DEMO_ORGANISATION).exists()
        assert visible.filter(organisation__name=OTHER_ORGANISATION).count() == 1

    def test_the_demo_has_appendix_1s_review_types_and_cases_routed_to_three_of_them(
        self, demo_output
    ):
        types = ReviewType.objects.filter(organisation__name=DEMO_ORGANISATION)
        assert sorted(types.values_list("kind", flat=True)) == sorted(Kind.values)
        routed = CaseReview.objects.filter(organisation__name=DEMO_ORGANISATION)
        assert set(routed.values_list("review_type__kind", flat=True)) == {
            Kind.CPR_CASE_REVIEW,
            Kind.DISRUPTION_REVIEW,
            Kind.STRUCTURED_DEBRIEF,
        }
        assert set(routed.values_list("status", flat=True)) == set(CaseReview.Status.values)
        assert not set(routed.values_list("child_name", flat=True)) & set(
            Referral.objects.values_list("child_name", flat=True)
        )
        for case_review in routed:
            assert case_review.contact == case_review.review_type.contact
            assert AuditEvent.objects.filter(
                action="case_review.routed", record_id=str(case_review.pk)
            ).exists()

    def test_the_demo_council_has_local_holidays_past_and_to_come(self, demo_output):
        demo = Organisation.objects.get(name=DEMO_ORGANISATION)
        days = organisation_holidays(demo.pk)
        today = timezone.localdate()
        assert len(days) == 6 and all(day.weekday() == 0 for day in days)
        assert any(day < today for day in days) and any(day > today for day in days)
        assert AuditEvent.objects.filter(action="organisation.local_holiday_added").count() == 6

    def test_routed_cases_are_seen_only_by_those_the_register_allows(self, demo_output):
        def children(username):
            user = User.objects.get(username=username)
            return set(case_reviews_visible_to(user).values_list("child_name", flat=True))

        assert children("worker") == {"Kai Mathieson"}
        assert children("linemanager") == {"Kai Mathieson", "Lewis Ogilvie"}
        assert children("fosteringlm") == {"Mia Gallacher"}
        assert children("participant") == set()
        assert children("outsider") == set()
        assert len(children("servicemanager")) == 3

    def test_a_second_run_changes_nothing_and_still_prints_how_to_sign_in(self, demo_output):
        def counts():
            models = (Organisation, User, Membership, Referral, ReviewType, CaseReview, AuditEvent)
            return [m.objects.count() for m in models]

        before = counts()
        again = run_load_demo()
        assert counts() == before
        assert Organisation.objects.filter(name=DEMO_ORGANISATION).count() == 1
        assert "already loaded" in again
        assert "learning-review-demo" in again

    def test_the_printout_gives_the_address_password_and_every_username(
        self, demo_output, settings
    ):
        assert "Loaded" in demo_output
        assert "http://127.0.0.1:8123/" in demo_output
        assert settings.DEMO_PASSWORD in demo_output
        for spec in DEMO_USERS:
            assert f"  {spec.username} " in demo_output

    def test_the_address_uses_port_8000_when_port_is_not_set(self, demo_output, monkeypatch):
        monkeypatch.delenv("PORT", raising=False)
        assert "http://127.0.0.1:8000/" in run_load_demo()

    def test_every_key_page_of_the_benchmark_is_found_in_the_demo_and_opens_for_its_reader(
        self, demo_output, client, django_assert_num_queries
    ):
        demo = Organisation.objects.get(name=DEMO_ORGANISATION)
        with django_assert_num_queries(6):
            pages = key_pages(demo)
        assert [page.key for page in pages] == list(KEYS)
        for page in pages:
            client.force_login(User.objects.get(username=page.username))
            assert client.get(page.url).status_code == 200, page.key


def test_refused_under_production_settings(settings):
    settings.ALLOW_DEMO_PASSWORD = False
    with pytest.raises(CommandError, match="production settings"):
        run_load_demo()
    assert not Organisation.objects.exists()
    assert not User.objects.exists()


def test_a_username_already_taken_stops_the_load_with_a_clear_message():
    council = Organisation.objects.create(name="A Real Council")
    User.objects.create_user(
        username="admin", password="a-real-admin-password", organisation=council
    )
    with pytest.raises(CommandError, match="usernames admin are taken"):
        run_load_demo()
    assert not Organisation.objects.filter(name=DEMO_ORGANISATION).exists()


@pytest.mark.django_db(transaction=True)
def test_loading_sends_no_email_to_the_fictional_people(mailoutbox):
    # Transactional, so the load's own transaction commits and its e-mails would be sent.
    run_load_demo()
    assert Referral.objects.exists()
    assert mailoutbox == []
    assert not OutgoingEmail.objects.exists(), "nothing is left in the outbox for the worker"
