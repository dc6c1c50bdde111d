"""Least privilege (issue 10 §3): who may read what, over every URL of the service.

`READS` puts every URL of the URLconf under one row of the table "Who may read what" in
docs/security.md; `WHO` says which readers may open the pages of each row. The doc's table is
generated from `WHO` (`read_table()`), and a test checks that docs/security.md holds it word
for word, so the doc and the tests cannot drift apart. Then, for every URL and every reader:

- a reader the table lets in is not turned away: the page answers (never 404, never 500);
- a reader the table keeps out gets 404.

Each URL is requested with GET, or with POST where it answers only POST. What a reader may
change is narrower than what they read, and is tested beside each app (docs/security.md, "Who
may change what"); here the auditor, who may change nothing, posts to every URL.

The readers are the relationships of one case: the referring worker, their line manager, the
referral's Service Manager, a group member, the chair, the review's lead reviewer, a
participant in it, the owner of an action, a worker and a line manager of another team, the
administrator and the auditor. Each reader's requests run in a savepoint rolled back after it,
so no reader's POST changes what the next one sees.
"""

import datetime
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.urls import reverse

from conftest import build_people, make_user, url_routes
from learning_reviews.accounts.models import LocalHoliday, Role, User
from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.models import OutgoingEmail
from learning_reviews.referrals.tests.built_once import built_once

# The readers, as columns of the table: (key, heading).
READERS: tuple[tuple[str, str], ...] = (
    ("worker", "Referring worker"),
    ("line_manager", "Their line manager"),
    ("service_manager", "The referral's Service Manager"),
    ("group_member", "Group member"),
    ("chair", "Chair"),
    ("lead_reviewer", "The review's lead reviewer"),
    ("participant", "A participant in the review"),
    ("owner", "Owner of an action"),
    ("other_worker", "Worker in another team"),
    ("other_line_manager", "Line manager of another team"),
    ("administrator", "Administrator"),
    ("auditor", "Auditor"),
)
EVERYONE = frozenset(key for key, _ in READERS)
CASE = frozenset({"worker", "line_manager", "service_manager"})
GROUP = frozenset({"group_member", "chair"})
WORKSPACE = GROUP | {"lead_reviewer"}

# The rows: what a page shows, and who may open it. (A reader who holds several roles may
# read what each of them may.)
WHO: dict[str, frozenset[str]] = {
    "Signing in, the protocol, the pathway, Appendix 1's types of review and the learning "
    "library": EVERYONE,
    "Their own lists: my tasks, referrals, reviews, the register (each scoped to what they may "
    "read)": EVERYONE,
    "Starting a referral (those who hold the worker's role)": frozenset(
        {"worker", "participant", "owner", "other_worker"}
    ),
    "Answering “which review fits?” and recording a routed case": (
        EVERYONE - {"administrator", "auditor"}
    ),
    "A triage run: the answers to “which review fits?” (its author's own; here the "
    "worker's)": frozenset({"worker"}),
    "The child's details: the referral, its form, its Child's Plan and the group's decision": (
        CASE | GROUP | {"lead_reviewer", "auditor"}
    ),
    "The referral's history (each value as the table below says)": (
        CASE | GROUP | {"lead_reviewer", "auditor"}
    ),
    "The written feedback letter": CASE | GROUP,
    "Changing when a referral's stage is due (whoever manages the stage: here the written "
    "feedback's, the Service Manager and the chair)": frozenset({"service_manager", "chair"}),
    "Further action (§3.4b) and its progress": CASE | GROUP | {"owner", "auditor"},
    "A routed case on the register": CASE | GROUP | {"auditor"},
    "The group's meetings, agendas and minutes": GROUP,
    "A review's commission (in summary for the case's people and the auditor)": (
        CASE | WORKSPACE | {"auditor"}
    ),
    "The case group, which the Service Manager agrees (§5)": WORKSPACE | {"service_manager"},
    "The review's workspace: participants, case files, conversations, chronology, episodes, "
    "findings, the accuracy check and the draft report": WORKSPACE,
    "A participant's own conversation and their own accuracy check": frozenset({"participant"}),
    "Changing the date the case group responds to the outline by": frozenset({"lead_reviewer"}),
    "The group's recommendations on the findings (§3 step 6)": WORKSPACE,
    "The action plan, an action and its progress, monitoring and dissemination": (
        WORKSPACE | {"owner"}
    ),
    "A draft learning briefing": frozenset({"lead_reviewer"}),
    "Insights: dashboards of the whole service (counts, and open items by reference only; "
    "no child named)": (GROUP | {"service_manager", "auditor"}),
    "People, teams, roles, settings, review types and letter wording": frozenset({"administrator"}),
    "A subject access request: every referral and register case naming a child, and the export "
    "of all held about them": frozenset({"auditor"}),
    "Exports and downloads: who downloaded which file, and when": frozenset({"auditor"}),
}
(
    OPEN,
    LISTS,
    START,
    CASEWORK,
    TRIAGE,
    REFERRAL,
    HISTORY,
    LETTER,
    DUE_DATE,
    FURTHER_ACTION,
    CASE_REVIEW,
    MEETINGS,
    COMMISSION,
    CASE_GROUP,
    WORKSPACE_ROW,
    OWN_PART,
    RESPOND_BY,
    RECOMMENDATIONS,
    OUTCOMES,
    DRAFT_BRIEFING,
    DASHBOARDS,
    MANAGE,
    SUBJECT_ACCESS,
    DOWNLOADS,
) = WHO

