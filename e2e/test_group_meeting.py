"""The improvement group runs a meeting (§3.4, §4, Appendix 3 "To be completed by CFCIG") in a
real browser: the chair plans it and the agenda assembles from the queue; a member records a YES
on one referral and a NO on another; the chair confirms both; minutes are written and confirmed
complete; the minutes download as a PDF. Every page goes through `check_page` (axe, failed
requests, the GOV.UK font, console errors). Content is fictional, after the worked case."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from e2e.conftest import check_page, forget_problems, sign_in
from e2e.test_referral_journey import fill_date, follow, heading
from learning_reviews.improvement_group.models import Decision, Meeting
from learning_reviews.referrals.models import Status
from learning_reviews.referrals.testing import CaseContent


def open_meeting(page: Page) -> None:
    follow(page, page.get_by_role("link", name="Improvement group", exact=True))
    expect(heading(page)).to_have_text("Meetings")
    follow(page, page.locator("main table a").first)


def open_item(page: Page, reference: str) -> None:
    follow(page, page.get_by_role("link", name=re.compile(reference)))
    expect(heading(page)).to_contain_text(reference)


def write_minutes(page: Page, reference: str, text: str) -> None:
    open_item(page, reference)
    page.get_by_label("Minutes of this item").fill(text)
    follow(page, page.get_by_role("button", name="Save the minutes"))
    expect(page.locator(".govuk-notification-banner")).to_contain_text("Minutes of item")


@pytest.mark.e2e
def test_the_group_runs_a_meeting_from_agenda_to_decisions_to_minutes(
    open_page, people, make_referral
):
    zara = make_referral(Status.AGREED, content=CaseContent(child_name="Zara Quinn"))
    kai = make_referral(Status.AGREED, content=CaseContent(child_name="Kai Morton"))
    make_referral(Status.DRAFT, content=CaseContent(child_name="Not Yet Sent"))
    meeting_day = datetime.date.today()

    # The chair plans the meeting; the two agreed referrals make up the agenda.
    chair = open_page()
    sign_in(chair, people.cfcig_chair)
    follow(chair, chair.get_by_role("link", name="Improvement group", exact=True))
    follow(chair, chair.get_by_role("button", name="Plan a meeting"))
    expect(heading(chair)).to_have_text("Plan a meeting")
    fill_date(chair, "Date of the meeting", meeting_day.day, meeting_day.month, meeting_day.year)
    chair.get_by_label("Place").fill("Room 2, Municipal Buildings")
    expect(chair.get_by_label("Morag Lindsay")).to_be_checked()
    chair.get_by_label("Catriona Munro").check()
    follow(chair, chair.get_by_role("button", name="Plan the meeting"))
    expect(heading(chair)).to_have_text(re.compile("Meeting of"))
    agenda = chair.locator("main table tbody tr")
    expect(agenda).to_have_count(2)
    expect(agenda.nth(0)).to_contain_text(zara.reference)
    expect(agenda.nth(1)).to_contain_text("Kai Morton")
    expect(chair.locator("main")).not_to_contain_text("Not Yet Sent")
    follow(chair, chair.get_by_role("button", name="Update the agenda from the queue"))
    expect(agenda).to_have_count(2)

    # A member records a YES on Zara's referral, from its agenda item.
    member = open_page()
    sign_in(member, people.cfcig_member)
    open_meeting(member)
    open_item(member, zara.reference)
    expect(member.locator("main")).to_contain_text("Three foster placements have ended")
    follow(member, member.get_by_role("button", name="Record the decision"))
    expect(heading(member)).to_have_text("Record the decision")
    # Saving with nothing chosen: the errors are summarised and shown beside the fields.
    follow(member, member.get_by_role("button", name="Save the decision"))
    expect(member).to_have_title(re.compile(r"^Error: "))
    expect(member.locator(".govuk-error-summary")).to_contain_text("Select yes or no")
    fill_date(member, "Date discussed", meeting_day.day, meeting_day.month, meeting_day.year)
    member.get_by_label("Yes — proceed to a Learning Review").check()
    member.get_by_label("Rationale").fill(
        "A pattern of emergency moves seen in other cases; learning likely to apply across the "
        "fostering and locality teams."
    )
    member.get_by_label("The referral meets the criteria for a Learning Review").check()
    member.get_by_label("A review would benefit the relevant team, service or organisation").check()
    member.get_by_label("Key objectives of the Review").fill(
        "Understand why each placement ended and what was known beforehand.\n"
        "Understand how matching decisions were made under time pressure."
    )
    member.get_by_label("Lead Reviewer", exact=True).select_option(label="Aileen Forbes")
    fill_date(member, "Timescale for completion", 1, 7, meeting_day.year + 1)
    member.get_by_label("The necessary support and resources are in place").check()
    follow(member, member.get_by_role("button", name="Save the decision"))
    expect(heading(member)).to_contain_text(zara.reference)
    expect(member.locator("main")).to_contain_text("Aileen Forbes")
    expect(member.locator("main")).to_contain_text(
        "Understand how matching decisions were made under time pressure."
    )

    # …and a NO on Kai's, with a further action owned by the team manager.
    follow(member, member.get_by_role("link", name="Back to the agenda"))
    open_item(member, kai.reference)
    follow(member, member.get_by_role("button", name="Record the decision"))
    fill_date(member, "Date discussed", meeting_day.day, meeting_day.month, meeting_day.year)
    member.get_by_label("No — do not proceed").check()
    member.get_by_label("Rationale").fill(
        "The child's plan review is addressing the concerns; a review would not add to it now."
    )
    member.get_by_label("The referral meets the criteria for a Learning Review").check()
    row = member.get_by_role("group", name="Further action 1")
    row.get_by_label("Action required").fill(
        "Bring the child's plan to the next LAC review with a contingency plan."
    )
    row.get_by_label("Owner").select_option(label="Iain Baxter")
    fill_date(member, "Further action 1", 30, 6, meeting_day.year + 1)
    follow(member, member.get_by_role("button", name="Save the decision"))
    expect(member.locator("main")).to_contain_text("Iain Baxter")

    # The chair confirms both decisions from their agenda items.
    open_meeting(chair)
    for referral in (zara, kai):
        open_item(chair, referral.reference)
        follow(chair, chair.get_by_role("button", name="Confirm the decision"))
        expect(chair.locator(".govuk-notification-banner")).to_contain_text("Decision confirmed")
        follow(chair, chair.get_by_role("link", name="Back to the agenda"))
    zara.refresh_from_db()
    kai.refresh_from_db()
    assert (zara.status, kai.status) == (Status.REVIEW_COMMISSIONED, Status.NOT_PROCEEDING)
    assert Decision.objects.filter(status=Decision.Status.CONFIRMED).count() == 2

    # Minutes are written against each item; the chair confirms they are complete.
    write_minutes(chair, zara.reference, "Agreed to commission a Learning Review.")
    write_minutes(chair, kai.reference, "Not proceeding; the team manager to report back.")
    expect(chair.locator("main")).not_to_contain_text("Update the agenda from the queue")
    follow(chair, chair.get_by_role("button", name="Confirm the minutes are complete"))
    expect(chair.locator("main")).to_contain_text("The chair has confirmed the minutes")
    assert Meeting.objects.get().status == Meeting.Status.CLOSED

    # The minutes download as a PDF.
    with chair.expect_download() as download_info:
        chair.get_by_role("link", name="Download the minutes (PDF)").click()
    download = download_info.value
    # The browser reports a download as an aborted navigation: expected here.
    forget_problems(chair)
    assert download.suggested_filename.endswith(".pdf")
    text = " ".join(" ".join(p.extract_text().split()) for p in PdfReader(download.path()).pages)
    assert f"Item 1: {zara.reference}, Zara Quinn" in text
    assert "Agreed to commission a Learning Review." in text
    assert "Bring the child's plan to the next LAC review" in text
    response = chair.request.get(chair.url.rstrip("/") + "/minutes.pdf")
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    check_page(chair)
