"""Lost updates (issue 10, docs/decisions/0007): every edit form carries its record's version.

For each form, two people (or one person in two tabs) open it and both save. The first save
goes through; the second is refused with a message naming what is saved now, and the page keeps
what the second person typed and carries the new version, so saving again overwrites knowingly.
A POST without the version is a conflict too, and changes nothing.
"""

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from learning_reviews.accounts.models import Organisation, Team, User
from learning_reviews.improvement_group import services as group_services
from learning_reviews.improvement_group.models import AgendaItem, LetterTemplate
from learning_reviews.outcomes.models import Action, Recommendation
from learning_reviews.outcomes.tests import helpers as outcomes_helpers
from learning_reviews.referrals.models import Status
from learning_reviews.reviews import services_preparation
from learning_reviews.reviews.models import Finding, KeyPracticeEpisode, Participant, Review
from learning_reviews.reviews.tests.analysis_helpers import episode, finding
from learning_reviews.triage import services as triage_services
from learning_reviews.triage.models import ReviewType

CONFLICT = "Someone else changed"
KEPT = "What you typed is kept below"


@dataclass(frozen=True)
class Page:
    """One edit form: where it is, who edits it, what a save posts (`text` in the field under
    test) and how to read that field back."""

    url: str
    editor: User
    post: Callable[[str], dict[str, Any]]
    saved: Callable[[], str]
    prefix: str = ""


def _review(people: Any, make_referral: Any) -> Review:
    make_referral(Status.REVIEW_COMMISSIONED)
    return Review.objects.get()


def objectives(people: Any, make_referral: Any) -> Page:
    review = _review(people, make_referral)
    return Page(
        reverse("reviews:review_objectives", args=[review.pk]),
        people.lead_reviewer,
        lambda text: {"note": text},
        lambda: Review.objects.get(pk=review.pk).objectives_note,
    )


def format_plan(people: Any, make_referral: Any) -> Page:
    review = _review(people, make_referral)
    return Page(
        reverse("reviews:review_format", args=[review.pk]),
        people.lead_reviewer,
        lambda text: {"part": "plan", "plan-plan": text},
        lambda: Review.objects.get(pk=review.pk).format_plan,
        prefix="plan-",
    )


def participant(people: Any, make_referral: Any) -> Page:
    review = _review(people, make_referral)
    person = services_preparation.participant_add(
        review=review,
        by=people.lead_reviewer,
        name="Jenna Scott",
        current_job="Fostering link worker",
        role_in_period="Found the emergency placement",
    )
    return Page(
        reverse("reviews:review_participant_edit", args=[review.pk, person.pk]),
        people.lead_reviewer,
        lambda text: {"name": "Jenna Scott", "current_job": text, "role_in_period": "Link"},
        lambda: Participant.objects.get(pk=person.pk).current_job,
    )


def key_practice_episode(people: Any, make_referral: Any) -> Page:
    review = _review(people, make_referral)
    saved = episode(review)
    return Page(
        reverse("reviews:review_episode", args=[review.pk, saved.pk]),
        people.lead_reviewer,
        lambda text: {
            "title": text,
            "start_0": "9",
            "start_1": "4",
            "start_2": "2024",
            "what_happened": "Matching by vacancy.",
            "assessment": "problematic",
        },
        lambda: KeyPracticeEpisode.objects.get(pk=saved.pk).title,
    )


def review_finding(people: Any, make_referral: Any) -> Page:
    review = _review(people, make_referral)
    saved = finding(review)
    return Page(
        reverse("reviews:review_finding", args=[review.pk, saved.pk]),
        people.lead_reviewer,
        lambda text: {
            "title": text,
            "text": "Placement decisions follow vacancy.",
            "factors": ["conditions"],
            "reach": saved.reach,
        },
        lambda: Finding.objects.get(pk=saved.pk).title,
    )


def minutes(people: Any, make_referral: Any) -> Page:
    make_referral(Status.AGREED)
    meeting = group_services.meeting_create(
        by=people.cfcig_chair,
        date=timezone.localdate() + datetime.timedelta(days=7),
        place="Room 2",
        attendees=[people.cfcig_chair, people.cfcig_member],
    )
    item = meeting.items.get()
    return Page(
        reverse("group:agenda_item", args=[meeting.pk, item.pk]),
        people.cfcig_member,
        lambda text: {"minutes": text},
        lambda: AgendaItem.objects.get(pk=item.pk).minutes,
    )


def letter_wording(people: Any, make_referral: Any) -> Page:
    def saved() -> str:
        found = LetterTemplate.objects.filter(kind="proceed").first()
        return found.body if found else ""

    return Page(
        reverse("group:letter_template_edit", args=["proceed"]),
        people.admin,
        lambda text: {"subject": "Decision on $reference", "body": text},
        saved,
    )


