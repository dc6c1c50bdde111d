"""The permission matrix: every URL of the service, in every namespace, says who may open it.

The URLs are found by walking the whole URLconf, so a URL added without an entry in `MATRIX`
fails `test_every_url_has_an_entry_in_the_matrix`, and an entry whose URL has gone fails it too.
Then, for every URL:

- signed out, it sends the person to sign in (unless it is one of the public pages);
- for a page of one record (a referral, a review, a meeting, a triage, a case review, a review
  type, a person, a team), someone of another organisation who holds every role there gets 404
  for GET and POST alike, and nothing is changed or written to the audit trail;
- for a page of a role (the administrator's, the improvement group's), a worker gets 404.

What each record's own people may do is tested beside each app (`referrals/tests/test_scoping`,
`reviews/tests/test_accuracy_check_participant_scope`, …); this is the net under all of them.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from conftest import build_people, make_user, url_routes
from learning_reviews.accounts.models import LocalHoliday, Role, Team, User
from learning_reviews.audit.models import AuditEvent
from learning_reviews.improvement_group import services as group_services
from learning_reviews.improvement_group.models import LetterTemplate
from learning_reviews.improvement_group.testing import referral_at
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.tests.built_once import built_once
from learning_reviews.reviews.models import Review
from learning_reviews.triage import services as triage_services
from learning_reviews.triage.models import ReviewType
from learning_reviews.triage.rules import QUESTIONS

PUBLIC = "public"  # open to anyone, signed in or not
SIGNED_IN = "signed in"  # anyone signed in; what it lists is scoped to them
ADMIN = "administrator"  # the organisation's administrators; 404 for anyone else
GROUP = "improvement group"  # the group's members and chair; 404 otherwise (docs/security.md)
AUDITOR = "auditor"  # the auditors (subject access, exports and downloads); 404 otherwise
# A page of one record: 404 for anyone who may not see that record.
REFERRAL, REVIEW, MEETING, TRIAGE, CASE_REVIEW, REVIEW_TYPE, PERSON, TEAM = (
    "referral",
    "review",
    "meeting",
    "triage",
    "case review",
    "review type",
    "person",
    "team",
)
# What came of a review (§3 step 6, §4): the presented review's outcome pages and their records.
OUTCOME, RECOMMENDATION, ACTION, BRIEFING, LIBRARY_ENTRY = (
    "outcome",
    "recommendation",
    "action",
    "briefing",
    "library entry",
)
LOCAL_HOLIDAY = "local holiday"  # one of the organisation's own days off
RECORDS = (
    LOCAL_HOLIDAY,
    REFERRAL,
    REVIEW,
    MEETING,
    TRIAGE,
    CASE_REVIEW,
    REVIEW_TYPE,
    PERSON,
    TEAM,
    OUTCOME,
    RECOMMENDATION,
    ACTION,
    BRIEFING,
    LIBRARY_ENTRY,
)


@dataclass(frozen=True)
class Entry:
    door: str
    methods: frozenset[str] = frozenset({"GET", "POST"})
    public_status: int = 200  # what a public page answers to a bare GET


GET_ONLY = frozenset({"GET"})
POST_ONLY = frozenset({"POST"})

MATRIX: dict[str, Entry] = {
    # Signing in, health and the protocol.
    "login": Entry(PUBLIC),
    "healthz": Entry(PUBLIC, GET_ONLY),
    "readyz": Entry(PUBLIC, GET_ONLY),
    # For Prometheus, with a token in the Authorization header; 404 for anyone without it.
    "metrics": Entry(PUBLIC, GET_ONLY, public_status=404),
    "logout": Entry(SIGNED_IN, POST_ONLY),
    "two_factor_verify": Entry(SIGNED_IN),
    "password_forgotten": Entry(PUBLIC),
    "password_reset_sent": Entry(PUBLIC, GET_ONLY),
    "password_reset_confirm": Entry(PUBLIC),
    "password_new": Entry(PUBLIC),
    "password_done": Entry(PUBLIC, GET_ONLY),
    # Your account: password and two factors.
    "account": Entry(SIGNED_IN, GET_ONLY),
    "password_change": Entry(SIGNED_IN),
    "two_factor_enrol": Entry(SIGNED_IN),
    "two_factor_backup_codes": Entry(SIGNED_IN, POST_ONLY),
    "two_factor_remove": Entry(SIGNED_IN, POST_ONLY),
    "account_calendar": Entry(SIGNED_IN),
    "account_reminders": Entry(SIGNED_IN),
    # A private calendar feed: its secret is in the address, no session; a bad one is 404.
    "calendar_feed": Entry(PUBLIC, GET_ONLY, public_status=404),
    "single_sign_on:start": Entry(PUBLIC),
    # Without the state of a sign-in under way: "Your sign-in has timed out".
    "single_sign_on:callback": Entry(PUBLIC, GET_ONLY, public_status=400),
    "single_sign_on:manage": Entry(ADMIN),
    "home": Entry(SIGNED_IN, GET_ONLY),
    "pathway": Entry(SIGNED_IN, GET_ONLY),
    "protocol": Entry(SIGNED_IN, GET_ONLY),
    "protocol_pdf": Entry(SIGNED_IN, GET_ONLY),
    # Who downloaded which file, and when (the audit trail's downloads).
    "audit_downloads": Entry(AUDITOR, GET_ONLY),
    # Referrals (§3 steps 0–3, Appendix 3).
    "referrals:list": Entry(SIGNED_IN, GET_ONLY),
    "referrals:start": Entry(SIGNED_IN),
    "referrals:supervision_notes": Entry(SIGNED_IN, GET_ONLY),
    "referrals:detail": Entry(REFERRAL, GET_ONLY),
    "referrals:history": Entry(REFERRAL, GET_ONLY),
    "referrals:form": Entry(REFERRAL, GET_ONLY),
    "referrals:form_pdf": Entry(REFERRAL, GET_ONLY),
    "referrals:section": Entry(REFERRAL),
    "referrals:check": Entry(REFERRAL),
    "referrals:childs_plan": Entry(REFERRAL, GET_ONLY),
    "referrals:supervision": Entry(REFERRAL),
    "referrals:return": Entry(REFERRAL),
    "referrals:recommend": Entry(REFERRAL),
    "referrals:decision": Entry(REFERRAL),
    "referrals:due_date": Entry(REFERRAL),
    # The administrator's pages.
    "manage:home": Entry(ADMIN, GET_ONLY),
    "manage:user_list": Entry(ADMIN, GET_ONLY),
    "manage:user_add": Entry(ADMIN),
    "manage:user_detail": Entry(PERSON, GET_ONLY),
    "manage:user_edit": Entry(PERSON),
    "manage:user_deactivate": Entry(PERSON, POST_ONLY),
    "manage:user_reactivate": Entry(PERSON, POST_ONLY),
    "manage:user_two_factor_reset": Entry(PERSON, POST_ONLY),
    "manage:role_add": Entry(PERSON, POST_ONLY),
    "manage:role_remove": Entry(PERSON, POST_ONLY),
    "manage:team_list": Entry(ADMIN, GET_ONLY),
    "manage:team_add": Entry(ADMIN, POST_ONLY),
    "manage:team_rename": Entry(TEAM),
    "manage:team_archive": Entry(TEAM, POST_ONLY),
    "manage:team_restore": Entry(TEAM, POST_ONLY),
    "manage:settings": Entry(ADMIN),
    "manage:timescales": Entry(ADMIN),
    "manage:local_holiday_list": Entry(ADMIN, GET_ONLY),
    "manage:local_holiday_add": Entry(ADMIN, POST_ONLY),
    "manage:local_holiday_remove": Entry(LOCAL_HOLIDAY, POST_ONLY),
    "manage:email_list": Entry(ADMIN, GET_ONLY),
    # Another organisation's e-mail is 404 too: accounts/tests/test_manage_emails.py.
    "manage:email_send_again": Entry(ADMIN, POST_ONLY),
    "triage:review_types": Entry(ADMIN),
    "triage:review_type_edit": Entry(REVIEW_TYPE),
    "group:letter_templates": Entry(ADMIN, GET_ONLY),
    "group:letter_template_edit": Entry(ADMIN),
    # Which review fits? (Appendix 1) and the register.
    "triage:start": Entry(SIGNED_IN),
    "triage:check": Entry(TRIAGE),
    "triage:result": Entry(TRIAGE),
    "triage:start_referral": Entry(TRIAGE, POST_ONLY),
    "triage:route": Entry(TRIAGE),
    "triage:question": Entry(TRIAGE),
    "triage:register": Entry(SIGNED_IN, GET_ONLY),
    "triage:record": Entry(SIGNED_IN),
    "triage:case_review": Entry(CASE_REVIEW),
    # The improvement group (§3.4, §4).
    "group:meetings": Entry(GROUP, GET_ONLY),
    "group:meeting_new": Entry(GROUP),
    "group:meeting": Entry(MEETING, GET_ONLY),
    "group:meeting_agenda": Entry(MEETING, POST_ONLY),
    "group:agenda_item": Entry(MEETING),
    "group:meeting_close": Entry(MEETING, POST_ONLY),
    "group:minutes_pdf": Entry(MEETING, GET_ONLY),
    "group:decision": Entry(REFERRAL, GET_ONLY),
    "group:decision_record": Entry(REFERRAL),
    "group:decision_confirm": Entry(REFERRAL, POST_ONLY),
    "group:letter": Entry(REFERRAL),
    "group:letter_send": Entry(REFERRAL, POST_ONLY),
    "group:letter_pdf": Entry(REFERRAL, GET_ONLY),
    "group:letter_docx": Entry(REFERRAL, GET_ONLY),
    "group:further_action": Entry(REFERRAL),
    "group:further_action_complete": Entry(REFERRAL),
    # The Learning Review and the lead reviewer's workspace (§3.5, §5, Appendix 4).
    "reviews:list": Entry(SIGNED_IN, GET_ONLY),
    "reviews:my_participation": Entry(SIGNED_IN, GET_ONLY),
    "reviews:detail": Entry(REVIEW, GET_ONLY),
    "reviews:review_workspace": Entry(REVIEW, GET_ONLY),
    "reviews:review_step": Entry(REVIEW, POST_ONLY),
    "reviews:review_objectives": Entry(REVIEW),
    "reviews:review_participants": Entry(REVIEW),
    "reviews:review_participants_confirm": Entry(REVIEW),
    "reviews:review_participant_edit": Entry(REVIEW),
    "reviews:review_participant_remove": Entry(REVIEW, POST_ONLY),
    "reviews:review_participant_letter": Entry(REVIEW, GET_ONLY),
    "reviews:review_case_files": Entry(REVIEW),
    "reviews:review_case_file_remove": Entry(REVIEW, POST_ONLY),
    "reviews:review_format": Entry(REVIEW),
    "reviews:review_session_remove": Entry(REVIEW, POST_ONLY),
    "reviews:review_conversations": Entry(REVIEW, GET_ONLY),
    "reviews:review_conversation": Entry(REVIEW),
    "reviews:review_collated": Entry(REVIEW, GET_ONLY),
    "reviews:review_my_conversation": Entry(REVIEW),
    "reviews:review_chronology": Entry(REVIEW),
    "reviews:review_timeline": Entry(REVIEW, GET_ONLY),
    "reviews:review_episodes": Entry(REVIEW, GET_ONLY),
    "reviews:review_episode_add": Entry(REVIEW),
    "reviews:review_episode": Entry(REVIEW),
    "reviews:review_sources": Entry(REVIEW),
    "reviews:review_source_file": Entry(REVIEW, GET_ONLY),
    "reviews:review_findings": Entry(REVIEW, GET_ONLY),
    "reviews:review_finding_add": Entry(REVIEW),
    "reviews:review_finding": Entry(REVIEW),
    "reviews:review_accuracy_check": Entry(REVIEW, GET_ONLY),
    "reviews:review_accuracy_check_share": Entry(REVIEW, POST_ONLY),
    "reviews:review_accuracy_check_revise": Entry(REVIEW, POST_ONLY),
    "reviews:review_accuracy_check_close": Entry(REVIEW, POST_ONLY),
    "reviews:review_accuracy_check_due": Entry(REVIEW),
    "reviews:review_accuracy_check_outline": Entry(REVIEW, GET_ONLY),
    "reviews:review_my_accuracy_check": Entry(REVIEW),
    "reviews:review_report": Entry(REVIEW, GET_ONLY),
    "reviews:review_report_generate": Entry(REVIEW, POST_ONLY),
    "reviews:review_report_upload": Entry(REVIEW, POST_ONLY),
    "reviews:review_report_ready": Entry(REVIEW, POST_ONLY),
    "reviews:review_report_docx": Entry(REVIEW, GET_ONLY),
    "reviews:review_report_pdf": Entry(REVIEW, GET_ONLY),
    # From findings to change (§3 step 6, §4) and the learning library.
    "outcomes:review": Entry(OUTCOME, GET_ONLY),
    "outcomes:recommendations": Entry(OUTCOME),
    "outcomes:recommendations_confirm": Entry(OUTCOME, POST_ONLY),
    "outcomes:recommendation_edit": Entry(RECOMMENDATION),
    "outcomes:recommendation_remove": Entry(RECOMMENDATION),
    "outcomes:action_plan": Entry(OUTCOME, GET_ONLY),
    "outcomes:action_plan_xlsx": Entry(OUTCOME, GET_ONLY),
    "outcomes:action_plan_pdf": Entry(OUTCOME, GET_ONLY),
    "outcomes:action_new": Entry(RECOMMENDATION),
    "outcomes:action": Entry(ACTION, GET_ONLY),
    "outcomes:action_edit": Entry(ACTION),
    "outcomes:action_update": Entry(ACTION, POST_ONLY),
    "outcomes:action_outcome": Entry(ACTION, POST_ONLY),
    "outcomes:action_evidence": Entry(ACTION, GET_ONLY),
    "outcomes:monitoring": Entry(OUTCOME),
    "outcomes:dissemination": Entry(OUTCOME),
    "outcomes:tell": Entry(OUTCOME),
    "outcomes:close": Entry(OUTCOME),
    "outcomes:briefing_start": Entry(OUTCOME, POST_ONLY),
    "outcomes:briefing": Entry(BRIEFING),
    "outcomes:briefing_submit": Entry(BRIEFING, POST_ONLY),
    "outcomes:briefing_approve": Entry(BRIEFING, POST_ONLY),
    "outcomes:briefing_return": Entry(BRIEFING, POST_ONLY),
    "outcomes:briefing_pdf": Entry(BRIEFING, GET_ONLY),
    "outcomes:library": Entry(SIGNED_IN, GET_ONLY),
    # Dashboards (issue 11): aggregates for the Service Manager, the group and the auditor; a
    # worker gets 404, as from the group's pages.
    "insights:dashboard": Entry(GROUP, GET_ONLY),
    "insights:funnel_csv": Entry(GROUP, GET_ONLY),
    "insights:grounds_csv": Entry(GROUP, GET_ONLY),
    "insights:decisions_csv": Entry(GROUP, GET_ONLY),
    "insights:xlsx": Entry(GROUP, GET_ONLY),
    "insights:themes": Entry(GROUP, GET_ONLY),
    "insights:themes_heatmap_csv": Entry(GROUP, GET_ONLY),
    "insights:themes_sub_factors_csv": Entry(GROUP, GET_ONLY),
    "insights:themes_patterns_csv": Entry(GROUP, GET_ONLY),
    "insights:themes_episodes_csv": Entry(GROUP, GET_ONLY),
    "insights:themes_xlsx": Entry(GROUP, GET_ONLY),
    "insights:summary_pdf": Entry(GROUP, GET_ONLY),
    "outcomes:library_entry": Entry(LIBRARY_ENTRY, GET_ONLY),
    "outcomes:themes": Entry(SIGNED_IN, GET_ONLY),
    # Timeliness, outcomes and the cases routed elsewhere (issue 11): as the dashboards above.
    "insights:timeliness": Entry(GROUP, GET_ONLY),
    "insights:timeliness_csv": Entry(GROUP, GET_ONLY),
    "insights:oldest_csv": Entry(GROUP, GET_ONLY),
    "insights:timeliness_xlsx": Entry(GROUP, GET_ONLY),
    "insights:outcomes": Entry(GROUP, GET_ONLY),
    "insights:outcomes_csv": Entry(GROUP, GET_ONLY),
    "insights:dissemination_csv": Entry(GROUP, GET_ONLY),
    "insights:outcomes_xlsx": Entry(GROUP, GET_ONLY),
    "insights:register": Entry(GROUP, GET_ONLY),
    "insights:register_csv": Entry(GROUP, GET_ONLY),
    "insights:register_xlsx": Entry(GROUP, GET_ONLY),
    # Data protection (issue 12): the retention schedule under Manage, and subject access.
    "retention:schedule": Entry(ADMIN),
    "retention:subject_access": Entry(AUDITOR, GET_ONLY),
    "retention:subject_access_export": Entry(AUDITOR, POST_ONLY),
}


ROUTES: list[tuple[str, str]] = sorted(set(url_routes()))


def test_every_url_has_an_entry_in_the_matrix():
    names = {name for name, _route in ROUTES}
    assert sorted(names - set(MATRIX)) == [], "URLs without an entry in MATRIX"
    assert sorted(set(MATRIX) - names) == [], "entries in MATRIX for URLs that no longer exist"


def test_the_walk_sees_every_namespace():
    namespaces = {name.split(":")[0] for name, _route in ROUTES if ":" in name}
    assert namespaces == {
        "referrals",
        "manage",
        "triage",
        "group",
        "reviews",
        "outcomes",
        "insights",
        "single_sign_on",
        "retention",
    }


# Values for the other parts of a route that name something real, so that a 404 comes from the
# door, not from a part that does not exist. The record's own pk comes from the record.
_SLUGS = {
    "referrals:section": "about",
    "triage:question": QUESTIONS[0].key,
    "group:letter_template_edit": LetterTemplate.Kind.PROCEED.value,
}


def _url(route: str, name: str, pk: int | None) -> str:
    kwargs: dict[str, Any] = {}
    for part in route.split("<")[1:]:
        converter, _, key = part.split(">")[0].partition(":")
        if converter == "slug":
            kwargs[key] = _SLUGS[name]
        else:
            kwargs[key] = pk if key == "pk" and pk is not None else 1
    return reverse(name, kwargs=kwargs)


@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[f"{n} {r}" for n, r in ROUTES])
@pytest.mark.django_db
def test_signed_out_people_are_sent_to_sign_in(client, name, route):
    url = _url(route, name, pk=1)
    if MATRIX[name].door == PUBLIC:
        assert client.get(url).status_code == MATRIX[name].public_status
        return
    for method in sorted(MATRIX[name].methods):
        response = client.generic(method, url)
        assert response.status_code == 302, (method, url)
        assert response["Location"].startswith(reverse("login")), (method, url)


@dataclass(frozen=True)
class Built:
    worker: User  # a worker of `people.org`, who holds no other role
    stranger: User  # someone of another organisation who holds every role there
    records: dict[str, int]  # one record of every kind in `people.org`, by kind


def _build() -> Built:
    people = build_people()
    team = Team.objects.get(organisation=people.outsider_org)
    roles = [(role, team if role in (Role.WORKER, Role.LINE_MANAGER) else None) for role in Role]
    stranger = make_user(people.outsider_org, "stranger", "Sandy Stranger", *roles)
    cast = {
        "worker": people.worker,
        "line_manager": people.line_manager,
        "service_manager": people.service_manager,
        "team": people.team,
        "group_member": people.cfcig_member,
        "group_chair": people.cfcig_chair,
        "lead_reviewer": people.lead_reviewer,
    }
    referral = referral_at(Status.REVIEW_COMMISSIONED, **cast)
    referral_at(Status.AGREED, **cast)  # on the meeting's agenda
    meeting = group_services.meeting_create(
        by=people.cfcig_member,
        date=referral.status_changed_on.date(),
        place="Room 1",
        attendees=[people.cfcig_member, people.cfcig_chair],
    )
    triage = triage_services.triage_start(by=people.worker)
    triage_services.review_types_install_defaults(organisation=people.org, by=people.admin)
    review_type = (
        ReviewType.objects.filter(organisation=people.org).exclude(kind="learning_review").first()
    )
    assert review_type is not None
    case_review = triage_services.case_review_record(
        by=people.worker,
        review_type=review_type,
        child_name="Ellie Grant",
        swis_number="5512345",
        routed_on=referral.status_changed_on.date(),
        contact="",
        note="",
        team=people.team,
    )
    outcome = _outcome_records(people)
    records = {
        **outcome,
        REFERRAL: referral.pk,
        REVIEW: Review.objects.get(referral=referral).pk,
        MEETING: meeting.pk,
        TRIAGE: triage.pk,
        CASE_REVIEW: case_review.pk,
        REVIEW_TYPE: review_type.pk,
        PERSON: people.worker.pk,
        TEAM: people.team.pk,
        LOCAL_HOLIDAY: LocalHoliday.objects.create(
            organisation=people.org, date=datetime.date(2030, 9, 30), name="Autumn holiday"
        ).pk,
    }
    return Built(worker=people.worker, stranger=stranger, records=records)


def _outcome_records(people) -> dict[str, int]:
    """A closed review with a released briefing (so its library entries exist) and another
    presented one with a recommendation, an action and a draft briefing."""
    from learning_reviews.home.demo_outcomes import STAGES as OUTCOME_STAGES
    from learning_reviews.home.demo_reviews import demo_review
    from learning_reviews.home.tests.test_demo_reviews import _by_username
    from learning_reviews.outcomes import services_briefing
    from learning_reviews.outcomes.models import Action, LibraryEntry, Recommendation

    users = _by_username(people)
    reviews = []
    for _name, child, swis, stage in (OUTCOME_STAGES[0], OUTCOME_STAGES[-1]):
        review = demo_review(
            people.team, users, child=child, swis=swis, status=Review.Status.PRESENTED
        )
        stage(review, users, review.referral.status_changed_on.date())
        reviews.append(review)
    under_way = reviews[0]
    draft = services_briefing.briefing_start(review=under_way, by=people.lead_reviewer)
    return {
        OUTCOME: under_way.pk,
        RECOMMENDATION: Recommendation.objects.filter(review=under_way).first().pk,
        ACTION: Action.objects.filter(review=under_way).first().pk,
        BRIEFING: draft.pk,
        LIBRARY_ENTRY: LibraryEntry.objects.filter(review=reviews[1]).first().pk,
    }


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker) -> Iterator[Built]:
    """Built once for the module's tests; each test's changes are rolled back after it."""
    yield from built_once(django_db_blocker, _build)


RECORD_ROUTES = [(n, r) for n, r in ROUTES if MATRIX.get(n, Entry(SIGNED_IN)).door in RECORDS]


@pytest.mark.parametrize(
    ("name", "route"), RECORD_ROUTES, ids=[f"{n} {r}" for n, r in RECORD_ROUTES]
)
def test_someone_of_another_organisation_gets_404_from_every_record_url(
    db, client, built, name, route
):
    entry = MATRIX[name]
    url = _url(route, name, built.records[entry.door])
    referral_versions = dict(Referral.objects.values_list("pk", "version"))
    review_versions = dict(Review.objects.values_list("pk", "version"))
    events = AuditEvent.objects.count()
    client.force_login(built.stranger)

    for method in sorted(entry.methods):
        response = client.generic(method, url, {"confirm": "on", "version": 1})
        assert response.status_code == 404, (method, url, response.status_code)

    assert dict(Referral.objects.values_list("pk", "version")) == referral_versions
    assert dict(Review.objects.values_list("pk", "version")) == review_versions
    assert AuditEvent.objects.count() == events


ROLE_ROUTES = [
    (n, r) for n, r in ROUTES if MATRIX.get(n, Entry(SIGNED_IN)).door in (ADMIN, GROUP, AUDITOR)
]


@pytest.mark.parametrize(("name", "route"), ROLE_ROUTES, ids=[f"{n} {r}" for n, r in ROLE_ROUTES])
def test_a_worker_gets_404_from_the_pages_of_a_role_they_do_not_hold(
    db, client, built, name, route
):
    client.force_login(built.worker)
    url = _url(route, name, pk=None)
    for method in sorted(MATRIX[name].methods):
        assert client.generic(method, url).status_code == 404, (method, url)
