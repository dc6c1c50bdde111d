"""The calendar feed: a private link per person, made and revoked on "Your account", serving
the dates that wait on them as iCalendar, with references and never names."""

import datetime

import icalendar
import pytest
from django.urls import reverse
from django.utils import timezone

from learning_reviews.accounts.models import User
from learning_reviews.audit.models import AuditEvent
from learning_reviews.home import calendar_services
from learning_reviews.home.models import CalendarToken
from learning_reviews.improvement_group import services as group_services
from learning_reviews.improvement_group.models import Letter, Meeting
from learning_reviews.improvement_group.tests.further_action_factories import (
    DISCUSSED_ON,
    not_proceeding,
)
from learning_reviews.outcomes import services
from learning_reviews.outcomes.models import Action, Recommendation
from learning_reviews.outcomes.selectors import add_months
from learning_reviews.outcomes.tests.helpers import action_for, confirmed_review, version
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.reviews.models import Outline, OutlineResponse, Review


def _feed(client, secret: str):
    return client.get(reverse("calendar_feed", args=[secret]))


def _events(response) -> dict[str, icalendar.Event]:
    calendar = icalendar.Calendar.from_ical(response.content)
    return {str(e["uid"]).split("@")[0]: e for e in calendar.walk("VEVENT")}


@pytest.fixture
def dated(people, make_referral):
    """A group member who owns two open actions (one done, awaiting its outcome check) and one
    closed, in a group with a planned meeting; another organisation's meeting beside it."""
    member = people.cfcig_member
    review = confirmed_review(people, make_referral)
    recommendation = Recommendation.objects.filter(review=review).order_by("id").first()
    today = datetime.date.today()
    open_action = action_for(recommendation, people.cfcig_member, member)
    done = action_for(recommendation, people.cfcig_member, member)
    closed = action_for(recommendation, people.cfcig_member, member)
    someone_elses = action_for(recommendation, people.cfcig_member, people.other_worker)
    Action.objects.filter(pk=done.pk).update(status=Action.Status.DONE)
    Action.objects.filter(pk=closed.pk).update(status=Action.Status.ACHIEVED)
    meeting = group_services.meeting_create(
        by=member, date=today + datetime.timedelta(days=7), place="Room 4", attendees=[member]
    )
    theirs = Meeting.objects.create(organisation=people.outsider_org, date=today, place="Away")
    return {
        "review": review,
        "open": open_action,
        "done": done,
        "closed": closed,
        "someone_elses": someone_elses,
        "meeting": meeting,
        "theirs": theirs,
    }


def test_the_feed_holds_exactly_the_person_s_dates_by_reference_and_no_names(
    client, people, dated, django_assert_max_num_queries
):
    secret = calendar_services.calendar_token_create(by=people.cfcig_member)
    # With the referrals and reports waiting, and the download's audit event.
    with django_assert_max_num_queries(10):
        response = _feed(client, secret)
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    assert response["Cache-Control"] == "no-store"
    events = _events(response)
    open_action, done, meeting = dated["open"], dated["done"], dated["meeting"]
    assert set(events) == {
        f"meeting-{meeting.pk}",
        f"action-{open_action.pk}-due",
        f"action-{open_action.pk}-outcome-check",
        f"action-{done.pk}-outcome-check",
    }
    reference = dated["review"].referral.reference
    due = events[f"action-{open_action.pk}-due"]
    assert str(due["summary"]) == f"{reference}: action due"
    assert due["dtstart"].params["VALUE"] == "DATE"
    assert due.decoded("dtstart") == open_action.due_on
    assert str(due["url"]).endswith(reverse("outcomes:action", args=[open_action.pk]))
    check = events[f"action-{done.pk}-outcome-check"]
    assert str(check["summary"]) == f"{reference}: outcome check"
    assert check.decoded("dtstart") == done.outcome_check_on
    group = events[f"meeting-{meeting.pk}"]
    assert str(group["summary"]) == f"{people.org.improvement_group_short_name} meeting"
    assert group.decoded("dtstart") == meeting.date
    assert str(group["location"]) == "Room 4"
    assert all("dtstamp" in e for e in events.values())

    body = response.content.decode()
    for referral in Referral.objects.all():
        for secret_word in (referral.child_name, referral.swis_number):
            assert not secret_word or secret_word not in body
    for user in User.objects.all():
        assert user.full_name not in body
        assert user.username not in body

    # The UIDs are stable: fetched again, the same events come back.
    assert set(_events(_feed(client, secret))) == set(events)


