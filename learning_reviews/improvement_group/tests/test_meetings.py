"""The group's meetings through their pages (§3.4, §4): who sees them, planning, the agenda
assembled from the queue, minutes per item, the chair closing the minutes, the minutes PDF, and
constant query counts."""

import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from conftest import make_user
from learning_reviews.accounts.models import Role
from learning_reviews.audit.models import AuditEvent, ViewSummary
from learning_reviews.improvement_group import services
from learning_reviews.improvement_group.models import AgendaItem, Meeting
from learning_reviews.referrals.models import Status
from learning_reviews.referrals.testing import CaseContent

# The agendas and minutes are about children: the group's alone, not the administrator's (who
# manages people and settings) nor the auditor's (docs/security.md).
SEE_MEETINGS = ["cfcig_chair", "cfcig_member"]
NOT_SEE_MEETINGS = [
    "admin",
    "auditor",
    "worker",
    "line_manager",
    "service_manager",
    "lead_reviewer",
    "other_worker",
    "outsider",
    "outsider_line_manager",
]


def plan(people, *, date=None, attendees=()):
    return services.meeting_create(
        by=people.cfcig_chair,
        date=date or timezone.localdate() + datetime.timedelta(days=7),
        place="Room 2, Municipal Buildings",
        attendees=list(attendees) or [people.cfcig_chair, people.cfcig_member],
    )


def child(name):
    return CaseContent(child_name=name)


def meeting_urls(meeting, item):
    return [
        ("get", reverse("group:meetings")),
        ("get", reverse("group:meeting_new")),
        ("post", reverse("group:meeting_new")),
        ("get", reverse("group:meeting", args=[meeting.pk])),
        ("post", reverse("group:meeting_agenda", args=[meeting.pk])),
        ("get", reverse("group:agenda_item", args=[meeting.pk, item.pk])),
        ("post", reverse("group:agenda_item", args=[meeting.pk, item.pk])),
        ("post", reverse("group:meeting_close", args=[meeting.pk])),
        ("get", reverse("group:minutes_pdf", args=[meeting.pk])),
    ]


@pytest.mark.parametrize("persona", NOT_SEE_MEETINGS)
def test_everyone_outside_the_group_gets_404_on_every_meeting_page(
    client, people, make_referral, persona
):
    make_referral(Status.AGREED)
    meeting = plan(people)
    item = meeting.items.get()
    client.force_login(getattr(people, persona))
    for method, url in meeting_urls(meeting, item):
        response = getattr(client, method)(
            url, {"minutes": "Discussed."} if method == "post" else {}
        )
        assert response.status_code == 404, (method, url)
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED
    assert not meeting.items.exclude(minutes="").exists()


