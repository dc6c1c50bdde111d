"""The conversations (Appendix 4) in a real browser: the lead reviewer records one, the group
reads it and the collated page, and the participant reads their own record and comments on it.
Every page through `check_page` (axe, failed requests, the GOV.UK font, console)."""

import pytest
from django.utils import timezone
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import check_page, sign_in
from learning_reviews.referrals.models import Status
from learning_reviews.reviews.models import Conversation, Participant, Review

MINDSET = "I was thinking about getting her somewhere safe that night."
WENT_WELL = "Carers C were given a full handover by the school nurse."


def follow(page: Page, target: Locator) -> None:
    """Activate a link or button from the keyboard and check the page it leads to."""
    target.focus()
    with page.expect_navigation():
        target.press("Enter")
    check_page(page)


@pytest.fixture
def review(people, make_referral) -> Review:
    make_referral(Status.REVIEW_COMMISSIONED)
    review = Review.objects.get()
    review.status = Review.Status.CONVERSATIONS
    review.objectives_confirmed_on = timezone.now()
    review.participants_confirmed_on = timezone.now()
    review.participants_confirmed_by = people.service_manager
    review.save()
    Participant.objects.create(
        organisation=people.org,
        review=review,
        user=people.other_worker,
        name="Jenna Scott",
        current_job="Fostering link worker",
        role_in_period="Link worker to carers A and B",
    )
    return review


@pytest.mark.e2e
@pytest.mark.parametrize("javascript", [True, False], ids=["javascript", "no-javascript"])
def test_a_conversation_is_recorded_read_collated_and_commented_on(
    open_page, people, review, javascript
):
    lead = open_page(javascript=javascript)
    sign_in(lead, people.lead_reviewer)
    lead.goto(f"/reviews/{review.pk}/conversations/")
    check_page(lead)
    expect(lead.get_by_role("heading", level=1)).to_have_text("Conversations")
    follow(lead, lead.get_by_role("link", name="Record the conversation with Jenna Scott"))
    expect(lead.get_by_role("heading", level=1)).to_have_text("Conversation with Jenna Scott")
    lead.get_by_text("Follow-up and probing questions").click()
    expect(lead.get_by_text("Is this the way you always do it?")).to_be_visible()

    lead.get_by_label("Day").fill("28")
    lead.get_by_label("Month").fill("4")
    lead.get_by_label("Year").fill("2025")
    lead.get_by_label("3b. 'Mindset' and 'local rationality'").fill(MINDSET)
    lead.get_by_label("4. Things that went well").fill(WENT_WELL)
    lead.get_by_role("checkbox", name="Conditions of work/work environment").check()
    lead.get_by_label("Note on “Conditions of work/work environment”").fill("No vacancies.")
    lead.get_by_label("Note on “Aspects of the family”").fill("Trauma history not shared.")
    follow(lead, lead.get_by_role("button", name="Save the conversation"))
    # A note on a factor not ticked: said beside the field, nothing typed lost.
    expect(lead.get_by_role("link", name="Tick “Aspects of the family”")).to_be_visible()
    expect(lead.get_by_label("4. Things that went well")).to_have_value(WENT_WELL)
    lead.get_by_role("checkbox", name="Aspects of the family").check()
    follow(lead, lead.get_by_role("button", name="Save the conversation"))
    expect(lead.get_by_text("The conversation with Jenna Scott is saved.")).to_be_visible()
    assert Conversation.objects.get().factors == {
        "conditions": "No vacancies.",
        "family": "Trauma history not shared.",
    }
    follow(lead, lead.get_by_role("link", name="Back to the conversations"))
    expect(lead.get_by_role("cell", name="2 of 10")).to_be_visible()

    member = open_page(javascript=javascript)
    sign_in(member, people.cfcig_member)
    member.goto(f"/reviews/{review.pk}/conversations/")
    check_page(member)
    follow(member, member.get_by_role("link", name="The conversation with Jenna Scott"))
    expect(member.get_by_text(MINDSET)).to_be_visible()
    expect(member.get_by_role("button", name="Save the conversation")).to_have_count(0)
    follow(member, member.get_by_role("link", name="Back to the conversations"))
    follow(member, member.get_by_role("link", name="What went well, queries and suggested"))
    expect(member.get_by_text(WENT_WELL)).to_be_visible()

    jenna = open_page(javascript=javascript)
    sign_in(jenna, people.other_worker)
    jenna.goto("/reviews/taking-part/")
    check_page(jenna)
    follow(jenna, jenna.get_by_role("link", name="The record of your conversation"))
    expect(jenna.get_by_text(MINDSET)).to_be_visible()
    follow(jenna, jenna.get_by_role("button", name="Save your comments"))
    expect(jenna.get_by_role("link", name="Enter your comments on this record")).to_be_visible()
    jenna.get_by_label("Your comments on this record").fill("It was three hours, not two.")
    follow(jenna, jenna.get_by_role("button", name="Save your comments"))
    expect(jenna.get_by_text("Your comments are saved.")).to_be_visible()

    lead.reload()
    check_page(lead)
    expect(lead.get_by_role("cell", name="Commented")).to_be_visible()
