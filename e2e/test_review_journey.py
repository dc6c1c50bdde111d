"""A Learning Review from commissioned to presented (issue 5, protocol §5 and §3.6), entirely in
the app, in a real browser, from the keyboard: the lead reviewer starts the review, confirms the
objectives and adds the case group; the Service Manager agrees it; the lead reviewer records a
conversation, a chronology entry, a key practice episode, a source and a finding, and shares
the outline; the participant confirms it; the lead reviewer closes the check, generates the
report, downloads it as Word and marks the review ready; a group member records, from the
meeting's agenda, that the findings were presented. Every page goes through `check_page` (axe,
failed requests, the GOV.UK font, console errors). Content is fictional, after the worked
case."""

import datetime
import re

import pytest
from django.utils import timezone
from docx import Document
from playwright.sync_api import Page, expect

from e2e.conftest import check_page, sign_in
from e2e.test_referral_journey import fill_date, follow, heading
from learning_reviews.improvement_group import services as group_services
from learning_reviews.referrals.models import Status
from learning_reviews.reviews.models import OutlineResponse, ReportVersion, Review

FINDING = "What carers need to know does not travel with the child"
EPISODE = "Emergency move to carers B"


def banner(page: Page):
    return page.locator(".govuk-notification-banner")


def to_workspace(page: Page) -> None:
    """Back, by the pages' back links, to the workspace."""
    for _ in range(3):
        if heading(page).inner_text() == "Review workspace":
            return
        follow(page, page.locator("a.govuk-back-link"))
    expect(heading(page)).to_have_text("Review workspace")


def task(page: Page, name: str) -> None:
    follow(page, page.locator(".govuk-task-list").get_by_role("link", name=name, exact=True))