# The record each row's pages are about, by the key of `Built.records`.
Row = str
READS: dict[str, Row] = {}


def _rows(row: Row, *names: str) -> None:
    for name in names:
        assert name not in READS, name
        READS[name] = row


_rows(OPEN, "readyz", "metrics")  # health and metrics: for the host's tools (docs/operations.md)
_rows(OPEN, "login", "healthz", "logout", "home", "pathway", "protocol", "protocol_pdf")
_rows(OPEN, "outcomes:library", "outcomes:library_entry", "outcomes:themes")
# Signing in and one's own account: passwords, two factors, the council's single sign-on.
_rows(
    OPEN,
    "two_factor_verify",
    "password_forgotten",
    "password_reset_sent",
    "password_reset_confirm",
    "password_new",
    "password_done",
    "account",
    "password_change",
    "two_factor_enrol",
    "two_factor_backup_codes",
    "two_factor_remove",
    "account_calendar",
    "account_reminders",
    "calendar_feed",
    "single_sign_on:start",
    "single_sign_on:callback",
)
_rows(
    MANAGE,
    "manage:user_two_factor_reset",
    "manage:email_list",
    "manage:email_send_again",
    "single_sign_on:manage",
)
_rows(SUBJECT_ACCESS, "retention:subject_access", "retention:subject_access_export")
_rows(
    MANAGE,
    "retention:schedule",
    "manage:timescales",
    "manage:local_holiday_list",
    "manage:local_holiday_add",
    "manage:local_holiday_remove",
)
_rows(
    LISTS,
    "referrals:list",
    "referrals:supervision_notes",
    "triage:register",
    "reviews:list",
    "reviews:my_participation",
)
_rows(DOWNLOADS, "audit_downloads")
_rows(OPEN, "triage:start")  # Appendix 1 for everyone; starting the questions is casework
_rows(START, "referrals:start")
_rows(CASEWORK, "triage:record")
_rows(
    TRIAGE,
    "triage:check",
    "triage:result",
    "triage:start_referral",
    "triage:route",
    "triage:question",
)
_rows(
    REFERRAL,
    "referrals:detail",
    "referrals:form",
    "referrals:form_pdf",
    "referrals:section",
    "referrals:check",
    "referrals:childs_plan",
    "referrals:supervision",
    "referrals:return",
    "referrals:recommend",
    "referrals:decision",
    "group:decision",
    "group:decision_record",
    "group:decision_confirm",
)
_rows(HISTORY, "referrals:history")
_rows(DUE_DATE, "referrals:due_date")
_rows(RESPOND_BY, "reviews:review_accuracy_check_due")
_rows(LETTER, "group:letter", "group:letter_send", "group:letter_pdf", "group:letter_docx")
_rows(FURTHER_ACTION, "group:further_action", "group:further_action_complete")
_rows(CASE_REVIEW, "triage:case_review")
_rows(
    MEETINGS,
    "group:meetings",
    "group:meeting_new",
    "group:meeting",
    "group:meeting_agenda",
    "group:agenda_item",
    "group:meeting_close",
    "group:minutes_pdf",
)
_rows(COMMISSION, "reviews:detail")
_rows(CASE_GROUP, "reviews:review_participants_confirm")
_rows(
    WORKSPACE_ROW,
    *(
        f"reviews:review_{page}"
        for page in [
            "workspace",
            "step",
            "objectives",
            "participants",
            "participant_edit",
            "participant_remove",
            "participant_letter",
            "case_files",
            "case_file_remove",
            "format",
            "session_remove",
            "conversations",
            "conversation",
            "collated",
            "chronology",
            "timeline",
            "episodes",
            "episode_add",
            "episode",
            "sources",
            "source_file",
            "findings",
            "finding_add",
            "finding",
            "accuracy_check",
            "accuracy_check_share",
            "accuracy_check_revise",
            "accuracy_check_close",
            "accuracy_check_outline",
            "report",
            "report_generate",
            "report_upload",
            "report_ready",
            "report_docx",
            "report_pdf",
        ]
    ),
)
_rows(OWN_PART, "reviews:review_my_conversation", "reviews:review_my_accuracy_check")
_rows(
    OUTCOMES,
    *(
        f"outcomes:{page}"
        for page in [
            "review",
            "action_plan",
            "action_plan_xlsx",
            "action_plan_pdf",
            "action_new",
            "action",
            "action_edit",
            "action_update",
            "action_outcome",
            "action_evidence",
            "monitoring",
            "dissemination",
            "tell",
            "close",
            "briefing_start",
        ]
    ),
)
_rows(
    RECOMMENDATIONS,
    "outcomes:recommendations",
    "outcomes:recommendations_confirm",
    "outcomes:recommendation_edit",
    "outcomes:recommendation_remove",
)
_rows(
    DRAFT_BRIEFING,
    "outcomes:briefing",
    "outcomes:briefing_submit",
    "outcomes:briefing_approve",
    "outcomes:briefing_return",
    "outcomes:briefing_pdf",
)
_rows(
    DASHBOARDS,
    *(
        f"insights:{page}"
        for page in [
            "dashboard",
            "funnel_csv",
            "grounds_csv",
            "decisions_csv",
            "xlsx",
            "themes",
            "themes_heatmap_csv",
            "themes_sub_factors_csv",
            "themes_patterns_csv",
            "themes_episodes_csv",
            "themes_xlsx",
            "summary_pdf",
        ]
    ),
)
_rows(
    DASHBOARDS,
    *(
        f"insights:{page}"
        for page in [
            "timeliness",
            "timeliness_csv",
            "oldest_csv",
            "timeliness_xlsx",
            "outcomes",
            "outcomes_csv",
            "dissemination_csv",
            "outcomes_xlsx",
            "register",
            "register_csv",
            "register_xlsx",
        ]
    ),
)
_rows(
    MANAGE,
    *(
        f"manage:{page}"
        for page in [
            "home",
            "user_list",
            "user_add",
            "user_detail",
            "user_edit",
            "user_deactivate",
            "user_reactivate",
            "role_add",
            "role_remove",
            "team_list",
            "team_add",
            "team_rename",
            "team_archive",
            "team_restore",
            "settings",
        ]
    ),
    "triage:review_types",
    "triage:review_type_edit",
    "group:letter_templates",
    "group:letter_template_edit",
)


