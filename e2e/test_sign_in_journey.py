"""Signing in with two factors, and resetting a forgotten password, in a real browser: every
page through `check_page` (axe, failed requests, the GOV.UK font, console)."""

import re

import pytest
from django.core import mail
from django_otp.plugins.otp_totp.models import TOTPDevice
from playwright.sync_api import Locator, Page, expect

from conftest import PASSWORD
from e2e.conftest import check_page, on_my_tasks, sign_in
from learning_reviews.accounts.tests.signin_helpers import code

NEW_PASSWORD = "a-fresh-fictional-passphrase-77"


def follow(page: Page, target: Locator) -> None:
    """Activate a link or button from the keyboard and check the page it leads to."""
    target.focus()
    with page.expect_navigation():
        target.press("Enter")
    check_page(page)


def type_password(page: Page, username: str, password: str) -> None:
    page.goto("/sign-in/")
    check_page(page)
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password", exact=True).fill(password)
    follow(page, page.get_by_role("button", name="Sign in"))


@pytest.mark.e2e
def test_a_person_sets_up_two_factors_then_signs_in_with_a_code(open_page, people):
    page = open_page()
    sign_in(page, people.worker)
    follow(page, page.get_by_role("link", name="Your account"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your account")
    follow(page, page.get_by_role("button", name="Set up two factors"))
    expect(page.get_by_role("img", name=re.compile("QR code"))).to_be_visible()
    device = TOTPDevice.objects.get(user=people.worker)
    page.get_by_label("Code").fill(code(device))
    follow(page, page.get_by_role("button", name="Confirm"))
    expect(page.get_by_role("heading", name="Two factors are set up")).to_be_visible()
    expect(page.locator(".app-backup-codes li")).to_have_count(10)
    follow(page, page.get_by_role("button", name="Sign out"))

    type_password(page, "megan", PASSWORD)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Enter the code from your authenticator app"
    )
    page.get_by_label("Code").fill("000000")
    follow(page, page.get_by_role("button", name="Continue"))
    expect(page.locator(".govuk-error-summary")).to_contain_text("The code is not right")
    device.refresh_from_db()
    device.throttle_reset()  # the person waits out the pause after a wrong code
    page.get_by_label("Code").fill(code(device, steps_ahead=1))
    follow(page, page.get_by_role("button", name="Continue"))
    assert on_my_tasks(page.url)


@pytest.mark.e2e
def test_a_person_resets_a_forgotten_password_from_an_emailed_link(open_page, people, settings):
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    page = open_page(javascript=False)
    page.goto("/sign-in/")
    check_page(page)
    follow(page, page.get_by_role("link", name="Forgotten your password?"))
    page.get_by_label("Email address").fill("megan@example.org")
    follow(page, page.get_by_role("button", name="Send the link"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your email")

    (message,) = [m for m in mail.outbox if m.to == ["megan@example.org"]]
    link = re.search(r"/password/reset/\S+/", message.body)
    assert link is not None
    page.goto(link.group(0))
    check_page(page)
    assert "set-password" in page.url  # the token has left the address
    page.get_by_label("New password", exact=True).fill(NEW_PASSWORD)
    page.get_by_label("Confirm new password").fill(NEW_PASSWORD)
    follow(page, page.get_by_role("button", name="Save password"))
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been set")

    type_password(page, "megan", NEW_PASSWORD)
    assert on_my_tasks(page.url)
