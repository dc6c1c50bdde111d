"""The lead reviewer's analysis in a real browser (issue 5 §3, §5, §6): the chronology copied
from the referral and extended, a key practice episode with its factors, a source with a file,
a finding linked to the episode, and the timeline with the episode marked; a group member then
reads it all. Every page goes through `check_page` (axe, failed requests, the GOV.UK font,
console errors), with JavaScript off for the lead reviewer. Content is fictional."""

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import check_page, sign_in
from e2e.test_referral_journey import fill_date, follow, heading, visit
from learning_reviews.referrals.models import Status
from learning_reviews.reviews.models import Review
from learning_reviews.reviews.tests.analysis_helpers import conversation, set_status


def nav(page: Page, name: str) -> None:
    follow(
        page,
        page.get_by_role("navigation", name="The review's analysis").get_by_role("link", name=name),
    )
    expect(heading(page)).to_have_text(name)


@pytest.mark.e2e
def test_the_lead_reviewer_builds_the_analysis_and_the_group_reads_it(
    open_page, people, make_referral, tmp_path
):
    make_referral(Status.REVIEW_COMMISSIONED)
    review = Review.objects.get()
    set_status(review, Review.Status.CONVERSATIONS)
    conversation(review, "Jenna Scott")

    lead = open_page(javascript=False)
    sign_in(lead, people.lead_reviewer)
    visit(lead, f"/reviews/{review.pk}/chronology/")
    expect(heading(lead)).to_have_text("Chronology")
    follow(lead, lead.get_by_role("button", name="Copy the referral's chronology"))
    expect(lead.locator(".govuk-notification-banner")).to_contain_text("Copied")

    # A date in the future is refused beside the field; then the event is added.
    fill_date(lead, "Date of the event", 1, 1, 2099)
    lead.get_by_label("Event").fill("CAMHS referral made; 26-week wait")
    follow(lead, lead.get_by_role("button", name="Add the event"))
    expect(lead.locator(".govuk-error-summary")).to_contain_text("must be today or in the past")
    fill_date(lead, "Date of the event", 20, 6, 2024)
    lead.get_by_label("Source").fill("Health record")
    follow(lead, lead.get_by_role("button", name="Add the event"))
    expect(lead.locator("main table")).to_contain_text("CAMHS referral made")

    nav(lead, "Key practice episodes")
    follow(lead, lead.get_by_role("link", name="Add a key practice episode"))
    lead.get_by_label("Title").fill("Emergency move to carers B")
    fill_date(lead, "Start date", 9, 4, 2024)
    fill_date(lead, "End date", 3, 10, 2024)
    lead.get_by_label("What happened").fill("Matching by vacancy; a change of school.")
    lead.get_by_label("Problematic").check()
    lead.get_by_label("Jenna Scott, Fostering link worker").check()
    lead.get_by_label("How did it look at the time?").fill(
        "Getting her somewhere safe that night; matching wasn't a choice."
    )
    lead.get_by_label("Conditions of work/work environment").fill("No vacancies; the rota.")
    follow(lead, lead.get_by_role("button", name="Add the episode"))
    expect(lead.locator("main")).to_contain_text("1. Emergency move to carers B")

    nav(lead, "What the review draws on")
    lead.get_by_label("Local Performance Data (Review Team)").check()
    lead.get_by_label("Description").fill("Same-day moves as a share of all moves, 2024")
    notes = tmp_path / "same-day-moves.txt"
    notes.write_text("Same-day moves: 11 of 19.\n")
    lead.get_by_label("File (optional)").set_input_files(str(notes))
    follow(lead, lead.get_by_role("button", name="Add the source"))
    expect(lead.locator("main")).to_contain_text("Download same-day-moves.txt")

    nav(lead, "Findings")
    follow(lead, lead.get_by_role("link", name="Add a finding"))
    lead.get_by_label("Title").fill("Placement decisions follow vacancy, not match")
    lead.get_by_label("The finding").fill("Moves made on the day are driven by vacancy.")
    lead.get_by_label("1. Emergency move to carers B").check()
    lead.get_by_label("Conditions of work/work environment").check()
    lead.get_by_label("The whole service").check()
    lead.get_by_label("Human–management system").check()
    follow(lead, lead.get_by_role("button", name="Add the finding"))
    expect(lead.locator("main")).to_contain_text("Human–management system")

    nav(lead, "Timeline")
    timeline = lead.locator(".moj-timeline")
    expect(timeline).to_contain_text("Episode 1 begins: Emergency move to carers B")
    expect(timeline).to_contain_text("During episode 1, Emergency move to carers B")

    member = open_page()
    sign_in(member, people.cfcig_member)
    for path in ("chronology", "timeline", "episodes", "sources", "findings"):
        visit(member, f"/reviews/{review.pk}/{path}/")
        expect(member.locator("main")).to_contain_text("Only the review's lead reviewer")
    visit(member, f"/reviews/{review.pk}/episodes/")
    follow(member, member.get_by_role("link", name="View Emergency move to carers B"))
    expect(heading(member)).to_have_text("Emergency move to carers B")
    check_page(member)