def read_table() -> str:
    """The table of docs/security.md's "Who may read what", generated from `WHO`."""
    head = "| What a page shows | " + " | ".join(h for _, h in READERS) + " |"
    rule = "|---|" + "---|" * len(READERS)
    rows = [
        f"| {row} | " + " | ".join("✓" if key in who else "–" for key, _ in READERS) + " |"
        for row, who in WHO.items()
    ]
    return "\n".join([head, rule, *rows])


# Pages whose answer depends on a secret in the link (a password-reset token, say), not on who
# asks: each is still in a row of the table, but not requested as every reader here; their own
# tests prove them.
BY_TOKEN: frozenset[str] = frozenset(
    {"password_reset_confirm", "password_new", "calendar_feed", "metrics"}
)

DOC = Path(__file__).resolve().parents[3] / "docs" / "security.md"
ROUTES: list[tuple[str, str]] = sorted(set(url_routes()))
READER_ROUTES = [(n, r) for n, r in ROUTES if n not in BY_TOKEN]


def test_every_url_is_a_row_of_the_table():
    names = {name for name, _ in ROUTES}
    assert sorted(names - set(READS)) == [], "URLs in no row of WHO: add them to READS"
    assert sorted(set(READS) - names) == [], "URLs in READS that no longer exist"


