"""Fixed personas for every test, after healthchecks' alice/bob/charlie.

`people` is a fictional organisation with one person per role (named as in the worked case),
a worker in another team, and `outsider`, a worker in a second organisation.
"""

import os
from pathlib import Path

# Fontconfig sees only the fonts kept with the code (the documents' Arimo), never the machine's:
# what the tests read back from a PDF must not depend on which fonts a machine has installed
# (docs/decisions/0013-documents-font.md). Set before anything can load WeasyPrint and Pango.
os.environ["FONTCONFIG_FILE"] = str(
    Path(__file__).resolve().parent / "learning_reviews" / "documents" / "fonts" / "fonts.conf"
)

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.conf import settings as django_settings
from django.test import TransactionTestCase
from django.urls import URLPattern, URLResolver, get_resolver

from learning_reviews.accounts.models import Membership, Organisation, Role, Team, User
from learning_reviews.audit.guard import audit_unlocked

PASSWORD = "correct-horse-battery-staple"

# The test database is thrown away after the run, so its commits need not wait for the disk:
# building it (migrations, one commit each, per xdist worker) and the transactional tests'
# flushes commit often. This session setting reaches only the test run's own connections,
# never the server's configuration; what the tests read and assert is the same either way.
_database = django_settings.DATABASES["default"]
if _database["ENGINE"] == "django.db.backends.postgresql":
    _options = _database.setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c synchronous_commit=off".strip()

# E-mail goes through the outbox and a background task (core/outbox.py). Here each task runs as
# soon as it is queued, after the change commits, so what a change sends is in mail.outbox as
# before; the outbox's own tests (core/tests/test_outbox.py) use the database backend and a worker.
django_settings.TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend"}}

# Transactional tests (all live_server tests) empty every table after each test, the audit
# table included; the append-only triggers let only this flush through.
_original_teardown = TransactionTestCase._fixture_teardown


def _fixture_teardown(self: TransactionTestCase) -> None:
    with audit_unlocked():
        _original_teardown(self)


TransactionTestCase._fixture_teardown = _fixture_teardown  # type: ignore[method-assign]


@dataclass
class People:
    org: Organisation
    team: Team
    other_team: Team
    worker: User
    line_manager: User
    service_manager: User
    cfcig_chair: User
    cfcig_member: User
    lead_reviewer: User
    admin: User
    auditor: User
    other_worker: User
    other_line_manager: User
    outsider_org: Organisation
    outsider: User
    outsider_line_manager: User


def make_user(
    org: Organisation, username: str, full_name: str, *roles: tuple[Role, Team | None]
) -> User:
    user = User.objects.create_user(
        username=username,
        password=PASSWORD,
        full_name=full_name,
        organisation=org,
        email=f"{username}@example.org",
    )
    for role, team in roles:
        Membership.objects.create(organisation=org, user=user, role=role, team=team)
    return user


def build_people() -> People:
    org = Organisation.objects.create(name="Fictional Council")
    team = Team.objects.create(organisation=org, name="Central Locality Team")
    other_team = Team.objects.create(organisation=org, name="Fostering Team")
    other_org = Organisation.objects.create(name="Elsewhere Council")
    other_org_team = Team.objects.create(organisation=other_org, name="East Team")
    return People(
        org=org,
        team=team,
        other_team=other_team,
        worker=make_user(org, "megan", "Megan Cross", (Role.WORKER, team)),
        line_manager=make_user(org, "iain", "Iain Baxter", (Role.LINE_MANAGER, team)),
        service_manager=make_user(org, "catriona", "Catriona Munro", (Role.SERVICE_MANAGER, None)),
        cfcig_chair=make_user(org, "morag", "Morag Lindsay", (Role.CFCIG_CHAIR, None)),
        cfcig_member=make_user(org, "david", "David Reid", (Role.CFCIG_MEMBER, None)),
        lead_reviewer=make_user(org, "aileen", "Aileen Forbes", (Role.LEAD_REVIEWER, None)),
        admin=make_user(org, "alex", "Alex Morgan", (Role.ADMINISTRATOR, None)),
        auditor=make_user(org, "sam", "Sam Auditor", (Role.AUDITOR, None)),
        other_worker=make_user(org, "jenna", "Jenna Scott", (Role.WORKER, other_team)),
        other_line_manager=make_user(org, "tom", "Tom Kerr", (Role.LINE_MANAGER, other_team)),
        outsider_org=other_org,
        outsider=make_user(other_org, "olly", "Olly Outsider", (Role.WORKER, other_org_team)),
        outsider_line_manager=make_user(
            other_org, "owen", "Owen Elsewhere", (Role.LINE_MANAGER, other_org_team)
        ),
    )


@pytest.fixture
def people(db: None) -> People:
    return build_people()


@pytest.fixture
def make_referral(people: People):
    """make_referral(Status.X) gives a complete referral of `people.worker` at that step."""
    from learning_reviews.improvement_group.testing import referral_at

    def make(status, **kwargs):
        args = {
            "worker": people.worker,
            "line_manager": people.line_manager,
            "service_manager": people.service_manager,
            "team": people.team,
            "group_member": people.cfcig_member,
            "group_chair": people.cfcig_chair,
            "lead_reviewer": people.lead_reviewer,
            **kwargs,
        }
        return referral_at(status, **args)

    return make


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    # Argon2 is the production hasher (test_settings checks it); tests create many users.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _private_media(settings, tmp_path):
    # Uploaded and generated files go to a folder of the test's own, never ./media.
    settings.MEDIA_ROOT = tmp_path / "media"


def url_routes(
    patterns: list[Any] | None = None, prefix: str = "", namespace: str | None = None
) -> Iterator[tuple[str, str]]:
    """(namespace:name, full route) of every URL of the service, for the tests that walk the
    URLconf. An unnamed URL is named "(unnamed <route>)", so that no walk can miss it."""
    for entry in get_resolver().url_patterns if patterns is None else patterns:
        if isinstance(entry, URLResolver):
            inner = entry.namespace or namespace
            yield from url_routes(entry.url_patterns, prefix + str(entry.pattern), inner)
        elif isinstance(entry, URLPattern):
            name = entry.name or f"(unnamed {prefix}{entry.pattern})"
            yield (f"{namespace}:{name}" if namespace else name), prefix + str(entry.pattern)
