"""My tasks gives actions, outcome checks, further actions and progress reports a due date that
counts in working days ("due in 3 working days", "due today", "2 working days overdue"), most
overdue first, as it does referrals and reviews (issue 11; docs/decisions/0031-due-dates-in-my-
tasks.md)."""

import datetime
import re

import time_machine
from django.urls import reverse

from learning_reviews.improvement_group import services as group_services
from learning_reviews.improvement_group.models import AgendaItem
from learning_reviews.improvement_group.tests.further_action_factories import not_proceeding
from learning_reviews.outcomes import services
from learning_reviews.outcomes.models import Recommendation
from learning_reviews.outcomes.selectors import add_months
from learning_reviews.outcomes.tests.helpers import action_for, confirmed_review, version

# Wednesday 9 December 2026. Three working days on is Monday 14th.
TODAY = datetime.datetime(2026, 12, 9, 9, tzinfo=datetime.UTC)


def _page(client, user) -> str:
    client.force_login(user)
    return client.get(reverse("home")).content.decode()


def _table(html: str, caption: str) -> list[str]:
    table = re.search(rf"{caption}.*?</table>", html, re.S)
    assert table, f"no table {caption!r}"
    return re.findall(r'<tr class="govuk-table__row">(.*?)</tr>', table.group(0), re.S)[1:]


def test_actions_are_due_in_working_days_most_overdue_first(client, people, make_referral):
    with time_machine.travel(TODAY, tick=False):
        review = confirmed_review(people, make_referral)
        recommendation = Recommendation.objects.filter(review=review).first()
        member, owner = people.cfcig_member, people.other_worker
        for text, due in (
            ("Brief the locality teams", datetime.date(2026, 12, 14)),
            ("Write the planned-moves guidance", datetime.date(2026, 12, 7)),
            ("Add the carers' checklist to SWIS", datetime.date(2026, 12, 9)),
        ):
            action_for(
                recommendation,
                member,
                owner,
                text=text,
                due_on=due,
                outcome_check_on=datetime.date(2027, 3, 1),
            )
        rows = _table(_page(client, owner), "From findings to change")
    assert [re.search(r"Your action: ([^<]*)", row).group(1) for row in rows] == [
        "Write the planned-moves guidance",
        "Add the carers&#x27; checklist to SWIS",
        "Brief the locality teams",
    ]
    assert '<strong class="govuk-tag govuk-tag--red">2 working days overdue</strong>' in rows[0]
    assert "7 December 2026" in rows[0]
    assert '<strong class="govuk-tag govuk-tag--yellow">Due today</strong>' in rows[1]
    assert '<strong class="govuk-tag govuk-tag--yellow">Due in 3 working days</strong>' in rows[2]


def test_the_group_is_asked_to_check_an_outcome_by_its_date_once_the_owner_is_done(
    client, people, make_referral
):
    with time_machine.travel(TODAY, tick=False):
        review = confirmed_review(people, make_referral)
        recommendation = Recommendation.objects.filter(review=review).first()
        action = action_for(
            recommendation,
            people.cfcig_chair,
            people.other_worker,
            text="Brief the locality teams",
            due_on=datetime.date(2026, 12, 7),
            outcome_check_on=datetime.date(2026, 12, 11),
        )
        check = "Check the outcome of the action: Brief the locality teams"
        assert check not in _page(client, people.cfcig_member)  # not done yet
        services.action_update_add(
            action=action,
            by=people.other_worker,
            date=datetime.date(2026, 12, 8),
            text="Every locality team briefed at its team meeting.",
            status="done",
        )
        rows = [
            r for r in _table(_page(client, people.cfcig_member), "From findings") if check in r
        ]
        assert len(rows) == 1
        assert "Due in 2 working days" in rows[0] and "11 December 2026" in rows[0]
        assert reverse("outcomes:action_outcome", args=[action.pk]) in rows[0]
        # Not for anyone outside the group; the owner's own row now waits on the check too.
        assert check not in _page(client, people.worker)
        owner = _table(_page(client, people.other_worker), "From findings")
        assert "Due in 2 working days" in owner[0]