def test_docs_security_md_holds_the_table_the_tests_check():
    assert read_table() in DOC.read_text(), (
        "docs/security.md's table differs from WHO; paste read_table()'s output into it"
    )


def test_the_history_rules_are_the_ones_the_doc_names():
    from learning_reviews.referrals.selectors import WITHHELD

    text = DOC.read_text()
    for action, field in WITHHELD:
        assert f"`{action}`: `{field}`" in text or f"`{field}`" in text, (action, field)


# The records -------------------------------------------------------------------------------


@dataclass(frozen=True)
class Built:
    readers: dict[str, User]
    records: dict[str, int]  # by the URL's row, or by a URL name for the pages of one record
    slugs: dict[str, str]


def _build() -> Built:
    from learning_reviews.home.demo_outcomes import STAGES as OUTCOME_STAGES
    from learning_reviews.home.demo_reviews import demo_review
    from learning_reviews.home.tests.test_demo_reviews import _by_username
    from learning_reviews.improvement_group import services as group_services
    from learning_reviews.improvement_group import services_letters
    from learning_reviews.improvement_group.models import (
        Decision,
        FurtherAction,
        LetterTemplate,
    )
    from learning_reviews.improvement_group.testing import referral_at
    from learning_reviews.outcomes import services_briefing
    from learning_reviews.outcomes.models import (
        Action,
        ActionUpdate,
        DisseminationItem,
        LibraryEntry,
        Recommendation,
    )
    from learning_reviews.referrals.models import Status
    from learning_reviews.reviews.models import (
        CaseFileReview,
        EvidenceSource,
        Finding,
        KeyPracticeEpisode,
        Participant,
        Review,
        Session,
    )
    from learning_reviews.triage import services as triage_services
    from learning_reviews.triage.models import ReviewType
    from learning_reviews.triage.rules import QUESTIONS

    people = build_people()
    owner = make_user(people.org, "omar", "Omar Owens", (Role.WORKER, people.other_team))
    stranger = make_user(people.org, "wendy", "Wendy Walker", (Role.WORKER, people.other_team))
    readers = {
        "worker": people.worker,
        "line_manager": people.line_manager,
        "service_manager": people.service_manager,
        "group_member": people.cfcig_member,
        "chair": people.cfcig_chair,
        "lead_reviewer": people.lead_reviewer,
        "participant": people.other_worker,  # Jenna Scott in the demo's case group
        "owner": owner,
        "other_worker": stranger,
        "other_line_manager": people.other_line_manager,
        "administrator": people.admin,
        "auditor": people.auditor,
    }
    users = _by_username(people)
    reviews = []
    for _name, child, swis, stage in (OUTCOME_STAGES[0], OUTCOME_STAGES[-1]):
        review = demo_review(
            people.team, users, child=child, swis=swis, status=Review.Status.PRESENTED
        )
        stage(review, users, review.referral.status_changed_on.date())
        reviews.append(review)
    review = reviews[0]
    referral = review.referral
    decision = Decision.objects.get(referral=referral)
    services_letters.letter_prepare(decision=decision, by=people.service_manager)
    # One owner of every action and dissemination task, and one participant with an account,
    # so that each reader stands in one relationship to the case.
    Action.objects.filter(review=review).update(owner=owner, created_by=people.lead_reviewer)
    DisseminationItem.objects.filter(review=review).exclude(owner=None).update(owner=owner)
    Participant.objects.filter(review=review).exclude(user=people.other_worker).update(user=None)
    action = Action.objects.filter(review=review).order_by("pk").first()
    assert action is not None
    evidence = ActionUpdate.objects.create(
        organisation=people.org,
        action=action,
        date=action.created_on.date(),
        text="Sheet drafted with two children.",
        status=action.status,
        evidence=ContentFile(b"%PDF-1.7 evidence", name="evidence.pdf"),
        evidence_name="evidence.pdf",
    )
    source = EvidenceSource.objects.filter(review=review).first()
    assert source is not None
    source.file = ContentFile(b"%PDF-1.7 source", name="source.pdf")
    source.file_name = "source.pdf"
    source.save()
    referral.childs_plan = ContentFile(b"%PDF-1.7 plan", name="plan.pdf")
    referral.childs_plan_name = "plan.pdf"
    referral.save(update_fields=["childs_plan", "childs_plan_name"])
    cast = {
        "worker": people.worker,
        "line_manager": people.line_manager,
        "service_manager": people.service_manager,
        "team": people.team,
        "group_member": people.cfcig_member,
        "group_chair": people.cfcig_chair,
        "lead_reviewer": people.lead_reviewer,
    }
    not_proceeding = referral_at(Status.NOT_PROCEEDING, **cast)
    FurtherAction.objects.create(
        organisation=people.org,
        decision=Decision.objects.get(referral=not_proceeding),
        text="Check the contingency plan with the fostering team.",
        owner=owner,
        due_on=not_proceeding.status_changed_on.date(),
    )
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
    draft = services_briefing.briefing_start(review=review, by=people.lead_reviewer)

    def first(model: Any, **filters: Any) -> int:
        found = model.objects.filter(**filters).order_by("pk").first()
        return found.pk if found else 1

    records: dict[str, int] = {
        TRIAGE: triage.pk,
        REFERRAL: referral.pk,
        HISTORY: referral.pk,
        LETTER: referral.pk,
        DUE_DATE: referral.pk,
        FURTHER_ACTION: not_proceeding.pk,
        CASE_REVIEW: case_review.pk,
        MEETINGS: meeting.pk,
        COMMISSION: review.pk,
        CASE_GROUP: review.pk,
        WORKSPACE_ROW: review.pk,
        RECOMMENDATIONS: review.pk,
        OWN_PART: review.pk,
        RESPOND_BY: review.pk,
        OUTCOMES: review.pk,
        DRAFT_BRIEFING: draft.pk,
        MANAGE: people.worker.pk,
        OPEN: first(LibraryEntry, review=reviews[1]),
        "triage:review_type_edit": review_type.pk,
        "manage:email_send_again": OutgoingEmail.objects.create(
            organisation=people.org,
            to=["someone@example.org"],
            subject="An e-mail that could not be sent",
            body="",
            status=OutgoingEmail.Status.FAILED,
        ).pk,
        "manage:team_rename": people.team.pk,
        "manage:team_archive": people.team.pk,
        "manage:team_restore": people.team.pk,
        "manage:local_holiday_remove": LocalHoliday.objects.create(
            organisation=people.org, date=datetime.date(2030, 9, 30), name="Autumn holiday"
        ).pk,
        "outcomes:recommendation_edit": first(Recommendation, review=review),
        "outcomes:recommendation_remove": first(Recommendation, review=review),
        "outcomes:action_new": first(Recommendation, review=review),
        **{
            f"outcomes:{page}": action.pk
            for page in [
                "action",
                "action_edit",
                "action_update",
                "action_outcome",
                "action_evidence",
            ]
        },
        # The other parts of a route, for the pages of one item of a record.
        "participant": first(Participant, review=review, user=people.other_worker),
        "participant_pk": first(Participant, review=review, user=people.other_worker),
        "entry": first(CaseFileReview, review=review),
        "session": first(Session, review=review),
        "episode_pk": first(KeyPracticeEpisode, review=review),
        "finding_pk": first(Finding, review=review),
        "source_pk": source.pk,
        "item": first(meeting.items.model, meeting=meeting),
        "membership_pk": people.worker.memberships.get().pk,
        "number": 1,
        "update": evidence.pk,
    }
    slugs = {
        "referrals:section": "about",
        "triage:question": QUESTIONS[0].key,
        "group:letter_template_edit": LetterTemplate.Kind.PROCEED.value,
    }
    return Built(readers=readers, records=records, slugs=slugs)


