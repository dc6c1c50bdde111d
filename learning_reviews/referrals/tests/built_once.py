"""Data built once for many tests, as Django's `TestCase.setUpTestData` does.

For a module- or class-scoped fixture: `yield from built_once(django_db_blocker, build)` builds
in a transaction that stays open while the fixture's tests run and is rolled back when the
fixture ends. Each test that uses the data also takes `db`, whose transaction is then a
savepoint of that one, rolled back after the test: every test starts from the data exactly as
built, and nothing one test does is seen by the next. Between the tests the database is out of
bounds again, as for any test without `db`.
"""

import copy
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import TypeVar

from django.db import transaction
from django.test import override_settings

from conftest import People, build_people
from learning_reviews.improvement_group.testing import referral_at
from learning_reviews.referrals.models import Referral, Status

T = TypeVar("T")

# As the autouse `_fast_password_hashing` fixture does for a single test.
FAST_HASHING = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def built_once(django_db_blocker, build: Callable[[], T]) -> Iterator[T]:
    with django_db_blocker.unblock(), transaction.atomic():
        with override_settings(PASSWORD_HASHERS=FAST_HASHING):
            built = build()
        with django_db_blocker.block():
            yield built
        transaction.set_rollback(True)


@dataclass(frozen=True)
class Pathway:
    """The `people` fixture's people and a referral at every status, as `make_referral` makes
    them."""

    people: People
    referral_ids: dict[Status, int]

    def fresh_people(self) -> People:
        # Copies, as setUpTestData's attributes are: a test's changes to them stay its own.
        return copy.deepcopy(self.people)

    def referral(self, status: Status) -> Referral:
        """The referral at `status`, read afresh in the current test."""
        return Referral.objects.get(pk=self.referral_ids[status])


def build_pathway() -> Pathway:
    people = build_people()
    referral_ids = {
        status: referral_at(
            status,
            worker=people.worker,
            line_manager=people.line_manager,
            service_manager=people.service_manager,
            team=people.team,
            group_member=people.cfcig_member,
            group_chair=people.cfcig_chair,
            lead_reviewer=people.lead_reviewer,
        ).pk
        for status in Status
    }
    return Pathway(people=people, referral_ids=referral_ids)