def test_a_meeting_of_another_organisation_is_404_even_for_its_group(client, people):
    meeting = plan(people)
    elsewhere = make_user(people.outsider_org, "ella", "Ella Elsewhere", (Role.CFCIG_CHAIR, None))
    client.force_login(elsewhere)
    assert client.get(reverse("group:meeting", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("group:minutes_pdf", args=[meeting.pk])).status_code == 404
    assert client.get(reverse("group:meetings")).content.decode().count("Room 2") == 0


@pytest.mark.parametrize("persona", SEE_MEETINGS)
def test_the_group_sees_upcoming_and_past_meetings(client, people, persona):
    soon = plan(people, date=timezone.localdate() + datetime.timedelta(days=3))
    held = plan(people, date=datetime.date(2025, 1, 14))
    client.force_login(getattr(people, persona))
    page = client.get(reverse("group:meetings")).content.decode()
    upcoming, past = page.split('<h2 class="govuk-heading-m">Past meetings</h2>')
    soon_url, held_url = (reverse("group:meeting", args=[m.pk]) for m in (soon, held))
    assert soon_url in upcoming and held_url not in upcoming
    assert held_url in past and "14 January 2025" in past
    assert ("Plan a meeting" in page) == (persona in {"cfcig_chair", "cfcig_member"})


def test_the_navigation_offers_the_group_to_its_members_only(client, people):
    personas = [("cfcig_member", True), ("auditor", False), ("admin", False), ("worker", False)]
    for persona, shown in personas:
        client.force_login(getattr(people, persona))
        page = client.get(reverse("home")).content.decode()
        assert ("Improvement group" in page) == shown, persona


def test_a_member_plans_a_meeting_and_its_agenda_is_assembled(client, people, make_referral):
    agreed = make_referral(Status.AGREED, content=child("Zara Quinn"))
    client.force_login(people.cfcig_member)
    form = client.get(reverse("group:meeting_new")).content.decode()
    assert "Morag Lindsay" in form and "Catriona Munro" in form
    response = client.post(
        reverse("group:meeting_new"),
        {
            "date_0": "8",
            "date_1": "4",
            "date_2": "2030",
            "place": "Room 2",
            "members": [people.cfcig_chair.pk, people.cfcig_member.pk],
            "others": [people.service_manager.pk],
        },
    )
    meeting = Meeting.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("group:meeting", args=[meeting.pk])
    assert meeting.date == datetime.date(2030, 4, 8)
    assert set(meeting.attendees.all()) == {
        people.cfcig_chair,
        people.cfcig_member,
        people.service_manager,
    }
    assert [i.referral for i in meeting.items.all()] == [agreed]
    page = client.get(response["Location"]).content.decode()
    assert agreed.reference in page and "Zara Quinn" in page
    assert "Update the agenda from the queue" in page


def test_a_meeting_needs_a_real_date_and_keeps_what_was_typed(client, people):
    client.force_login(people.cfcig_member)
    response = client.post(
        reverse("group:meeting_new"),
        {"date_0": "31", "date_1": "2", "date_2": "2030", "place": "Room 7"},
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Date of the meeting must be a real date" in page
    assert 'value="Room 7"' in page
    assert not Meeting.objects.exists()


@pytest.mark.parametrize("persona", ["admin", "auditor"])
def test_oversight_cannot_plan_a_meeting(client, people, persona):
    client.force_login(getattr(people, persona))
    response = client.post(
        reverse("group:meeting_new"), {"date_0": "8", "date_1": "4", "date_2": "2030"}
    )
    assert response.status_code == 404
    assert not Meeting.objects.exists()


def test_the_agenda_holds_agreed_referrals_and_further_action_not_yet_complete_only(
    client, people, make_referral
):
    included = {
        make_referral(Status.AGREED, content=child("Agreed Child")): AgendaItem.Kind.REFERRAL,
        make_referral(Status.NOT_PROCEEDING, content=child("Follow Child")): (
            AgendaItem.Kind.PROGRESS
        ),
    }
    for status in (
        Status.DRAFT,
        Status.WITH_SERVICE_MANAGER,
        Status.NOT_AGREED,
        Status.REVIEW_COMMISSIONED,
        Status.FURTHER_ACTION_COMPLETE,
    ):
        make_referral(status)
    meeting = plan(people)
    assert {i.referral: i.kind for i in meeting.items.all()} == included
    # Updating from the queue again adds nothing twice.
    client.force_login(people.cfcig_member)
    client.post(reverse("group:meeting_agenda", args=[meeting.pk]))
    assert meeting.items.count() == 2
    # A referral agreed since joins at the end.
    later = make_referral(Status.AGREED, content=child("Later Child"))
    client.post(reverse("group:meeting_agenda", args=[meeting.pk]))
    assert [i.referral for i in meeting.items.all()][-1] == later
    assert list(meeting.items.values_list("position", flat=True)) == [1, 2, 3]


def test_the_agenda_no_longer_changes_once_minutes_are_written(client, people, make_referral):
    make_referral(Status.AGREED)
    meeting = plan(people)
    item = meeting.items.get()
    client.force_login(people.cfcig_member)
    client.post(
        reverse("group:agenda_item", args=[meeting.pk, item.pk]),
        {"minutes": "Noted.", "version": 1},
    )
    make_referral(Status.AGREED, content=child("Later Child"))
    response = client.post(reverse("group:meeting_agenda", args=[meeting.pk]), follow=True)
    assert "The agenda can only change before the meeting is held." in response.content.decode()
    assert meeting.items.count() == 1
    assert "Update the agenda from the queue" not in response.content.decode()


def test_a_member_writes_the_minutes_of_an_item(client, people, make_referral):
    referral = make_referral(Status.AGREED)
    meeting = plan(people)
    item = meeting.items.get()
    url = reverse("group:agenda_item", args=[meeting.pk, item.pk])
    client.force_login(people.cfcig_member)
    page = client.get(url).content.decode()
    assert "Three foster placements have ended unplanned" in page  # circumstances
    assert "Each move was an emergency" in page  # a reason
    assert reverse("referrals:check", args=[referral.pk]) in page
    response = client.post(url, {"minutes": "The group discussed the three moves.", "version": 1})
    assert response.status_code == 302
    item.refresh_from_db()
    meeting.refresh_from_db()
    assert item.minutes == "The group discussed the three moves."
    assert meeting.status == Meeting.Status.HELD


def test_empty_minutes_are_refused_beside_the_box(client, people, make_referral):
    make_referral(Status.AGREED)
    meeting = plan(people)
    item = meeting.items.get()
    client.force_login(people.cfcig_member)
    response = client.post(
        reverse("group:agenda_item", args=[meeting.pk, item.pk]), {"minutes": ""}
    )
    assert "Enter the minutes of this item" in response.content.decode()
    assert response.content.decode().startswith("<!DOCTYPE html>")
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_opening_an_agenda_item_is_recorded_as_access_to_the_referral(
    client, people, make_referral
):
    referral = make_referral(Status.AGREED)
    meeting = plan(people)
    item = meeting.items.get()
    client.force_login(people.cfcig_chair)
    client.get(reverse("group:agenda_item", args=[meeting.pk, item.pk]))
    view = ViewSummary.objects.filter(
        actor_id=people.cfcig_chair.pk, record_type="referrals.referral"
    )
    assert view.get().record_id == str(referral.pk)


@pytest.mark.parametrize("persona", ["cfcig_member", "admin", "auditor"])
def test_only_the_chair_confirms_the_minutes_are_complete(client, people, persona):
    meeting = plan(people)
    client.force_login(getattr(people, persona))
    assert (
        "Confirm the minutes are complete"
        not in client.get(reverse("group:meeting", args=[meeting.pk])).content.decode()
    )
    client.post(reverse("group:meeting_close", args=[meeting.pk]))
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.PLANNED


def test_the_chair_closes_the_minutes_and_they_no_longer_change(client, people, make_referral):
    make_referral(Status.AGREED)
    meeting = plan(people)
    item = meeting.items.get()
    client.force_login(people.cfcig_chair)
    client.post(
        reverse("group:agenda_item", args=[meeting.pk, item.pk]),
        {"minutes": "Agreed.", "version": 1},
    )
    meeting.refresh_from_db()
    client.post(reverse("group:meeting_close", args=[meeting.pk]), {"version": meeting.version})
    meeting.refresh_from_db()
    assert meeting.status == Meeting.Status.CLOSED
    response = client.post(
        reverse("group:agenda_item", args=[meeting.pk, item.pk]), {"minutes": "Changed."}
    )
    item.refresh_from_db()
    assert item.minutes == "Agreed."
    assert "can no longer change" in response.content.decode()
    again = client.post(reverse("group:meeting_close", args=[meeting.pk]), follow=True)
    assert "The minutes are already complete." in again.content.decode()


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return " ".join(" ".join(page.extract_text().split()) for page in reader.pages)


def test_the_minutes_pdf_holds_every_item_its_decision_and_its_minutes(
    client, people, make_referral
):
    yes = make_referral(Status.AGREED, content=child("Zara Quinn"))
    progress = make_referral(Status.NOT_PROCEEDING, content=child("Kai Morton"))
    meeting = plan(people)
    yes_item, progress_item = meeting.items.all()
    services.meeting_record_minutes(
        item=yes_item, by=people.cfcig_member, minutes="Agreed to commission a review.", version=1
    )
    services.meeting_record_minutes(
        item=progress_item, by=people.cfcig_member, minutes="Contingency plan in place.", version=1
    )
    client.force_login(people.cfcig_chair)
    response = client.get(reverse("group:minutes_pdf", args=[meeting.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Cache-Control"] == "no-store"
    text = pdf_text(response.content)
    assert "OFFICIAL-SENSITIVE" in text
    assert "Room 2, Municipal Buildings" in text
    assert "Morag Lindsay" in text and "David Reid" in text
    assert f"Item 1: {yes.reference}, Zara Quinn" in text
    assert f"Item 2: {progress.reference}, Kai Morton" in text
    assert "No decision recorded." in text
    assert "Bring the child's plan to the next LAC review" in text  # the further action
    assert "Agreed to commission a review." in text
    assert "Contingency plan in place." in text
    event = AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS).latest("at")
    assert event.summary.startswith("Downloaded the minutes")
    assert event.record_id == str(meeting.pk)


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def test_the_meeting_page_makes_the_same_queries_for_one_item_or_many(
    client, people, make_referral, django_assert_max_num_queries
):
    make_referral(Status.AGREED)
    few = plan(people)
    for n in range(6):
        make_referral(Status.AGREED, content=child(f"Child {n}"))
    make_referral(Status.NOT_PROCEEDING)
    many = plan(people)
    assert many.items.count() == 8
    client.force_login(people.cfcig_chair)
    baseline = _count(client, reverse("group:meeting", args=[few.pk]))
    with django_assert_max_num_queries(baseline):
        client.get(reverse("group:meeting", args=[many.pk]))
    # Session, user, memberships, organisation, meeting, items, decisions, attendees, access.
    assert baseline <= 9


def _decide_yes(people, referral, objectives: int):
    services.decision_record(
        referral=referral,
        by=people.cfcig_member,
        data=services.DecisionInput(
            date_discussed=datetime.date(2025, 4, 9),
            proceed=True,
            rationale="Learning likely to apply across teams.",
            meets_criteria=True,
            will_benefit=True,
            objectives=[f"Objective {n}" for n in range(objectives)],
            lead_reviewers=[people.lead_reviewer, people.other_line_manager][: min(objectives, 2)],
            timescale=datetime.date(2025, 7, 1),
        ),
        version=0,
    )


def test_the_agenda_item_page_makes_the_same_queries_for_few_rows_or_many(
    client, people, make_referral, django_assert_max_num_queries
):
    few = make_referral(Status.AGREED, content=CaseContent(reasons=["One reason"]))
    many = make_referral(
        Status.AGREED, content=CaseContent(reasons=[f"Reason {n}" for n in range(10)])
    )
    _decide_yes(people, few, objectives=1)
    _decide_yes(people, many, objectives=6)
    progress = make_referral(Status.NOT_PROCEEDING)
    meeting = plan(people)
    client.force_login(people.cfcig_chair)

    def url(referral):
        item = meeting.items.get(referral=referral)
        return reverse("group:agenda_item", args=[meeting.pk, item.pk])

    few_url, many_url, progress_url = url(few), url(many), url(progress)
    # A referral item: reasons, objectives and lead reviewers by the handful.
    baseline = _count(client, few_url)
    with django_assert_max_num_queries(baseline):
        page = client.get(many_url).content.decode()
    assert "Reason 9" in page and "Objective 5" in page
    # Session, user, memberships, organisation, meeting, item, reasons, access, decision,
    # objectives, lead reviewers, further actions, progress reports, item count.
    assert baseline <= 14
    # A progress item: reports on the further action.
    before = _count(client, progress_url)
    action = progress.decision.further_actions.get()
    for n in range(5):
        services.progress_report_add(
            action=action,
            by=people.line_manager,
            text=f"Progress {n}",
            reported_on=datetime.date(2025, 5, 1 + n),
        )
    with django_assert_max_num_queries(before):
        page = client.get(progress_url).content.decode()
    assert "Progress 4" in page


def test_apologies_given_when_planning_are_kept_and_shown(client, people):
    from learning_reviews.improvement_group.models import Meeting

    client.force_login(people.cfcig_chair)
    client.post(
        reverse("group:meeting_new"),
        {
            "date_0": "9",
            "date_1": "4",
            "date_2": "2025",
            "place": "Room 2",
            "members": [str(people.cfcig_chair.pk)],
            "apologies": "David Reid",
        },
    )
    meeting = Meeting.objects.get()
    assert meeting.apologies == "David Reid"
    page = client.get(reverse("group:meeting", args=[meeting.pk])).content.decode()
    assert "David Reid" in page


@pytest.mark.parametrize("sent", ["read before the last minutes", "none"])
def test_the_chair_confirms_only_the_minutes_they_read(client, people, make_referral, sent):
    make_referral(Status.AGREED)
    meeting = plan(people)
    item = meeting.items.get()
    read = Meeting.objects.get(pk=meeting.pk).version
    services.meeting_record_minutes(
        item=item, by=people.cfcig_member, minutes="Written after.", version=1
    )
    client.force_login(people.cfcig_chair)
    response = client.post(
        reverse("group:meeting_close", args=[meeting.pk]),
        {"version": read} if sent != "none" else {},
        follow=True,
    )
    assert "Someone else changed the minutes since you opened it" in response.content.decode()
    assert Meeting.objects.get(pk=meeting.pk).status == Meeting.Status.HELD
