"""Which review fits? The triage questions in a real browser with JavaScript switched off, one
question a page, to the result; then a Learning Review referral started with the grounds
ticked, and a case routed to a CPR case review. Every page goes through `check_page` (axe,
failed requests, the GOV.UK font, console errors). Content is fictional."""

import datetime
import re

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import screenshot, sign_in
from e2e.test_referral_journey import TASK_LIST, fill_date, follow, heading, visit
from learning_reviews.referrals.models import Ground, Referral
from learning_reviews.triage.models import CaseReview, Kind
from learning_reviews.triage.rules import QUESTIONS

# The worked case (Zara Quinn): looked after, several agencies, three foster placements ended
# unplanned. Lack of progress is first answered "No", then changed from check your answers.
WORKED_CASE = {
    "agencies": "More than one agency (for example health, education or police)",
    "looked_after": "Yes",
    "placement_breakdown": "Yes, more than one placement",
}
# A child on the Child Protection Register for 20 months, known to several agencies.
LONG_REGISTRATION = {
    "agencies": "More than one agency (for example health, education or police)",
    "cpr_over_18_months": "Yes",
}


def answer_every_question(page: Page, answers: dict[str, str]) -> None:
    """From the start page, through every question page to check your answers."""
    visit(page, "/triage/")
    expect(heading(page)).to_have_text("Which review fits?")
    follow(page, page.get_by_role("button", name="Start now"))
    for number, question in enumerate(QUESTIONS, start=1):
        expect(heading(page)).to_have_text(question.text)
        expect(page.locator("legend .govuk-caption-l")).to_have_text(
            f"Which review fits? Question {number} of {len(QUESTIONS)}"
        )
        page.get_by_label(answers.get(question.key, "No"), exact=True).check()
        follow(page, page.get_by_role("button", name="Continue"))
    expect(heading(page)).to_have_text("Check your answers")


