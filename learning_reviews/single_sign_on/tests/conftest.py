import pytest

from learning_reviews.single_sign_on.tests.oidc_server import running_provider

CLIENT_ID = "learning-reviews"
CLIENT_SECRET = "fictional-test-secret"
OTHER_CLIENT_ID = "another-service"
OTHER_CLIENT_SECRET = "another-fictional-secret"
CALLBACK = "http://testserver/sign-in/council/callback/"
OTHER_CALLBACK = "http://other.invalid/callback"
DOMAIN = "fictional.gov.uk"

# The provider's people, by the account name typed on its sign-in page.
ACCOUNTS = {
    "megan": {"email": "Megan.Cross@fictional.gov.uk", "email_verified": True},
    "nobody": {"email": "nobody@fictional.gov.uk", "email_verified": True},
    "iain": {"email": "iain.baxter@fictional.gov.uk", "email_verified": False},
    "olly": {"email": "olly@fictional.gov.uk", "email_verified": True},
}


@pytest.fixture(scope="module")
def oidc_provider():
    """One real provider per test module (and per xdist worker), on a free loopback port."""
    clients = [
        {"client_id": CLIENT_ID, "client_secret": CLIENT_SECRET, "redirect_uris": [CALLBACK]},
        {
            "client_id": OTHER_CLIENT_ID,
            "client_secret": OTHER_CLIENT_SECRET,
            "redirect_uris": [OTHER_CALLBACK],
        },
    ]
    with running_provider(clients=clients, accounts=ACCOUNTS, id_token_ttl=60) as provider:
        yield provider
