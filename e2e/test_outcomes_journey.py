"""From findings to change (§3 step 6, §4) in a real browser, with and without JavaScript: the
group considers the findings at a meeting and records recommendations; the chair confirms
them; actions with an intended outcome and a measure; the owner reports progress with
evidence; one outcome achieved, one not; dissemination done; the worker and line manager told;
the briefing redacted, corrected, approved by a second person and released; found in the
library; the review closed; the referring worker sees what came of it. Every page goes through
`check_page` (axe, failed requests, the GOV.UK font, console errors)."""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import check_page, screenshot, sign_in
from learning_reviews.improvement_group import services as group_services
from learning_reviews.outcomes import services
from learning_reviews.outcomes.models import Action, Recommendation
from learning_reviews.outcomes.tests.helpers import presented_review, version
from learning_reviews.reviews.models import Finding, Review

NEIGHBOUR = "Mrs Quillfeather"  # not in the case record: the redaction suspects her
SCHOOL_NICKNAME = "Wee Skye"  # a nickname the redaction cannot know: the author adds it


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


def _recommend_in_the_browser(member: Page, finding_number: int, text: str, response: str) -> None:
    details = member.locator("details", has_text=f"on finding {finding_number}")
    details.locator("summary").click()
    details.get_by_label("Recommendation", exact=True).fill(text)
    details.get_by_label(response, exact=True).check()
    follow(member, details.get_by_role("button", name="Record the recommendation"))


