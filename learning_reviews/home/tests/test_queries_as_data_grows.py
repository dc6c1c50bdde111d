"""No key page runs more SQL queries as the data grows tenfold (issue 13).

The national data set (`home/national_data.py`) is made at a small scale, with every kind of
task in it, and at ten times it, one council each time. Every key page of `make bench`
(`home/key_pages.py`) is opened by the person who would read it, and the queries of its second
request are counted (the first warms what a person's session keeps). A page whose count grows
with the data shows here, in `make test`, rather than as a slow page in `make bench`.
"""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from learning_reviews.accounts.models import Organisation, User
from learning_reviews.home import national_content, national_data
from learning_reviews.home.key_pages import KEYS, key_pages

SMALL = 0.001  # one council: 20 referrals, 5 reviews, 2,000 audit events
TENFOLD = SMALL * 10  # 200 referrals, 50 reviews, 20,000 audit events


class _Undo(Exception):
    """Raised to roll the data set back once its pages are counted."""


def _queries_per_page(client, scale: float) -> dict[str, int]:
    counted: dict[str, int] = {}
    try:
        with transaction.atomic():
            national_data.generate(scale, out=lambda line: None)
            council = Organisation.objects.get(name=national_content.place(0))
            for page in key_pages(council):
                client.force_login(User.objects.get(username=page.username))
                client.get(page.url)
                with CaptureQueriesContext(connection) as queries:
                    response = client.get(page.url)
                assert response.status_code == 200, (page.key, response.status_code)
                counted[page.key] = len(queries)
            raise _Undo
    except _Undo:
        pass
    return counted


@pytest.mark.django_db(transaction=False)
def test_no_key_page_runs_more_queries_with_ten_times_the_data(client):
    small = _queries_per_page(client, SMALL)
    tenfold = _queries_per_page(client, TENFOLD)
    assert list(small) == list(KEYS) == list(tenfold), "every key page is found at both scales"
    # The busiest records at ten times the data may be at another stage than the small set's,
    # and show less (a referral not proceeding shows its further actions, a register page with
    # no routed case reads none): fewer queries is not growth, more would be.
    grown = {key: (small[key], tenfold[key]) for key in KEYS if tenfold[key] > small[key]}
    assert not grown, f"queries (small, tenfold) of the pages whose count grew: {grown}"
