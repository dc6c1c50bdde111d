"""§3.4b and issue 4 §6–7 in a real browser: the team manager reports progress on further
action, the chair marks it complete, the referral's page tells the story, and a commissioned
review is seen in full by its lead reviewer and in summary by the worker. Every page goes
through `check_page` (axe, failed requests, the GOV.UK font, console errors)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import check_page, screenshot, sign_in
from learning_reviews.improvement_group.tests.further_action_factories import not_proceeding
from learning_reviews.referrals.models import Referral, Status


def follow(page: Page, target: Locator) -> None:
    """Activate a link or button from the keyboard and check the page it leads to."""
    target.focus()
    with page.expect_navigation():
        target.press("Enter")
    check_page(page)


def fill_date(group: Locator, day: datetime.date) -> None:
    group.get_by_label("Day").fill(str(day.day))
    group.get_by_label("Month").fill(str(day.month))
    group.get_by_label("Year").fill(str(day.year))


@pytest.mark.e2e
@pytest.mark.parametrize("javascript", [True, False])
def test_progress_is_reported_until_the_chair_marks_the_further_action_complete(
    open_page, people, javascript
):
    referral, _ = not_proceeding(people, owners=[people.line_manager, people.service_manager])

    manager = open_page(javascript=javascript)
    sign_in(manager, people.line_manager)
    manager.goto(f"/referrals/{referral.pk}/")
    check_page(manager)
    story = manager.locator(".moj-timeline")
    expect(story).to_contain_text("CFCIG's decision: not to proceed")
    follow(manager, manager.get_by_role("link", name="See the further action"))
    expect(manager.get_by_role("heading", level=1)).to_have_text("Further action")

    manager.get_by_label("Progress on further action 2").fill("Checklist drafted.")
    fill_date(
        manager.get_by_role("group", name="Date reported").nth(1),
        timezone.localdate() + datetime.timedelta(days=2),
    )
    follow(manager, manager.get_by_role("button", name="Report progress on further action 2"))
    expect(manager.locator(".govuk-error-summary")).to_contain_text(
        "Date reported must be today or in the past"
    )
    expect(manager.get_by_label("Progress on further action 2")).to_have_value("Checklist drafted.")
    fill_date(manager.get_by_role("group", name="Date reported").nth(1), timezone.localdate())
    follow(manager, manager.get_by_role("button", name="Report progress on further action 2"))
    expect(manager.locator("main")).to_contain_text("Progress on further action 2 reported.")
    expect(manager.locator("main")).to_contain_text("Checklist drafted.")
    if javascript:
        screenshot(manager, "further-action")

    chair = open_page(javascript=javascript)
    sign_in(chair, people.cfcig_chair)
    chair.goto(f"/group/referrals/{referral.pk}/further-action/")
    check_page(chair)
    follow(chair, chair.get_by_role("button", name="Mark the further action complete"))
    expect(chair.get_by_role("heading", level=1)).to_have_text("Mark the further action complete")
    follow(chair, chair.get_by_role("button", name="Mark the further action complete"))
    expect(chair.locator("main")).to_contain_text("marked the further action complete")
    assert Referral.objects.get(pk=referral.pk).status == Status.FURTHER_ACTION_COMPLETE


@pytest.mark.e2e
def test_a_commissioned_review_in_full_for_its_lead_and_in_summary_for_the_worker(
    open_page, people, make_referral
):
    referral = make_referral(Status.REVIEW_COMMISSIONED)

    lead = open_page()
    sign_in(lead, people.lead_reviewer)
    follow(lead, lead.get_by_role("link", name="Reviews", exact=True))
    follow(lead, lead.get_by_role("link", name=f"Learning Review of {referral.reference}"))
    expect(lead.locator("main")).to_contain_text("Scope of the review")
    follow(lead, lead.get_by_role("link", name=f"Read the referral {referral.reference}"))
    expect(lead.locator(".moj-timeline")).to_contain_text("Learning Review commissioned")

    worker = open_page()
    sign_in(worker, people.worker)
    worker.goto(f"/referrals/{referral.pk}/")
    check_page(worker)
    screenshot(worker, "referral-story")
    follow(worker, worker.get_by_role("link", name="Read the review's commission"))
    expect(worker.locator("main")).to_contain_text("This is a summary of the review")
    expect(worker.locator("main")).not_to_contain_text("Scope of the review")
    screenshot(worker, "review-summary")