@pytest.mark.e2e
def test_a_worker_answers_every_question_without_javascript_and_starts_a_referral(
    open_page, people
):
    page = open_page(javascript=False)
    sign_in(page, people.worker)
    visit(page, "/triage/")
    follow(page, page.get_by_role("button", name="Start now"))

    # Continue without an answer: the error is summarised and shown beside the question.
    follow(page, page.get_by_role("button", name="Continue"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    expect(page.locator(".govuk-error-summary")).to_contain_text("Select yes or no")
    expect(page.locator("#id_answer-error")).to_contain_text("Select yes or no")
    # The back link goes to the start page.
    follow(page, page.get_by_role("link", name="Back"))
    expect(heading(page)).to_have_text("Which review fits?")

    answer_every_question(page, WORKED_CASE)
    rows = page.locator("main .govuk-summary-list__row")
    expect(rows).to_have_count(len(QUESTIONS))
    expect(rows.nth(1)).to_contain_text("More than one agency")

    # Change one answer from check your answers: back to check, not through every question.
    progress = next(q for q in QUESTIONS if q.key == "lack_of_progress")
    follow(page, page.get_by_role("link", name=f"Change your answer to “{progress.text}”"))
    expect(heading(page)).to_have_text(progress.text)
    expect(page.get_by_label("No", exact=True)).to_be_checked()
    page.get_by_label("Yes", exact=True).check()
    follow(page, page.get_by_role("button", name="Continue"))
    expect(heading(page)).to_have_text("Check your answers")

    follow(page, page.get_by_role("button", name="See which reviews fit"))
    expect(heading(page)).to_have_text("These reviews fit the case")
    fits = page.locator("main h2[id^='fit-']")
    expect(fits).to_have_text(
        ["LAC learning review", "Disruption reviews", "(Social Work) Learning review"]
    )
    expect(page.locator("#matched-grounds li")).to_have_text(
        [str(Ground.LACK_OF_PROGRESS.label), str(Ground.PLACEMENT_BREAKDOWN.label)]
    )
    expect(page.locator("main")).to_contain_text("lac.reviews@council.example")
    expect(page.locator("#not-fitting")).to_contain_text(
        "There has been no child death or serious incident."
    )
    screenshot(page, "triage-result")

    expect(page.get_by_label("Service/Team")).to_have_value(str(people.team.pk))
    follow(page, page.get_by_role("button", name="Start a Learning Review referral"))
    expect(heading(page)).to_have_text(TASK_LIST)
    referral = Referral.objects.get()
    assert referral.grounds == [Ground.LACK_OF_PROGRESS, Ground.PLACEMENT_BREAKDOWN]

    follow(page, page.get_by_role("link", name="Grounds for a Learning Review", exact=True))
    for ground in Ground:
        box = page.get_by_label(str(ground.label), exact=True)
        if ground in (Ground.LACK_OF_PROGRESS, Ground.PLACEMENT_BREAKDOWN):
            expect(box).to_be_checked()
        else:
            expect(box).not_to_be_checked()


@pytest.mark.e2e
def test_a_worker_routes_a_case_to_a_cpr_case_review_without_javascript(open_page, people):
    page = open_page(javascript=False)
    sign_in(page, people.worker)
    answer_every_question(page, LONG_REGISTRATION)
    follow(page, page.get_by_role("button", name="See which reviews fit"))
    expect(heading(page)).to_have_text("These reviews fit the case")
    expect(page.locator("main h2[id^='fit-']")).to_have_text(["CPR case review"])
    expect(page.locator("main")).not_to_contain_text("Start a Learning Review referral")

    follow(
        page, page.get_by_role("link", name="Record that this case was routed to CPR case review")
    )
    expect(heading(page)).to_have_text("Record where the case was routed")
    expect(page.get_by_label("CPR case review")).to_be_checked()
    expect(page.get_by_label("Contact")).to_have_value("MACIG co-ordinator (macig@council.example)")

    page.get_by_label("Name of Child or Young Person").fill("Ayla Morrison")
    page.get_by_label("SWIS No. (optional)").fill("5230917")
    next_year = datetime.date.today().year + 1
    fill_date(page, "Date routed", 2, 4, next_year)
    page.get_by_label("Note (optional)").fill("Added to the MACIG agenda for May.")
    follow(page, page.get_by_role("button", name="Record the routed case"))
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Date routed must be today or in the past"
    )
    expect(page.get_by_label("Name of Child or Young Person")).to_have_value("Ayla Morrison")
    assert not CaseReview.objects.exists()

    fill_date(page, "Date routed", 2, 4, 2025)
    follow(page, page.get_by_role("button", name="Record the routed case"))
    case_review = CaseReview.objects.get()
    assert case_review.review_type.kind == Kind.CPR_CASE_REVIEW
    assert case_review.routed_on == datetime.date(2025, 4, 2)
    assert case_review.contact == "MACIG co-ordinator (macig@council.example)"
    expect(heading(page)).to_contain_text("Ayla Morrison")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Recorded: Ayla Morrison's case was routed to CPR case review."
    )


@pytest.mark.e2e
def test_a_case_that_fits_no_review_says_why_for_each_without_javascript(open_page, people):
    page = open_page(javascript=False)
    sign_in(page, people.worker)
    answer_every_question(page, {"agencies": "Only Children and Families Social Work"})
    follow(page, page.get_by_role("button", name="See which reviews fit"))
    expect(heading(page)).to_have_text("No review fits the case")
    reasons = page.locator("#not-fitting .govuk-summary-list__row")
    expect(reasons).to_have_count(len(Kind))
    expect(reasons.last).to_contain_text(
        "None of the five criteria in section 2 of the protocol is met."
    )
    expect(page.locator("main")).not_to_contain_text("Record that this case was routed")
    follow(page, page.get_by_role("link", name="Change your answers"))
    expect(heading(page)).to_have_text("Check your answers")
