"""A person chooses how they get reminders on Your account, in a real browser, with and without
JavaScript: every page through `check_page` (axe, failed requests, console), from the keyboard,
a missing choice shown beside its field first (docs/decisions/0028-reminders.md)."""

import pytest
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import check_page, sign_in
from learning_reviews.accounts.models import ReminderDelivery, User
from learning_reviews.audit.models import AuditEvent


def follow(page: Page, target: Locator) -> None:
    """Activate a link or button from the keyboard and check the page it leads to."""
    target.focus()
    with page.expect_navigation():
        target.press("Enter")
    check_page(page)


@pytest.mark.e2e
@pytest.mark.parametrize("javascript", [False, True], ids=["without-js", "with-js"])
def test_a_worker_chooses_one_email_a_day_with_all_their_reminders(open_page, people, javascript):
    worker = open_page(javascript=javascript)
    sign_in(worker, people.worker)
    worker.goto("/account/")
    check_page(worker)
    expect(worker.get_by_text("You get: an e-mail for each reminder.")).to_be_visible()
    follow(worker, worker.get_by_role("link", name="Change how you get reminders"))
    expect(worker.get_by_role("heading", level=1)).to_have_text("How you get reminders")
    expect(worker.get_by_label("An e-mail for each reminder")).to_be_checked()

    # A tampered form with no choice: the message beside the question, in the error summary.
    worker.locator("input[name=delivery]").evaluate_all(
        "inputs => inputs.forEach(input => { input.checked = false; })"
    )
    follow(worker, worker.get_by_role("button", name="Save"))
    expect(worker.locator("#id_delivery-error")).to_contain_text(
        "Select how you want to get your reminders"
    )
    expect(worker.locator(".govuk-error-summary")).to_be_visible()

    worker.get_by_label("One e-mail a day with all my reminders").check()
    follow(worker, worker.get_by_role("button", name="Save"))
    expect(worker.get_by_text("How you get your reminders has been saved.")).to_be_visible()
    expect(worker.get_by_text("You get: one e-mail a day with all my reminders.")).to_be_visible()
    assert User.objects.get(pk=people.worker.pk).reminder_delivery == ReminderDelivery.DIGEST
    assert AuditEvent.objects.filter(
        action="user.reminder_delivery_updated", actor_id=people.worker.pk
    ).exists()