def test_progress_reports_on_the_action_plan_are_due_at_the_agreed_interval(
    client, people, make_referral
):
    reporter, chair = people.service_manager, people.cfcig_chair
    with time_machine.travel(TODAY, tick=False):
        review = confirmed_review(people, make_referral)
        recommendation = Recommendation.objects.filter(review=review).first()
        action_for(recommendation, chair, people.other_worker, due_on=datetime.date(2027, 2, 1))
        services.monitoring_set(
            review=review,
            by=chair,
            reporter=reporter,
            interval="monthly",
            notes="",
            version=version(review),
        )
        rows = _table(_page(client, reporter), "From findings")
        # A month after the chair confirmed the recommendations on 9 December.
        row = next(r for r in rows if "Report progress on the action plan" in r)
        assert "9 January 2027" in row
        # It leads to the referral's page, which the reporter (its Service Manager) reads.
        page = reverse("referrals:detail", args=[review.referral_id])
        assert page in row
        assert client.get(page).status_code == 200
        meeting = group_services.meeting_create(
            by=chair, date=datetime.date(2027, 1, 13), place="", attendees=[]
        )
    item = meeting.items.get(kind=AgendaItem.Kind.ACTION_PLAN)
    with time_machine.travel(datetime.datetime(2027, 1, 13, 15, tzinfo=datetime.UTC), tick=False):
        group_services.meeting_record_minutes(
            item=item, by=chair, minutes="Guidance drafted; on track.", version=item.version
        )
        row = next(r for r in _table(_page(client, reporter), "From") if "action plan" in r)
        # A month after the meeting that heard the last report.
        assert "13 February 2027" in row
        services.monitoring_set(
            review=review,
            by=chair,
            reporter=reporter,
            interval="every_meeting",
            notes="",
            version=version(review),
        )
        row = next(r for r in _table(_page(client, reporter), "From") if "action plan" in r)
        assert "February" not in row  # no meeting planned after the last one yet
        group_services.meeting_create(
            by=chair, date=datetime.date(2027, 2, 10), place="", attendees=[]
        )
        row = next(r for r in _table(_page(client, reporter), "From") if "action plan" in r)
        assert "10 February 2027" in row
    assert "Report progress on the action plan" not in _page(client, people.worker)


def test_further_action_and_its_progress_reports_are_due_by_the_further_actions_dates(
    client, people
):
    # Further action 1 (the line manager's) is due on Friday 9 May 2025, number 2 (Jenna
    # Scott's) on Sunday 8 June, so met on Monday 9 June.
    referral, decision = not_proceeding(people, owners=[people.line_manager, people.other_worker])
    with time_machine.travel(datetime.datetime(2025, 5, 12, 9, tzinfo=datetime.UTC), tick=False):
        rows = _table(_page(client, people.line_manager), "Referrals waiting on you")
        row = next(r for r in rows if referral.reference in r)
        assert "Report progress on the further action" in row
        assert '<strong class="govuk-tag govuk-tag--red">1 working day overdue</strong>' in row
        # From Monday 12 May to Monday 9 June, less the Spring bank holiday (26 May).
        owner = _table(_page(client, people.other_worker), "Further action you own")
        assert "Due in 19 working days" in owner[0] and "8 June 2025" in owner[0]

        first = decision.further_actions.get(owner=people.line_manager)
        group_services.progress_report_add(
            action=first,
            by=people.line_manager,
            text="The child's plan review met; the family support worker is in place.",
            reported_on=datetime.date(2025, 5, 12),
        )
        rows = _table(_page(client, people.line_manager), "Referrals waiting on you")
        row = next(r for r in rows if referral.reference in r)
        assert "8 June 2025" in row and "Due in 19 working days" in row


def test_a_month_on_is_the_same_day_or_the_months_last():
    assert add_months(datetime.date(2026, 12, 9), 1) == datetime.date(2027, 1, 9)
    assert add_months(datetime.date(2027, 1, 31), 1) == datetime.date(2027, 2, 28)
    assert add_months(datetime.date(2027, 11, 30), 3) == datetime.date(2028, 2, 29)
    assert add_months(datetime.date(2026, 8, 31), 6) == datetime.date(2027, 2, 28)