def test_the_queries_do_not_grow_with_the_events(
    client, people, dated, django_assert_max_num_queries
):
    recommendation = Recommendation.objects.filter(review=dated["review"]).first()
    for _ in range(5):
        action_for(recommendation, people.cfcig_member, people.cfcig_member)
    secret = calendar_services.calendar_token_create(by=people.cfcig_member)
    # With the referrals and reports waiting, and the download's audit event.
    with django_assert_max_num_queries(10):
        response = _feed(client, secret)
    assert len(_events(response)) == 4 + 5 * 2


def test_a_worker_s_feed_has_no_meetings_and_nothing_of_another_organisation(client, people, dated):
    """The other worker owns an action and is a participant in the review, which (for this
    test) is back at its accuracy check, where they have not yet answered its latest outline."""
    secret = calendar_services.calendar_token_create(by=people.other_worker)
    review = dated["review"]
    Review.objects.filter(pk=review.pk).update(status=Review.Status.ACCURACY_CHECK)
    outline = Outline.objects.filter(review=review).order_by("number").last()
    assert set(_events(_feed(client, secret))) == {  # they answered the latest outline
        f"action-{dated['someone_elses'].pk}-due",
        f"action-{dated['someone_elses'].pk}-outcome-check",
    }
    OutlineResponse.objects.filter(outline=outline, participant__user=people.other_worker).delete()
    events = _events(_feed(client, secret))
    assert set(events) == {
        f"action-{dated['someone_elses'].pk}-due",
        f"action-{dated['someone_elses'].pk}-outcome-check",
        f"outline-{outline.pk}-respond-by",
    }
    reply = events[f"outline-{outline.pk}-respond-by"]
    assert reply.decoded("dtstart") == outline.respond_by
    assert str(reply["summary"]).startswith(dated["review"].referral.reference)
    Review.objects.filter(pk=review.pk).update(status=Review.Status.DRAFTING)
    assert len(_events(_feed(client, secret))) == 2  # the accuracy check is over
    secret = calendar_services.calendar_token_create(by=people.outsider)
    assert _events(_feed(client, secret)) == {}


def test_revoked_unknown_and_deactivated_links_answer_404(client, people):
    first = calendar_services.calendar_token_create(by=people.worker)
    second = calendar_services.calendar_token_create(by=people.worker)
    assert _feed(client, first).status_code == 404  # a new link revokes the old
    assert _feed(client, second).status_code == 200
    assert _feed(client, "not-a-link").status_code == 404
    calendar_services.calendar_token_revoke(by=people.worker)
    assert _feed(client, second).status_code == 404

    third = calendar_services.calendar_token_create(by=people.worker)
    people.worker.is_active = False
    people.worker.save()
    assert _feed(client, third).status_code == 404
    assert CalendarToken.objects.filter(user=people.worker, revoked_on__isnull=True).count() == 1


def test_making_and_revoking_a_link_is_audited_and_the_page_works_without_javascript(
    client, people
):
    client.force_login(people.worker)
    page = reverse("account_calendar")
    assert reverse("account_calendar") in client.get(reverse("account")).content.decode()
    assert "Make a calendar link" in client.get(page).content.decode()

    response = client.post(page, {"action": "create"})
    assert response.status_code == 302 and response["Location"] == page
    shown = client.get(page).content.decode()
    assert "Subscribe from web" in shown
    start = shown.index('value="http') + len('value="')
    url = shown[start : shown.index('"', start)]
    assert url.endswith(".ics")
    assert client.get(url.split("://", 1)[1].split("/", 1)[1].join(["/", ""])).status_code == 200
    assert url not in client.get(page).content.decode()  # shown once only

    client.post(page, {"action": "revoke"})
    assert "You have no calendar link." in client.get(page).content.decode()
    actions = list(
        AuditEvent.objects.filter(actor_id=people.worker.pk, action__startswith="calendar_link")
        .order_by("id")
        .values_list("action", flat=True)
    )
    assert actions == ["calendar_link.created", "calendar_link.revoked"]


def _decoded(events: dict[str, icalendar.Event]) -> dict[str, tuple[datetime.date, str]]:
    return {uid: (e.decoded("dtstart"), str(e["summary"])) for uid, e in events.items()}