@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, media) -> Iterator[Built]:
    """Built once for the module; each test's changes are rolled back after it."""
    with override_settings(MEDIA_ROOT=media):
        yield from built_once(django_db_blocker, _build)


@pytest.fixture(autouse=True)
def _module_media(settings, media):
    # The files the build stored (letters, reports, evidence) stay where the tests read them.
    settings.MEDIA_ROOT = media


@pytest.fixture(autouse=True)
def _no_pdf_rendering(monkeypatch):
    # What a PDF holds is tested beside each document; here only who may fetch it matters,
    # and rendering dozens of them would take most of the suite's time.
    from weasyprint import HTML

    monkeypatch.setattr(HTML, "write_pdf", lambda self, *a, **k: b"%PDF-1.7 least privilege")


def _url(built: Built, name: str, route: str) -> str:
    kwargs: dict[str, Any] = {}
    for part in route.split("<")[1:]:
        converter, _, key = part.split(">")[0].partition(":")
        if converter == "slug":
            kwargs[key] = built.slugs.get(name, "x")
        elif key == "pk":
            kwargs[key] = built.records.get(name, built.records.get(READS[name], 1))
        else:
            kwargs[key] = built.records.get(key, 1)
    return reverse(name, kwargs=kwargs)


def _status(client: Any, method: str, url: str) -> int:
    with transaction.atomic():
        status = client.generic(method, url).status_code
        transaction.set_rollback(True)
    return int(status)


