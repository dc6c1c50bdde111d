import pytest

from learning_reviews.referrals.models import Status


@pytest.mark.parametrize("status", list(Status))
def test_referral_reaches_every_state_through_the_services(make_referral, status):
    referral = make_referral(status)
    referral.refresh_from_db()
    assert referral.status == status
