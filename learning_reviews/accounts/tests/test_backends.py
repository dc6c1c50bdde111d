"""Every request loads the signed-in person and their organisation in one query, and a
deactivated person is still not loaded."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from learning_reviews.accounts.backends import OrganisationUserBackend
from learning_reviews.accounts.tests.signin_helpers import build_cast
from learning_reviews.single_sign_on.backends import SingleSignOnBackend

BACKENDS = [OrganisationUserBackend, SingleSignOnBackend]


@pytest.fixture
def cast(db):
    return build_cast()


@pytest.mark.parametrize("backend", BACKENDS)
def test_the_person_comes_with_their_organisation_in_one_query(cast, backend):
    with CaptureQueriesContext(connection) as queries:
        user = backend().get_user(cast.worker.pk)
        assert user.organisation.name == "Fictional Council"
    assert user == cast.worker
    assert len(queries) == 1


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_deactivated_person_or_no_one_is_not_loaded(cast, backend):
    cast.worker.is_active = False
    cast.worker.save(update_fields=["is_active"])
    assert backend().get_user(cast.worker.pk) is None
    assert backend().get_user(999_999) is None