@pytest.mark.e2e
@pytest.mark.parametrize("javascript", [True, False])
def test_from_findings_to_change_and_back_to_the_worker(
    open_page, people, make_referral, javascript
):
    review = presented_review(people, make_referral)
    reference = review.referral.reference
    child = review.referral.child_name
    today = timezone.localdate()
    meeting = group_services.meeting_create(
        by=people.cfcig_member, date=today, place="Room 1", attendees=[people.cfcig_chair]
    )

    # The group considers the findings: an item on its meeting's agenda.
    member = open_page(javascript=javascript)
    sign_in(member, people.cfcig_member)
    member.goto(f"/group/meetings/{meeting.pk}/")
    check_page(member)
    expect(member.locator("main")).to_contain_text("Findings to consider: recommendations")
    follow(member, member.get_by_role("link", name=reference))
    follow(member, member.get_by_role("link", name="Consider the findings"))
    expect(member.get_by_role("heading", level=1)).to_contain_text("recommendations")

    # Not accepted needs a rationale, shown beside the field; nothing typed is lost.
    details = member.locator("details", has_text="on finding 3")
    details.locator("summary").click()
    details.get_by_label("Recommendation", exact=True).fill("An interim CAMHS slot for carers.")
    details.get_by_label("Not accepted", exact=True).check()
    follow(member, details.get_by_role("button", name="Record the recommendation"))
    expect(member.locator(".govuk-error-summary")).to_contain_text("rationale")
    details = member.locator("details", has_text="on finding 3")
    expect(details.get_by_label("Recommendation", exact=True)).to_have_value(
        "An interim CAMHS slot for carers."
    )
    details.get_by_label("If not accepted: the rationale for not accepting it").fill(
        "Outside the service's authority; referred to the multi-agency group."
    )
    follow(member, details.get_by_role("button", name="Record the recommendation"))
    _recommend_in_the_browser(
        member, 1, "A planned-move route with a 48-hour minimum where it is safe.", "Accepted"
    )
    # The other two findings, through the services, to keep the journey short.
    findings = list(Finding.objects.filter(review=review).order_by("id"))
    for finding in findings[1:2] + findings[3:]:
        services.recommendation_add(
            finding=finding,
            by=people.cfcig_member,
            data=services.RecommendationInput(
                text=f"Act on: {finding.title}.", response="accepted"
            ),
            version=version(review),
        )

    # The chair confirms them from "My tasks".
    chair = open_page(javascript=javascript)
    sign_in(chair, people.cfcig_chair)
    follow(chair, chair.get_by_role("link", name="Confirm the group's recommendations"))
    follow(chair, chair.get_by_role("button", name="Confirm the recommendations"))
    expect(chair.locator("main")).to_contain_text("Recommendations confirmed.")

    # An action with its intended outcome and measure; a second through the services.
    planned_move = Recommendation.objects.get(review=review, text__startswith="A planned-move")
    member.goto(f"/outcomes/reviews/{review.pk}/actions/")
    check_page(member)
    follow(member, member.get_by_role("link", name="Add an action to recommendation 1"))
    member.get_by_label("Action", exact=True).fill("Publish the planned-move route as guidance.")
    member.get_by_label("Owner (or the team's named lead)").select_option(label="Iain Baxter")
    fill_date(member.get_by_role("group", name="Due date"), today + datetime.timedelta(days=30))
    member.get_by_label("Intended outcome").fill("Fewer same-day moves.")
    member.get_by_label("Measure: what data, from where").fill(
        "Share of same-day moves, SWIS placement records, quarterly."
    )
    fill_date(member.get_by_role("group", name="Outcome-check date"), today)
    follow(member, member.get_by_role("button", name="Add the action"))
    expect(member.locator(".govuk-error-summary")).to_contain_text(
        "must be the same as or after the due date"
    )
    fill_date(
        member.get_by_role("group", name="Outcome-check date"),
        today + datetime.timedelta(days=90),
    )
    follow(member, member.get_by_role("button", name="Add the action"))
    first = Action.objects.get(review=review)
    second = services.action_add(
        recommendation=Recommendation.objects.filter(review=review, response="accepted")
        .exclude(pk=planned_move.pk)
        .first(),
        by=people.cfcig_member,
        data=services.ActionInput(
            text='Add a "what helps me" sheet to the placement plan template.',
            owner=people.service_manager,
            team=None,
            due_on=today + datetime.timedelta(days=20),
            intended_outcome="Every new placement plan carries the sheet.",
            measure="Audit of 20 placement plans a quarter.",
            outcome_check_on=today + datetime.timedelta(days=60),
        ),
    )

    # The owner reports progress with evidence, from "My tasks": done does not close it.
    owner = open_page(javascript=javascript)
    sign_in(owner, people.line_manager)
    follow(owner, owner.get_by_role("link", name="Your action: Publish the planned-move route"))
    fill_date(owner.get_by_role("group", name="Date of the update"), today)
    owner.get_by_label("Progress", exact=True).fill("Guidance published and briefed to both teams.")
    owner.get_by_label("Done — outcome to be checked").check()
    owner.get_by_label("Evidence (optional)").set_input_files(
        files=[{"name": "briefing-notes.txt", "mimeType": "text/plain", "buffer": b"Notes."}]
    )
    follow(owner, owner.get_by_role("button", name="Report progress"))
    expect(owner.locator("main")).to_contain_text("Download the evidence: briefing-notes.txt")
    expect(owner.locator("main")).to_contain_text("does not close it")

    # The group checks the outcomes: one achieved, one not.
    member.goto(f"/outcomes/actions/{first.pk}/")
    check_page(member)
    member.get_by_label("Outcome achieved", exact=True).check()
    member.get_by_label("If achieved: the evidence").fill(
        "Same-day moves fell from 2 in 3 to 1 in 5."
    )
    follow(member, member.get_by_role("button", name="Record the outcome check"))
    expect(member.locator("main")).to_contain_text("The action is closed")
    member.goto(f"/outcomes/actions/{second.pk}/")
    check_page(member)
    member.get_by_label("Not achieved", exact=True).check()
    member.get_by_label("If not achieved: what happens next").fill(
        "Add the sheet to the placement-request form; check again next quarter."
    )
    follow(member, member.get_by_role("button", name="Record the outcome check"))
    expect(member.locator("main")).to_contain_text("Outcome not achieved")

    # How implementation is monitored (§4).
    member.goto(f"/outcomes/reviews/{review.pk}/monitoring/")
    check_page(member)
    member.get_by_label("Who reports progress to the group").select_option(label="Iain Baxter")
    member.get_by_label("Monthly").check()
    follow(member, member.get_by_role("button", name="Save"))

    # Dissemination: planned by the group, done by its owner.
    member.goto(f"/outcomes/reviews/{review.pk}/dissemination/")
    check_page(member)
    member.get_by_label("Their teams").check()
    member.get_by_label("How the learning will reach them").select_option(label="Team meeting")
    member.get_by_label("Owner").select_option(label="Iain Baxter")
    fill_date(member.get_by_role("group", name="Date planned"), today)
    follow(member, member.get_by_role("button", name="Add to the plan"))
    owner.goto(f"/outcomes/reviews/{review.pk}/dissemination/")
    check_page(owner)
    fill_date(owner.get_by_role("group", name="Date done"), today)
    follow(owner, owner.get_by_role("button", name="Record as done"))
    expect(owner.locator("main")).to_contain_text("Recorded as done.")

    # The worker and line manager are told what the review found and what is changing.
    member.goto(f"/outcomes/reviews/{review.pk}/")
    check_page(member)
    follow(member, member.get_by_role("link", name="Tell the worker and line manager"))
    member.get_by_label("What the review found and what is changing").fill(
        "Emergency moves will be planned, and carers told what helps, from now on."
    )
    follow(member, member.get_by_role("button", name="Tell them"))

    # The lead reviewer writes the briefing; the redaction runs before anyone else sees it.
    lead = open_page(javascript=javascript)
    sign_in(lead, people.lead_reviewer)
    lead.goto(f"/outcomes/reviews/{review.pk}/")
    check_page(lead)
    follow(lead, lead.get_by_role("button", name="Write the learning briefing"))
    lead.get_by_label("What happened").fill(
        f"{child}, known at school as {SCHOOL_NICKNAME}, moved on 9 April 2024. Her neighbour "
        f"{NEIGHBOUR} sat with her until the social worker found carers."
    )
    follow(lead, lead.get_by_role("button", name="Save and check the redaction"))
    expect(lead.locator("main")).to_contain_text(f"{NEIGHBOUR} → [name]")
    expect(lead.locator("mark.app-redaction").first).to_be_visible()
    lead.get_by_label("More words to redact (one per line)").fill(SCHOOL_NICKNAME)
    follow(lead, lead.get_by_role("button", name="Save and check the redaction"))
    if javascript:
        screenshot(lead, "briefing-redaction")
    follow(lead, lead.get_by_role("button", name="Send the redacted briefing for approval"))
    expect(lead.locator("main")).to_contain_text("Awaiting approval")

    # A second person approves it, from "My tasks"; they never see the words as written.
    member.goto("/")
    check_page(member)
    follow(member, member.get_by_role("link", name="Approve the learning briefing"))
    main = member.locator("main")
    for word in (child, SCHOOL_NICKNAME, NEIGHBOUR, "9 April"):
        expect(main).not_to_contain_text(word)
    expect(main).to_contain_text("April 2024")
    follow(member, member.get_by_role("button", name="Approve and release"))
    expect(main).to_contain_text("released")

    # The chair closes the review.
    chair.goto(f"/outcomes/reviews/{review.pk}/")
    check_page(chair)
    expect(chair.locator("main")).to_contain_text("the chair can close the review")
    follow(chair, chair.get_by_role("button", name="Close the review"))
    expect(chair.get_by_role("heading", level=1)).to_have_text("Close the review")
    follow(chair, chair.get_by_role("button", name="Close the review"))
    expect(chair.locator("main")).to_contain_text("The review is closed")
    assert Review.objects.get(pk=review.pk).status == Review.Status.CLOSED

    # The referring worker finds the learning in the library and sees what came of it.
    worker = open_page(javascript=javascript)
    sign_in(worker, people.worker)
    expect(worker.locator("main")).to_contain_text("What came of the reviews you referred")
    expect(worker.locator("main")).to_contain_text("Closed")
    follow(worker, worker.get_by_role("link", name="Learning library"))
    worker.get_by_label("Search words").fill("neighbour carers")
    follow(worker, worker.get_by_role("button", name="Search"))
    expect(worker.locator("main")).to_contain_text("Learning briefing")
    expect(worker.locator("main")).not_to_contain_text(child)
    follow(worker, worker.get_by_role("link", name="Emergency is not the same as same-day").first)
    expect(worker.locator("main")).to_contain_text("sat with her until the social worker")
    follow(worker, worker.get_by_role("link", name="Read the learning briefing"))
    expect(worker.locator("main")).not_to_contain_text(SCHOOL_NICKNAME)
    worker.goto("/outcomes/library/themes/")
    check_page(worker)
    worker.goto(f"/referrals/{review.referral_id}/")
    check_page(worker)
    story = worker.locator(".moj-timeline")
    expect(story).to_contain_text("Emergency moves will be planned")
    expect(story).to_contain_text("Learning Review closed")
    if javascript:
        screenshot(worker, "referral-story-closed")