# Which URLs answer only POST (405 to a GET): learnt from the URLconf's views, by asking once.
def _answers_get(client: Any, url: str) -> bool:
    return _status(client, "GET", url) != 405


@pytest.mark.parametrize(("name", "route"), READER_ROUTES, ids=[n for n, _ in READER_ROUTES])
def test_each_reader_is_let_in_or_gets_404_as_the_table_says(db, client, built, name, route):
    url = _url(built, name, route)
    allowed = WHO[READS[name]]
    seen: dict[str, int] = {}
    method = None
    for key, _ in READERS:
        client.force_login(built.readers[key])
        if method is None:
            method = "GET" if _answers_get(client, url) else "POST"
        seen[key] = _status(client, method, url)
    wrong = {
        key: status
        for key, status in seen.items()
        if (status == 404) == (key in allowed) or status >= 500
    }
    assert wrong == {}, f"{method} {url}: {wrong} (allowed: {sorted(allowed)})"


@pytest.mark.parametrize(("name", "route"), ROUTES, ids=[n for n, _ in ROUTES])
def test_the_auditor_changes_nothing_anywhere(db, client, built, name, route):
    url = _url(built, name, route)
    client.force_login(built.readers["auditor"])
    changes = AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count()
    response = client.post(url, {"confirm": "on", "version": 1})
    assert response.status_code < 500
    assert AuditEvent.objects.filter(kind=AuditEvent.Kind.CHANGE).count() == changes, url
