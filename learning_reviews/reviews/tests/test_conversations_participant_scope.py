"""A participant (a member of the case group with an account) sees their own conversation and
the outlines shared with them, and nothing else of the review (issue 5, done when): every URL in
the reviews URLconf that takes a review pk answers them 404, for GET and for POST, and writes
nothing — except their own participation pages.

The URLs are found by walking the URL configuration, so a page added to the workspace later is
covered without touching this file; a URL with a part this file cannot fill in fails
`test_every_part_of_every_review_url_can_be_filled_in` until it is added to `_value`.
"""

import datetime
import io
import re
from dataclasses import dataclass
from typing import Any

import docx
import pytest
from django.core.files.base import ContentFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from conftest import url_routes
from learning_reviews.audit.models import AuditEvent
from learning_reviews.referrals.models import Status as ReferralStatus
from learning_reviews.reviews import models as m

# A participant's own pages: what they may open.
OWN = ("reviews:review_my_conversation", "reviews:review_my_accuracy_check")


def review_urls() -> list[tuple[str, tuple[str, ...]]]:
    """Every reviews URL that takes a review pk, as (name, the names of its parts): a name with
    two routes (with and without a version number, say) appears twice."""
    return sorted(
        {
            (name, tuple(re.findall(r"<(?:\w+:)?(\w+)>", route)))
            for name, route in url_routes()
            if name.startswith("reviews:") and "<int:pk>" in route
        }
    )


def _params(own: bool) -> list[Any]:
    return [
        pytest.param(name, parts, id=f"{name}({','.join(parts)})")
        for name, parts in review_urls()
        if _is_own(name) is own
    ]


def _is_own(name: str) -> bool:
    return name in OWN or name.startswith("reviews:review_my_")


@dataclass
class World:
    review: m.Review
    participant: m.Participant  # people.other_worker's place in the case group
    other: m.Participant  # another participant, with a conversation of their own
    conversation: m.Conversation
    episode: m.KeyPracticeEpisode
    chronology: m.ReviewChronologyEntry
    case_file: m.CaseFileReview
    session: m.Session
    source: m.EvidenceSource
    finding: m.Finding
    outline: m.Outline
    response: m.OutlineResponse
    report: m.ReportVersion


def _value(name: str, part: str, world: World) -> int | str:
    """What to put in the URL for one of its parts."""
    if part == "pk":
        return world.review.pk
    if part == "entry":
        return world.chronology.pk if "chronolog" in name else world.case_file.pk
    if part == "number":
        return world.report.number if "report" in name else world.outline.number
    by_name: dict[str, Any] = {
        "participant": world.participant,
        "participant_pk": world.participant,
        "conversation": world.conversation,
        "conversation_pk": world.conversation,
        "episode": world.episode,
        "episode_pk": world.episode,
        "chronology_pk": world.chronology,
        "case_file": world.case_file,
        "session": world.session,
        "session_pk": world.session,
        "source": world.source,
        "source_pk": world.source,
        "finding": world.finding,
        "finding_pk": world.finding,
        "outline": world.outline,
        "outline_pk": world.outline,
        "response": world.response,
        "response_pk": world.response,
        "report": world.report,
        "report_pk": world.report,
        "version": world.report,
    }
    if part not in by_name:
        raise LookupError(f"{name}: add <{part}> to _value in {__name__}")
    return int(by_name[part].pk)


def _url(name: str, parts: tuple[str, ...], world: World) -> str:
    return reverse(name, kwargs={part: _value(name, part, world) for part in parts})


@pytest.fixture
def world(people, make_referral) -> World:
    make_referral(ReferralStatus.REVIEW_COMMISSIONED)
    review = m.Review.objects.get()
    now = timezone.now()
    review.status = m.Review.Status.ACCURACY_CHECK
    review.objectives_confirmed_on = now
    review.participants_confirmed_on = now
    review.participants_confirmed_by = people.service_manager
    review.save()
    org = {"organisation": people.org, "review": review}
    participant = m.Participant.objects.create(
        **org,
        user=people.other_worker,
        name="Jenna Scott",
        current_job="Fostering link worker",
        role_in_period="Link worker to carers A and B",
    )
    other = m.Participant.objects.create(
        **org,
        user=people.line_manager,
        name="Iain Baxter",
        current_job="Team leader",
        role_in_period="Megan Cross's line manager",
    )
    m.Conversation.objects.create(
        **org, participant=participant, sections={"overview": "Jenna's own account."}
    )
    conversation = m.Conversation.objects.create(
        **org, participant=other, sections={"overview": "Iain's confidential account."}
    )
    day = datetime.date(2024, 4, 9)
    outline = m.Outline.objects.create(
        **org, number=1, content=[{"title": "Matching by vacancy"}], shared_on=now
    )
    world = World(
        review=review,
        participant=participant,
        other=other,
        conversation=conversation,
        episode=m.KeyPracticeEpisode.objects.create(
            **org,
            title="Emergency move to carers B",
            start=day,
            what_happened="Matching by vacancy.",
            assessment="problematic",
        ),
        chronology=m.ReviewChronologyEntry.objects.create(**org, date=day, event="Moved."),
        case_file=m.CaseFileReview.objects.create(
            **org, records="SWIS case notes", reviewed_by="Aileen Forbes", reviewed_on=day
        ),
        session=m.Session.objects.create(**org, kind="one_to_one", date=day),
        source=m.EvidenceSource.objects.create(
            **org,
            heading="staff_experience",
            description="Six conversations.",
            file=ContentFile(b"%PDF-1.4\n%%EOF\n", name="notes.pdf"),
            file_name="notes.pdf",
        ),
        finding=m.Finding.objects.create(
            **org, title="Matching by vacancy", text="Placement by vacancy.", reach="this_case"
        ),
        outline=outline,
        response=m.OutlineResponse.objects.create(
            organisation=people.org, outline=outline, participant=other, confirmed=True
        ),
        report=m.ReportVersion.objects.create(
            **org, number=1, docx=ContentFile(_docx(), name="report.docx")
        ),
    )
    return world


