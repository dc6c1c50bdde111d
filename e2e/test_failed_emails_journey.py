"""An administrator finds an e-mail the service could not send and sends it again, in a real
browser: every page through `check_page` (axe, failed requests, the GOV.UK font, console)."""

import pytest
from django.core import mail
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import check_page, sign_in
from learning_reviews.core.models import OutgoingEmail


def follow(page: Page, target: Locator) -> None:
    """Activate a link or button from the keyboard and check the page it leads to."""
    target.focus()
    with page.expect_navigation():
        target.press("Enter")
    check_page(page)


@pytest.mark.e2e
def test_the_administrator_sends_again_an_email_that_could_not_be_sent(open_page, people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    OutgoingEmail.objects.create(
        organisation=people.org,
        to=[people.line_manager.email],
        subject="Learning Review referral LR-00042: agreed",
        body="The Service Manager has agreed the referral.",
        status=OutgoingEmail.Status.FAILED,
        attempts=6,
        last_error="ConnectionRefusedError: the mail server refused the connection.",
    )
    admin = open_page(javascript=False)
    sign_in(admin, people.admin)
    admin.goto("/manage/")
    check_page(admin)
    follow(admin, admin.get_by_role("link", name="E-mails that could not be sent"))
    expect(admin.get_by_role("heading", level=1)).to_have_text("E-mails that could not be sent")
    expect(admin.get_by_text("the mail server refused the connection")).to_be_visible()
    follow(admin, admin.get_by_role("button", name="Send again"))
    expect(admin.get_by_text("will be sent again")).to_be_visible()
    expect(
        admin.get_by_text("Every e-mail has been sent, or is still being tried.")
    ).to_be_visible()
    assert [m.subject for m in mail.outbox] == ["Learning Review referral LR-00042: agreed"]