def review_type(people: Any, make_referral: Any) -> Page:
    triage_services.review_types_install_defaults(organisation=people.org, by=people.admin)
    found = ReviewType.objects.filter(organisation=people.org).first()
    assert found is not None
    return Page(
        reverse("triage:review_type_edit", args=[found.pk]),
        people.admin,
        lambda text: {
            "name": text,
            "criteria": "Multi-agency",
            "agency_scope": found.agency_scope,
            "contact": "A team mailbox",
        },
        lambda: ReviewType.objects.get(pk=found.pk).name,
    )


def user_details(people: Any, make_referral: Any) -> Page:
    worker = people.worker
    return Page(
        reverse("manage:user_edit", args=[worker.pk]),
        people.admin,
        lambda text: {"full_name": text, "email": "megan@example.org", "job_title": ""},
        lambda: User.objects.get(pk=worker.pk).full_name,
    )


def team_name(people: Any, make_referral: Any) -> Page:
    team = people.other_team
    return Page(
        reverse("manage:team_rename", args=[team.pk]),
        people.admin,
        lambda text: {"name": text},
        lambda: Team.objects.get(pk=team.pk).name,
    )


def organisation_settings(people: Any, make_referral: Any) -> Page:
    return Page(
        reverse("manage:settings"),
        people.admin,
        lambda text: {
            "improvement_group_name": text,
            "improvement_group_short_name": "CFCIG",
            "session_idle_minutes": "30",
        },
        lambda: Organisation.objects.get(pk=people.org.pk).improvement_group_name,
    )


def recommendation(people: Any, make_referral: Any) -> Page:
    review = outcomes_helpers.presented_review(people, make_referral)
    first = outcomes_helpers.recommend_all(review, people.cfcig_member)[0]
    return Page(
        reverse("outcomes:recommendation_edit", args=[first.pk]),
        people.cfcig_member,
        lambda text: {"text": text, "response": "accepted"},
        lambda: Recommendation.objects.get(pk=first.pk).text,
    )


def action(people: Any, make_referral: Any) -> Page:
    review = outcomes_helpers.confirmed_review(people, make_referral)
    first = Recommendation.objects.filter(review=review).order_by("id").first()
    assert first is not None
    saved = outcomes_helpers.action_for(first, people.cfcig_member, people.other_worker)
    due, check = saved.due_on, saved.outcome_check_on
    return Page(
        reverse("outcomes:action_edit", args=[saved.pk]),
        people.cfcig_member,
        lambda text: {
            "text": text,
            "owner": str(people.other_worker.pk),
            "intended_outcome": saved.intended_outcome,
            "measure": saved.measure,
            **{f"due_on_{n}": str(v) for n, v in enumerate((due.day, due.month, due.year))},
            **{
                f"outcome_check_on_{n}": str(v)
                for n, v in enumerate((check.day, check.month, check.year))
            },
        },
        lambda: Action.objects.get(pk=saved.pk).text,
    )


PAGES = [
    objectives,
    format_plan,
    participant,
    key_practice_episode,
    review_finding,
    minutes,
    letter_wording,
    review_type,
    user_details,
    team_name,
    organisation_settings,
    recommendation,
    action,
]


def _version(html: str, prefix: str) -> str:
    found = re.search(rf'name="{prefix}version" value="(\d+)"', html)
    assert found, "the form carries no version"
    return found.group(1)


def _open(page: Page) -> tuple[Client, str]:
    browser = Client()
    browser.force_login(page.editor)
    response = browser.get(page.url)
    assert response.status_code == 200
    return browser, _version(response.text, page.prefix)


@pytest.mark.parametrize("build", PAGES, ids=lambda build: build.__name__)
def test_the_second_of_two_saves_is_a_conflict_that_keeps_what_was_typed(
    people, make_referral, build
):
    page = build(people, make_referral)
    first, first_version = _open(page)
    second, second_version = _open(page)

    saved = first.post(
        page.url, {**page.post("First save"), f"{page.prefix}version": first_version}
    )
    assert saved.status_code == 302, saved.content.decode()[:2000]
    assert page.saved() == "First save"

    stale = second.post(
        page.url, {**page.post("Second save"), f"{page.prefix}version": second_version}
    )
    assert stale.status_code == 200
    html = stale.text
    assert CONFLICT in html and KEPT in html
    assert "“First save”" in html  # what is saved now, named in the message
    assert 'value="Second save"' in html or "Second save</textarea>" in html  # kept as typed
    assert page.saved() == "First save"

    # Having read the message, saving again overwrites knowingly.
    again = second.post(
        page.url, {**page.post("Second save"), f"{page.prefix}version": _version(html, page.prefix)}
    )
    assert again.status_code == 302
    assert page.saved() == "Second save"


@pytest.mark.parametrize("build", PAGES, ids=lambda build: build.__name__)
def test_a_save_without_the_version_is_a_conflict_and_changes_nothing(people, make_referral, build):
    page = build(people, make_referral)
    browser, _ = _open(page)
    before = page.saved()
    response = browser.post(page.url, page.post("Sent without a version"))
    assert response.status_code == 200
    assert CONFLICT in response.text
    assert page.saved() == before