@pytest.mark.e2e
@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_the_lead_reviewer_takes_a_review_from_commissioned_to_presented(
    open_page, people, make_referral, javascript
):
    referral = make_referral(Status.REVIEW_COMMISSIONED)
    review = Review.objects.get(referral=referral)
    today = timezone.localdate()
    # The group's next meeting, planned already; the review joins its agenda once ready.
    meeting = group_services.meeting_create(
        by=people.cfcig_chair,
        date=today + datetime.timedelta(days=7),
        place="Room 2, Municipal Buildings",
        attendees=[people.cfcig_chair, people.cfcig_member],
    )

    # The lead reviewer opens the commissioned review from the reviews list and starts it.
    lead = open_page(javascript=javascript)
    sign_in(lead, people.lead_reviewer)
    follow(lead, lead.get_by_role("link", name="Reviews", exact=True))
    follow(lead, lead.get_by_role("link", name=re.compile(referral.reference)))
    follow(lead, lead.get_by_role("button", name="Open the workspace"))
    expect(heading(lead)).to_have_text("Review workspace")
    follow(lead, lead.get_by_role("button", name="Start preparing the review"))
    expect(banner(lead)).to_contain_text("You have started preparing the review.")

    task(lead, "Objectives")
    lead.get_by_label("Clarification of the objectives (optional)").fill(
        "Matching covers the choice of carers and of school."
    )
    follow(lead, lead.get_by_role("button", name="Confirm the objectives"))
    expect(banner(lead)).to_contain_text("The objectives are confirmed.")

    # The case group: Jenna Scott, who has an account, and Mrs Dalgleish, who has none.
    task(lead, "Participants")
    for name, job, role, account in [
        ("Jenna Scott", "Fostering link worker", "Link worker to carers A and B", "Jenna Scott"),
        ("Mrs Dalgleish", "Foster carer", "Foster carer C, from October 2024", None),
    ]:
        lead.get_by_label("Name", exact=True).fill(name)
        lead.get_by_label("Current job").fill(job)
        lead.get_by_label("Role in the period under review").fill(role)
        if account:
            lead.get_by_label("Account (optional)").select_option(label=account)
        fill_date(lead, "Date told about the review process", 16, 4, 2025)
        fill_date(lead, "Date they received a copy of the protocol", 16, 4, 2025)
        follow(lead, lead.get_by_role("button", name="Add the participant"))
        expect(banner(lead)).to_contain_text(f"{name} has been added to the case group.")

    # The Service Manager agrees the participants.
    manager = open_page(javascript=javascript)
    sign_in(manager, people.service_manager)
    manager.goto(f"/reviews/{review.pk}/")
    check_page(manager)
    follow(manager, manager.get_by_role("link", name="Agree the participants in the review"))
    follow(manager, manager.get_by_role("button", name="Agree these participants"))
    expect(banner(manager)).to_contain_text("You have agreed the participants.")

    # The conversations begin; the lead reviewer records Jenna Scott's.
    to_workspace(lead)
    follow(lead, lead.get_by_role("button", name="Begin the conversations"))
    expect(banner(lead)).to_contain_text("The conversations have begun.")
    task(lead, "Conversations")
    follow(lead, lead.get_by_role("link", name="Record the conversation with Jenna Scott"))
    lead.get_by_label("Day").fill("28")
    lead.get_by_label("Month").fill("4")
    lead.get_by_label("Year").fill("2025")
    lead.get_by_label("3b. 'Mindset' and 'local rationality'").fill(
        "I was thinking about getting her somewhere safe that night."
    )
    lead.get_by_label("4. Things that went well").fill(
        "Carers C were given a full handover by the school nurse."
    )
    follow(lead, lead.get_by_role("button", name="Save the conversation"))
    expect(banner(lead)).to_contain_text("The conversation with Jenna Scott is saved.")

    # The analysis: a chronology entry, a key practice episode, a source and a finding.
    to_workspace(lead)
    task(lead, "Chronology and key practice episodes")
    fill_date(lead, "Date of the event", 20, 6, 2024)
    lead.get_by_label("Event").fill("CAMHS referral made; 26-week wait")
    lead.get_by_label("Source").fill("Health record")
    follow(lead, lead.get_by_role("button", name="Add the event"))
    expect(lead.locator("main table")).to_contain_text("CAMHS referral made")

    analysis = lead.get_by_role("navigation", name="The review's analysis")
    follow(lead, analysis.get_by_role("link", name="Key practice episodes"))
    follow(lead, lead.get_by_role("link", name="Add a key practice episode"))
    lead.get_by_label("Title").fill(EPISODE)
    fill_date(lead, "Start date", 9, 4, 2024)
    lead.get_by_label("What happened").fill("Matching by vacancy; a change of school.")
    lead.get_by_label("Problematic").check()
    lead.get_by_label("How did it look at the time?").fill(
        "Getting her somewhere safe that night came first."
    )
    lead.get_by_label("Conditions of work/work environment").fill("No vacancies; the rota.")
    follow(lead, lead.get_by_role("button", name="Add the episode"))
    expect(lead.locator("main")).to_contain_text(EPISODE)

    analysis = lead.get_by_role("navigation", name="The review's analysis")
    follow(lead, analysis.get_by_role("link", name="What the review draws on"))
    lead.get_by_label("Local Performance Data (Review Team)").check()
    lead.get_by_label("Description").fill("Same-day moves as a share of all moves, 2024")
    follow(lead, lead.get_by_role("button", name="Add the source"))
    expect(lead.locator("main")).to_contain_text("Same-day moves as a share of all moves")

    analysis = lead.get_by_role("navigation", name="The review's analysis")
    follow(lead, analysis.get_by_role("link", name="Findings"))
    follow(lead, lead.get_by_role("link", name="Add a finding"))
    lead.get_by_label("Title").fill(FINDING)
    lead.get_by_label("The finding").fill(
        "What carers need to know about a child's distress does not travel with the child."
    )
    lead.get_by_label(f"1. {EPISODE}").check()
    lead.get_by_label("Other teams").check()
    lead.get_by_label("Human–tool operation").check()
    follow(lead, lead.get_by_role("button", name="Add the finding"))
    expect(lead.locator("main")).to_contain_text(FINDING)

    # The outline is shared for an accuracy check, with a date to respond by.
    to_workspace(lead)
    follow(lead, lead.get_by_role("button", name=re.compile("Share the outline of the findings")))
    expect(heading(lead)).to_have_text("Outline of the findings")
    # The date comes filled in from the organisation's timescale; cleared, the outline waits.
    respond_by = lead.get_by_role("group", name="Date to respond by")
    expect(respond_by.get_by_label("Year")).not_to_have_value("")
    for part in ("Day", "Month", "Year"):
        respond_by.get_by_label(part).fill("")
    follow(lead, lead.get_by_role("button", name="Share the outline"))
    expect(lead.locator(".govuk-error-summary")).to_contain_text("Enter date to respond by")
    due = today + datetime.timedelta(days=14)
    fill_date(lead, "Date to respond by", due.day, due.month, due.year)
    follow(lead, lead.get_by_role("button", name="Share the outline"))
    expect(banner(lead)).to_contain_text("Version 1 of the outline is shared")

    # The participant reads it on their own page and confirms it is accurate.
    jenna = open_page(javascript=javascript)
    sign_in(jenna, people.other_worker)
    jenna.goto("/reviews/taking-part/")
    check_page(jenna)
    follow(jenna, jenna.get_by_role("link", name=re.compile("Outlines of the findings shared")))
    expect(heading(jenna)).to_have_text("Outline of the findings")
    expect(jenna.locator("main")).to_contain_text(FINDING)
    jenna.get_by_label("Yes, it is accurate").check()
    follow(jenna, jenna.get_by_role("button", name="Send your response"))
    expect(banner(jenna)).to_contain_text("Your response has been sent")
    assert OutlineResponse.objects.get().confirmed

    # The lead reviewer sees who confirmed, closes the check and drafts the report.
    lead.reload()
    check_page(lead)
    expect(lead.locator("main table").first).to_contain_text("Confirmed")
    follow(lead, lead.get_by_role("link", name="Read version 1"))
    expect(lead.locator("main")).to_contain_text("Jenna Scott")
    follow(lead, lead.get_by_role("link", name="Back to the outlines"))
    follow(lead, lead.get_by_role("button", name="Close the accuracy check"))
    expect(heading(lead)).to_have_text("Draft report")
    follow(lead, lead.get_by_role("button", name="Generate a new version"))
    expect(banner(lead)).to_contain_text("Version 1 of the draft report is ready.")
    with lead.expect_download() as download:
        lead.get_by_role("link", name="Download the latest version as Word (.docx)").click()
    document = Document(str(download.value.path()))
    text = "\n".join(p.text for p in document.paragraphs)
    assert FINDING in text and EPISODE in text
    follow(lead, lead.get_by_role("button", name="Mark the review ready to present"))
    expect(banner(lead)).to_contain_text("The review is ready.")
    assert ReportVersion.objects.filter(review=review).count() == 1

    # A group member brings the meeting's agenda up to date and records the presentation.
    member = open_page(javascript=javascript)
    sign_in(member, people.cfcig_member)
    member.goto(f"/group/meetings/{meeting.pk}/")
    check_page(member)
    follow(member, member.get_by_role("button", name="Update the agenda from the queue"))
    follow(member, member.get_by_role("link", name=re.compile(referral.reference)))
    expect(member.locator("main")).to_contain_text("Findings of the review")
    follow(member, member.get_by_role("link", name="Read the draft report"))
    expect(heading(member)).to_have_text("Draft report")
    member.go_back()
    check_page(member)
    follow(member, member.get_by_role("button", name="Record that the findings were presented"))
    expect(banner(member)).to_contain_text("presented to the improvement group")
    review.refresh_from_db()
    assert review.status == Review.Status.PRESENTED
    assert review.presented_on == today
