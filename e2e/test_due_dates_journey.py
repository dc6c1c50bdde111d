"""The Service Manager sees when each task is due on My tasks, most overdue first, and moves
their decision's due date with a reason, in a real browser without JavaScript: every page
through `check_page` (axe, failed requests, console), a missing reason shown beside its field."""

import datetime

import pytest
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import check_page, sign_in
from learning_reviews.audit.models import AuditEvent
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
