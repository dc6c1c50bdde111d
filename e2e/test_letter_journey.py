"""Written feedback on the group's decision (§3.4a/b) and the protocol itself, in a real
browser: every page through `check_page` (axe, failed requests, the GOV.UK font, console)."""

import pytest
from django.core import mail
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import check_page, forget_problems, sign_in
from learning_reviews.referrals.models import Status


def follow(page: Page, target: Locator) -> None:
    """Activate a link or button from the keyboard and check the page it leads to."""
    target.focus()
    with page.expect_navigation():
        target.press("Enter")
    check_page(page)


@pytest.mark.e2e
def test_the_service_manager_prepares_and_sends_the_letter_and_the_worker_reads_it(
    open_page, people, make_referral, settings
):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    referral = make_referral(Status.REVIEW_COMMISSIONED)
    manager = open_page()
    sign_in(manager, people.service_manager)
    manager.goto(f"/group/referrals/{referral.pk}/letter/")
    check_page(manager)
    expect(manager.get_by_role("heading", level=1)).to_have_text("Written feedback on the decision")
    expect(manager.get_by_text("Agreement to proceed to Learning Review.")).to_be_visible()
    follow(manager, manager.get_by_role("button", name="Prepare the letter"))
    expect(manager.get_by_text("The letter has been prepared")).to_be_visible()
    send = manager.get_by_role("button", name="Send the letter to Megan Cross and Iain Baxter")
    follow(manager, send)
    expect(
        manager.get_by_text("The letter has been sent to Megan Cross and Iain Baxter")
    ).to_be_visible()
    letter_mail = [m for m in mail.outbox if m.subject.startswith("Written feedback")]
    assert len(letter_mail) == 1
    assert len(letter_mail[0].attachments) == 3

    worker = open_page(javascript=False)
    sign_in(worker, people.worker)
    worker.goto(f"/group/referrals/{referral.pk}/letter/")
    check_page(worker)
    expect(worker.get_by_text("Sent", exact=True)).to_be_visible()
    with worker.expect_download() as download:
        worker.get_by_role("link", name="Download the letter (PDF)").click()
    assert download.value.suggested_filename == f"{referral.reference}-feedback-letter.pdf"
    # A download ends the navigation that asked for it, which Chromium reports as aborted.
    forget_problems(worker)
    follow(worker, worker.get_by_role("link", name="The Learning Review Protocol", exact=True))
    expect(worker.get_by_role("heading", level=1)).to_have_text("Learning Review Protocol")
    expect(
        worker.get_by_role("heading", name="5. RESPONSIBILITIES OF THE LEAD REVIEWER")
    ).to_be_visible()


@pytest.mark.e2e
def test_the_administrator_changes_a_letters_wording(open_page, people):
    admin = open_page()
    sign_in(admin, people.admin)
    admin.goto("/manage/")
    check_page(admin)
    follow(admin, admin.get_by_role("link", name="Feedback letters"))
    follow(
        admin,
        admin.get_by_role(
            "link", name="Change the letter: decision not to proceed to a learning review"
        ),
    )
    body = admin.get_by_label("Wording of the letter")
    body.fill("Dear $worker_name,\n\nAbout $pet.")
    follow(admin, admin.get_by_role("button", name="Save the letter"))
    expect(admin.get_by_text("$pet is not a name the letter can fill in").first).to_be_visible()
    expect(body).to_have_value("Dear $worker_name,\n\nAbout $pet.")
    body.fill("Dear $worker_name,\n\nAbout $reference.")
    follow(admin, admin.get_by_role("button", name="Save the letter"))
    expect(admin.get_by_text("The wording of the letter has been saved")).to_be_visible()