def _docx() -> bytes:
    document = docx.Document()
    document.add_paragraph("Learning Review report")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def snapshot(world: World) -> dict[str, Any]:
    """Everything about the review a page could change, and the size of the audit trail."""
    review = m.Review.objects.get(pk=world.review.pk)
    state: dict[str, Any] = {
        f.attname: str(getattr(review, f.attname)) for f in m.Review._meta.concrete_fields
    }
    for model in (
        m.Participant,
        m.Conversation,
        m.CaseFileReview,
        m.Session,
        m.ReviewChronologyEntry,
        m.KeyPracticeEpisode,
        m.EvidenceSource,
        m.Finding,
        m.Outline,
        m.OutlineResponse,
        m.ReportVersion,
    ):
        state[model.__name__] = sorted(map(str, model.objects.values()))
    state["audit_events"] = AuditEvent.objects.count()
    return state


def _request(client: Any, method: str, url: str) -> Any:
    return client.get(url) if method == "GET" else client.post(url, {"version": "1"})


# ---------------------------------------------------------------------------------------------


def test_the_walk_finds_the_workspace_and_the_participants_own_pages():
    names = {name for name, _parts in review_urls()}
    assert {
        "reviews:detail",
        "reviews:review_conversations",
        "reviews:review_conversation",
        "reviews:review_collated",
        "reviews:review_my_conversation",
    } <= names
    assert "reviews:list" not in names  # no pk: the list is scoped by its selector instead


@pytest.mark.parametrize(("name", "parts"), _params(own=False) + _params(own=True))
def test_every_part_of_every_review_url_can_be_filled_in(world, name, parts):
    assert _url(name, parts, world).startswith("/reviews/")


@pytest.mark.parametrize("method", ["GET", "POST"])
@pytest.mark.parametrize(("name", "parts"), _params(own=False))
def test_a_participant_gets_404_from_every_workspace_url_and_changes_nothing(
    client, people, world, name, parts, method
):
    url = _url(name, parts, world)
    client.force_login(people.lead_reviewer)
    with transaction.atomic():  # what the method means for the lead, leaving nothing behind
        lead_status = _request(client, method, url).status_code
        transaction.set_rollback(True)
    before = snapshot(world)
    client.force_login(people.other_worker)

    response = _request(client, method, url)

    # 405 only where the view refuses that method to everyone alike, before any lookup.
    assert response.status_code == (405 if lead_status == 405 else 404)
    assert snapshot(world) == before
    assert b"Iain&#x27;s confidential account." not in response.content
    assert b"Jenna&#x27;s own account." not in response.content


@pytest.mark.parametrize(("name", "parts"), _params(own=False))
def test_the_lead_reviewer_reaches_every_workspace_url_so_the_404s_are_refusals(
    client, people, world, name, parts
):
    client.force_login(people.lead_reviewer)
    url = _url(name, parts, world)
    statuses = {client.get(url).status_code}
    if 405 in statuses:
        statuses.add(client.post(url, {}).status_code)
    assert statuses - {404, 405}, f"{name} answered {statuses} to the lead reviewer"


@pytest.mark.parametrize(("name", "parts"), _params(own=True))
def test_a_participant_opens_their_own_pages(client, people, world, name, parts):
    client.force_login(people.other_worker)
    response = client.get(_url(name, parts, world))
    assert response.status_code == 200
    assert "Iain&#x27;s confidential account." not in response.text


@pytest.mark.parametrize(("name", "parts"), _params(own=True))
def test_someone_not_in_the_case_group_gets_404_from_the_participant_pages(
    client, people, world, name, parts
):
    url = _url(name, parts, world)
    for persona in ("worker", "cfcig_member", "outsider", "other_line_manager"):
        client.force_login(getattr(people, persona))
        assert client.get(url).status_code == 404, persona
        assert client.post(url, {"comment": "Not mine"}).status_code == 404, persona


def test_the_participants_own_conversation_page_shows_their_conversation_only(
    client, people, world
):
    client.force_login(people.other_worker)
    text = client.get(reverse("reviews:review_my_conversation", args=[world.review.pk])).text
    assert "Jenna&#x27;s own account." in text
    assert "Iain" not in text
