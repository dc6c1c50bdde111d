"""Due dates that count (issue 11): each stage that waits on one person is due a number of
working days after it starts, kept when it starts, and shown on My tasks most overdue first."""

import datetime
import re

import time_machine
from django.urls import reverse

from learning_reviews.accounts.models import LocalHoliday
from learning_reviews.audit.models import AuditEvent
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.reviews.models import Outline, Review
from learning_reviews.reviews.tests.report_helpers import review_at

# Thursday 26 November 2026. Ten working days on: Friday 27; then not Saturday or Sunday, not
# Monday 30 November (St Andrew's Day, a Scottish public holiday) nor Tuesday 1 December (the
# council's own holiday in these tests); from Wednesday 2 December, nine more: Monday 14.
RECOMMENDED = datetime.datetime(2026, 11, 26, 12, 0, tzinfo=datetime.UTC)
LOCAL_HOLIDAY = datetime.date(2026, 12, 1)


def _tasks(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def test_the_service_managers_decision_is_due_ten_working_days_after_the_recommendation(
    people, make_referral
):
    LocalHoliday.objects.create(organisation=people.org, date=LOCAL_HOLIDAY, name="Council day")
    with time_machine.travel(RECOMMENDED, tick=False):
        referral = make_referral(Status.WITH_SERVICE_MANAGER)
    assert referral.due_on == datetime.date(2026, 12, 14)
    event = AuditEvent.objects.filter(action="referral.recommend").get()
    assert event.changes["due_on"] == [None, "2026-12-14"]

    # Without the council's holiday, a day sooner; a new timescale does not move it.
    LocalHoliday.objects.all().delete()
    with time_machine.travel(RECOMMENDED, tick=False):
        other = make_referral(Status.WITH_SERVICE_MANAGER)
    assert other.due_on == datetime.date(2026, 12, 11)
    people.org.service_manager_decision_days = 2
    people.org.save()
    other.refresh_from_db()
    assert other.due_on == datetime.date(2026, 12, 11)


def test_the_groups_decision_and_then_the_letter_are_due_from_when_their_stage_started(
    client, people, make_referral
):
    with time_machine.travel(RECOMMENDED, tick=False):
        agreed = make_referral(Status.AGREED)
        commissioned = make_referral(Status.REVIEW_COMMISSIONED)
    # 20 working days after Thursday 26 November, past St Andrew's Day, Christmas (Friday 25
    # December) and Boxing Day (a Saturday, so taken on Monday 28 December): Tuesday 29th.
    assert agreed.due_on == datetime.date(2026, 12, 29)
    # The letter: five working days after the chair confirmed, on the same Thursday.
    assert commissioned.due_on == datetime.date(2026, 12, 4)

    with time_machine.travel(datetime.datetime(2026, 12, 7, 9, tzinfo=datetime.UTC), tick=False):
        html = _tasks(client, people.service_manager)
        assert "Send the written feedback on the improvement group&#x27;s decision" in html
        assert "1 working day overdue" in html
        assert "Send the written feedback" not in _tasks(client, people.line_manager)
        group = _tasks(client, people.cfcig_member)
        assert "Due in 14 working days" in group


def test_my_tasks_says_when_each_is_due_most_overdue_first(client, people, make_referral):
    today = datetime.date(2026, 12, 9)  # a Wednesday
    made = {}
    for due_on in (datetime.date(2026, 12, 14), datetime.date(2026, 12, 7), today):
        referral = make_referral(Status.WITH_SERVICE_MANAGER)
        Referral.objects.filter(pk=referral.pk).update(due_on=due_on)
        made[due_on] = referral.reference
    old = make_referral(Status.WITH_SERVICE_MANAGER)  # from before due dates were kept
    Referral.objects.filter(pk=old.pk).update(
        due_on=None, status_changed_on=datetime.datetime(2026, 11, 18, 9, tzinfo=datetime.UTC)
    )

    with time_machine.travel(datetime.datetime(2026, 12, 9, 9, tzinfo=datetime.UTC), tick=False):
        html = _tasks(client, people.service_manager)
    rows = re.findall(r"<tr class=\"govuk-table__row\">(.*?)</tr>", html, re.S)
    references = [*made.values(), old.reference]
    rows = [row for row in rows if any(ref in row for ref in references)]
    order = [next(ref for ref in references if ref in row) for row in rows]
    # The most overdue first: the old one was due 10 working days after 18 November, past St
    # Andrew's Day: Thursday 3 December.
    assert order == [
        old.reference,
        made[datetime.date(2026, 12, 7)],
        made[today],
        made[datetime.date(2026, 12, 14)],
    ]
    assert '<strong class="govuk-tag govuk-tag--red">4 working days overdue</strong>' in rows[0]
    assert '<strong class="govuk-tag govuk-tag--red">2 working days overdue</strong>' in rows[1]
    assert "Due today" in rows[2]
    assert "Due in 3 working days" in rows[3]


def test_a_participant_is_told_when_their_accuracy_check_response_is_due(
    client, people, make_referral
):
    review = review_at(make_referral, people, Review.Status.ACCURACY_CHECK)
    outline = Outline.objects.filter(review=review).order_by("-number").first()
    Outline.objects.filter(pk=outline.pk).update(respond_by=datetime.date(2026, 12, 4))
    with time_machine.travel(datetime.datetime(2026, 12, 9, 9, tzinfo=datetime.UTC), tick=False):
        html = _tasks(client, people.other_worker)
    assert "Check the outline of the findings for accuracy" in html
    assert "3 working days overdue" in html


def test_changing_a_due_date_needs_a_reason_and_is_in_the_history(client, people, make_referral):
    with time_machine.travel(RECOMMENDED, tick=False):
        referral = make_referral(Status.AGREED)  # the group's decision, due 29 December
    url = reverse("referrals:due_date", args=[referral.pk])
    typed = {"due_on_0": "8", "due_on_1": "1", "due_on_2": "2027", "reason": ""}

    with time_machine.travel(datetime.datetime(2026, 12, 9, 9, tzinfo=datetime.UTC), tick=False):
        # Only whoever manages the stage: for the group's decision, not the worker, the line
        # manager, a group member or another council.
        for outsider in (people.worker, people.line_manager, people.cfcig_member, people.outsider):
            client.force_login(outsider)
            assert client.get(url).status_code == 404
            assert client.post(url, {**typed, "version": referral.version}).status_code == 404

        client.force_login(people.service_manager)
        page = client.get(url).content.decode()
        assert "is due on 29 December 2026" in page
        assert "(due in 12 working days)" in page

        html = client.post(url, {**typed, "version": referral.version}).content.decode()
        assert 'id="id_reason-error"' in html
        assert "Enter why the due date is changing" in html
        assert 'value="2027"' in html  # what was typed is kept
        referral.refresh_from_db()
        assert referral.due_on == datetime.date(2026, 12, 29)

        # A page opened before someone else changed the referral is refused, not overwritten.
        stale = client.post(
            url, {**typed, "reason": "Meeting moved", "version": referral.version - 1}
        )
        assert "Someone else changed this referral" in stale.content.decode()

        response = client.post(
            url, {**typed, "reason": "The January meeting", "version": referral.version}
        )
        assert response.status_code == 302
        referral.refresh_from_db()
        assert referral.due_on == datetime.date(2027, 1, 8)
        event = AuditEvent.objects.get(action="referral.due_date_changed")
        assert event.actor_id == people.service_manager.pk
        assert event.changes == {
            "due_on": ["2026-12-29", "2027-01-08"],
            "reason": "The January meeting",
        }

        # The referral's page says when it is due, and offers the change to those who may.
        page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
        assert "is due on 8 January 2027" in page
        assert url in page
        client.force_login(people.worker)
        page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
        assert "is due on 8 January 2027" in page
        assert url not in page


def test_the_lead_reviewer_changes_the_date_to_respond_by_with_a_reason(
    client, people, make_referral
):
    review = review_at(make_referral, people, Review.Status.ACCURACY_CHECK)
    outline = Outline.objects.filter(review=review).order_by("-number").first()
    url = reverse("reviews:review_accuracy_check_due", args=[review.pk])
    next_year = str(datetime.date.today().year + 1)
    typed = {"respond_by_0": "2", "respond_by_1": "3", "respond_by_2": next_year, "reason": ""}

    for outsider in (people.cfcig_member, people.other_worker, people.outsider):
        client.force_login(outsider)
        assert client.get(url).status_code == 404
        assert client.post(url, {**typed, "reason": "x", "version": 1}).status_code == 404

    client.force_login(people.lead_reviewer)
    review.refresh_from_db()
    html = client.post(url, {**typed, "version": review.version}).content.decode()
    assert 'id="id_reason-error"' in html and "Enter why the date is changing" in html
    response = client.post(url, {**typed, "reason": "Two are on leave", "version": review.version})
    assert response.status_code == 302
    outline.refresh_from_db()
    assert outline.respond_by == datetime.date(int(next_year), 3, 2)
    event = AuditEvent.objects.get(action="review.accuracy_check_due_changed")
    assert event.changes["reason"] == "Two are on leave"
    assert event.changes["respond_by"][1] == f"{next_year}-03-02"
