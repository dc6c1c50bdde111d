"""Preparing a review (§5) in a real browser, from the keyboard: the lead reviewer opens the
workspace, confirms the objectives, builds the case group, the Service Manager agrees it, and
the lead reviewer records the case files and the format and begins the conversations. Every
page goes through `check_page` (axe, failed requests, the GOV.UK font, console), errors too."""

import pytest
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import check_page, sign_in
from learning_reviews.referrals.models import Status
from learning_reviews.reviews.models import Review


def follow(page: Page, target: Locator) -> None:
    """Activate a link or button from the keyboard and check the page it leads to."""
    target.focus()
    with page.expect_navigation():
        target.press("Enter")
    check_page(page)


def fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


@pytest.mark.e2e
@pytest.mark.parametrize("javascript", [True, False])
def test_the_lead_reviewer_prepares_the_review_and_the_service_manager_agrees_the_participants(
    open_page, people, make_referral, javascript
):
    make_referral(Status.REVIEW_COMMISSIONED)
    review = Review.objects.get()
    lead = open_page(javascript=javascript)
    sign_in(lead, people.lead_reviewer)
    lead.goto(f"/reviews/{review.pk}/")
    check_page(lead)
    follow(lead, lead.get_by_role("button", name="Open the workspace"))
    expect(lead.get_by_role("heading", level=1)).to_have_text("Review workspace")
    follow(lead, lead.get_by_role("button", name="Start preparing the review"))
    expect(lead.get_by_text("You have started preparing the review.")).to_be_visible()

    follow(lead, lead.get_by_role("link", name="Objectives"))
    lead.get_by_label("Clarification of the objectives (optional)").fill(
        "Matching covers the emergency rota as well as planned moves."
    )
    follow(lead, lead.get_by_role("button", name="Confirm the objectives"))
    expect(lead.get_by_text("The objectives are confirmed.")).to_be_visible()

    follow(lead, lead.get_by_role("link", name="Participants"))
    follow(lead, lead.get_by_role("button", name="Add the participant"))
    expect(lead.get_by_role("heading", name="There is a problem")).to_be_visible()
    lead.get_by_label("Name").fill("Jenna Scott")
    lead.get_by_label("Current job").fill("Fostering link worker")
    lead.get_by_label("Role in the period under review").fill(
        "Found the emergency placement on 9 April 2024"
    )
    lead.get_by_label("Account (optional)").select_option(label="Jenna Scott")
    fill_date(lead, "Date told about the review process", "16", "4", "2025")
    fill_date(lead, "Date they received a copy of the protocol", "16", "4", "2025")
    follow(lead, lead.get_by_role("button", name="Add the participant"))
    expect(lead.get_by_text("Jenna Scott has been added to the case group.")).to_be_visible()
    follow(lead, lead.get_by_role("link", name="Change the details of Jenna Scott"))
    lead.get_by_label("Current job").fill("Senior fostering link worker")
    follow(lead, lead.get_by_role("button", name="Save the details"))
    expect(lead.get_by_text("Senior fostering link worker")).to_be_visible()

    manager = open_page(javascript=javascript)
    sign_in(manager, people.service_manager)
    manager.goto(f"/reviews/{review.pk}/")
    check_page(manager)
    follow(manager, manager.get_by_role("link", name="Agree the participants in the review"))
    follow(manager, manager.get_by_role("button", name="Agree these participants"))
    expect(manager.get_by_text("You have agreed the participants.")).to_be_visible()

    lead.goto(f"/reviews/{review.pk}/workspace/")
    check_page(lead)
    follow(lead, lead.get_by_role("link", name="Case files"))
    lead.get_by_label("Records reviewed").fill("SWIS case notes and LAC review minutes")
    lead.get_by_label("Reviewed by").fill("Aileen Forbes")
    fill_date(lead, "Date reviewed", "22", "4", "2025")
    follow(lead, lead.get_by_role("button", name="Record the case files"))
    expect(lead.get_by_text("The case files reviewed have been recorded.")).to_be_visible()

    follow(lead, lead.get_by_role("link", name="Back to the workspace"))
    follow(lead, lead.get_by_role("link", name="Format and sessions"))
    lead.get_by_label("The format the review will take").fill(
        "Six one-to-one conversations, then one group meeting."
    )
    follow(lead, lead.get_by_role("button", name="Save the plan"))
    lead.get_by_label("One-to-one conversation", exact=True).check()
    fill_date(lead, "Date", "28", "4", "2025")
    lead.get_by_label("Place (optional)").fill("Central Locality Office")
    lead.get_by_role("group", name="Participants").get_by_label("Jenna Scott").check()
    follow(lead, lead.get_by_role("button", name="Add the session"))
    expect(lead.get_by_text("The session has been added to the plan.")).to_be_visible()

    follow(lead, lead.get_by_role("link", name="Back to the workspace"))
    follow(lead, lead.get_by_role("button", name="Begin the conversations"))
    expect(lead.get_by_text("The conversations have begun.")).to_be_visible()
    review.refresh_from_db()
    assert review.status == Review.Status.CONVERSATIONS
