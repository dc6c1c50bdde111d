"""The Service Manager sees when each task is due on My tasks, most overdue first, and moves
their decision's due date with a reason, in a real browser without JavaScript: every page
through `check_page` (axe, failed requests, console), a missing reason shown beside its field;
and an action's owner sees their actions the same way."""

import datetime

import pytest
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import check_page, sign_in
from learning_reviews.audit.models import AuditEvent
from learning_reviews.outcomes.models import Recommendation
from learning_reviews.outcomes.tests.helpers import action_for, confirmed_review
from learning_reviews.referrals.models import Referral, Status


def follow(page: Page, target: Locator) -> None:
    """Activate a link or button from the keyboard and check the page it leads to."""
    target.focus()
    with page.expect_navigation():
        target.press("Enter")
    check_page(page)


@pytest.mark.e2e
def test_the_service_manager_sees_what_is_overdue_and_moves_a_due_date(
    open_page, people, make_referral
):
    late = make_referral(Status.WITH_SERVICE_MANAGER)
    Referral.objects.filter(pk=late.pk).update(
        due_on=datetime.date.today() - datetime.timedelta(days=14)
    )
    make_referral(Status.WITH_SERVICE_MANAGER)  # due in 10 working days

    manager = open_page(javascript=False)
    sign_in(manager, people.service_manager)
    check_page(manager)
    rows = manager.locator("tbody tr")
    expect(rows.first).to_contain_text("working days overdue")
    expect(rows.nth(1)).to_contain_text("Due in 10 working days")

    follow(manager, manager.get_by_role("link", name=late.reference))
    expect(manager.get_by_text("The Service Manager's decision is due on")).to_be_visible()
    follow(manager, manager.get_by_role("link", name="Change the due date"))
    year = str(datetime.date.today().year + 1)
    manager.get_by_label("Day", exact=True).fill("4")
    manager.get_by_label("Month", exact=True).fill("3")
    manager.get_by_label("Year", exact=True).fill(year)
    follow(manager, manager.get_by_role("button", name="Change the due date"))
    expect(manager.locator("#id_reason-error")).to_contain_text("Enter why the due date")
    manager.get_by_label("Why the due date is changing").fill("Awaiting the chronology.")
    follow(manager, manager.get_by_role("button", name="Change the due date"))
    expect(manager.get_by_text("The due date has been changed.")).to_be_visible()
    assert Referral.objects.get(pk=late.pk).due_on == datetime.date(int(year), 3, 4)
    assert AuditEvent.objects.filter(action="referral.due_date_changed").exists()


@pytest.mark.e2e
def test_an_action_owner_sees_their_actions_by_urgency_with_the_due_column(
    open_page, people, make_referral
):
    review = confirmed_review(people, make_referral)
    recommendation = Recommendation.objects.filter(review=review).first()
    today = datetime.date.today()
    for text, due in (
        ("Brief the locality teams", today + datetime.timedelta(days=40)),
        ("Write the planned-moves guidance", today - datetime.timedelta(days=14)),
    ):
        action_for(
            recommendation,
            people.cfcig_member,
            people.other_worker,
            text=text,
            due_on=due,
            outcome_check_on=due + datetime.timedelta(days=60),
        )

    owner = open_page(javascript=False)
    sign_in(owner, people.other_worker)
    check_page(owner)
    table = owner.locator("table", has_text="From findings to change")
    rows = table.locator("tbody tr")
    expect(rows.first).to_contain_text("Write the planned-moves guidance")
    expect(rows.first.locator(".govuk-tag--red").last).to_contain_text("working days overdue")
    expect(rows.nth(1)).to_contain_text("Brief the locality teams")
    expect(rows.nth(1)).to_contain_text("Due in ")
    follow(owner, rows.first.get_by_role("link"))
    expect(owner.get_by_text("Write the planned-moves guidance").first).to_be_visible()