def test_referral_stages_waiting_on_the_person_are_in_their_feed_by_reference(
    client, people, make_referral
):
    with_sm = make_referral(Status.WITH_SERVICE_MANAGER)
    agreed = make_referral(Status.AGREED)
    commissioned = make_referral(Status.REVIEW_COMMISSIONED)  # its letter not yet sent
    referral, _ = not_proceeding(people, owners=[people.line_manager, people.other_worker])
    names = {r.child_name for r in (with_sm, agreed, commissioned, referral)}

    def feed(user: User) -> dict[str, tuple[datetime.date, str]]:
        response = _feed(client, calendar_services.calendar_token_create(by=user))
        assert not any(name in response.content.decode() for name in names)
        return {
            uid: value for uid, value in _decoded(_events(response)).items() if "referral" in uid
        }

    assert feed(people.service_manager) == {
        f"referral-{with_sm.pk}-sm-decision": (
            with_sm.due_on,
            f"{with_sm.reference}: Service Manager's decision due",
        ),
        f"referral-{commissioned.pk}-feedback-letter": (
            commissioned.due_on,
            f"{commissioned.reference}: written feedback due",
        ),
        f"referral-{referral.pk}-feedback-letter": (
            referral.due_on,
            f"{referral.reference}: written feedback due",
        ),
    }
    # The group's decision is the chair's to confirm: in their feed, not every member's.
    assert feed(people.cfcig_chair) == {
        f"referral-{agreed.pk}-group-decision": (
            agreed.due_on,
            f"{agreed.reference}: group's decision due",
        ),
    }
    assert feed(people.cfcig_member) == {}
    # The team manager's progress report on further action: by the first further action's
    # due date (DISCUSSED_ON + 30 days), as no interval is recorded.
    assert feed(people.line_manager) == {
        f"referral-{referral.pk}-progress-report": (
            DISCUSSED_ON + datetime.timedelta(days=30),
            f"{referral.reference}: progress report on further action due",
        ),
    }
    assert feed(people.worker) == {}
    assert feed(people.outsider) == {}

    # A meeting planned before the group's timescale brings its decision forward in the feed.
    soon = agreed.due_on - datetime.timedelta(days=3)
    group_services.meeting_create(by=people.cfcig_chair, date=soon, place="", attendees=[])
    assert feed(people.cfcig_chair)[f"referral-{agreed.pk}-group-decision"][0] == soon
    # Once the letter is sent, it is no longer a deadline.
    Letter.objects.create(
        organisation=people.org,
        decision=commissioned.decision,
        subject="Feedback",
        body="",
        sent_on=timezone.now(),
    )
    assert f"referral-{commissioned.pk}-feedback-letter" not in feed(people.service_manager)


def test_progress_reports_on_an_action_plan_are_in_the_reporter_s_feed(
    client, people, make_referral
):
    review = confirmed_review(people, make_referral)
    recommendation = Recommendation.objects.filter(review=review).first()
    action_for(recommendation, people.cfcig_chair, people.other_worker)
    services.monitoring_set(
        review=review,
        by=people.cfcig_chair,
        reporter=people.service_manager,
        interval="quarterly",
        notes="",
        version=version(review),
    )
    response = _feed(client, calendar_services.calendar_token_create(by=people.service_manager))
    reference = review.referral.reference
    event = _events(response)[f"action-plan-{reference}-progress-report"]
    confirmed = timezone.localdate(review.outcome.confirmed_on)
    assert event.decoded("dtstart") == add_months(confirmed, 3)
    assert str(event["summary"]) == f"{reference}: progress report on the action plan due"
    assert review.referral.child_name not in response.content.decode()


def test_the_referral_deadlines_take_the_same_queries_for_one_or_many(
    client, people, make_referral, django_assert_max_num_queries
):
    for status in (Status.WITH_SERVICE_MANAGER, Status.REVIEW_COMMISSIONED, Status.AGREED):
        make_referral(status)
    secret = calendar_services.calendar_token_create(by=people.service_manager)
    chair = calendar_services.calendar_token_create(by=people.cfcig_chair)
    with django_assert_max_num_queries(50) as sm_one:
        _feed(client, secret)
    with django_assert_max_num_queries(50) as chair_one:
        _feed(client, chair)
    for _ in range(4):
        for status in (Status.WITH_SERVICE_MANAGER, Status.REVIEW_COMMISSIONED, Status.AGREED):
            make_referral(status)
    with django_assert_max_num_queries(len(sm_one.captured_queries)):
        assert len(_events(_feed(client, secret))) == 10
    with django_assert_max_num_queries(len(chair_one.captured_queries)):
        assert len(_events(_feed(client, chair))) == 5
