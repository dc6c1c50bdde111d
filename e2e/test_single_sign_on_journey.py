"""Single sign-on in a real browser, with and without JavaScript, against a real OpenID
Connect provider (oidc-provider) on loopback: the administrator sets it up under Manage; a
worker goes from the sign-in page to the council's page and back, signed in; someone the
service does not know is refused. Our pages go through `check_page` (axe and the rest); the
provider's own page is not ours and is not."""

import re

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import check_page, forget_problems, sign_in
from learning_reviews.single_sign_on.tests.oidc_server import running_provider

CLIENT_ID = "learning-reviews"
CLIENT_SECRET = "fictional-test-secret"
ACCOUNTS = {
    "megan": {"email": "megan.cross@fictional.gov.uk", "email_verified": True},
    "nobody": {"email": "nobody@fictional.gov.uk", "email_verified": True},
}


@pytest.fixture(scope="module")
def council_provider(live_server):
    callback = f"{live_server.url}/sign-in/council/callback/"
    clients = [
        {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [callback]}
    ]
    with running_provider(clients=clients, accounts=ACCOUNTS) as provider:
        yield provider


def _through_the_council(page: Page, account: str, *, check: bool) -> None:
    page.goto("/sign-in/")
    if check:
        check_page(page)
    page.get_by_role("link", name="Sign in with your council account").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Sign in with your council account")
    if check:
        check_page(page)
    page.get_by_label("Your work email address").fill(ACCOUNTS[account]["email"])
    page.get_by_role("button", name="Continue").click()
    # The council's own sign-in page (the test provider's): not ours, so not audited by axe.
    page.get_by_label("Account").fill(account)
    page.get_by_role("button", name="Continue").click()


@pytest.mark.e2e
@pytest.mark.parametrize("javascript", [True, False])
def test_signing_in_with_the_council_account(open_page, people, council_provider, javascript):
    people.worker.email = ACCOUNTS["megan"]["email"]
    people.worker.save()
    admin = open_page(javascript=javascript)
    sign_in(admin, people.admin)
    admin.goto("/manage/")
    admin.get_by_role("link", name="Single sign-on").click()
    check_page(admin)
    admin.get_by_label("Issuer").fill(council_provider.issuer)
    admin.get_by_label("Client ID").fill(CLIENT_ID)
    admin.get_by_label("Client secret").fill(CLIENT_SECRET)
    admin.get_by_label("Work email domains").fill("fictional.gov.uk")
    admin.get_by_role("button", name="Save single sign-on").click()
    expect(admin.get_by_text("Single sign-on has been saved.")).to_be_visible()
    check_page(admin)

    megan = open_page(javascript=javascript)
    _through_the_council(megan, "megan", check=True)
    megan.wait_for_url(lambda url: url.endswith("/") and "/sign-in" not in url)
    expect(megan.get_by_text(people.worker.full_name).first).to_be_visible()
    check_page(megan)

    stranger = open_page(javascript=javascript)
    _through_the_council(stranger, "nobody", check=False)
    expect(stranger.get_by_role("heading", level=1)).to_have_text("There is no account for you")
    forget_problems(stranger)  # the 403 is what this part asserts
    check_page(stranger)
    stranger.goto("/")
    expect(stranger).to_have_url(re.compile(r"/sign-in/"))
