"""A record of every export and download (issue 12, Build 5): every URL of the URLconf is
opened by someone the least-privilege table lets in, and each answer that is a file (it carries
a Content-Disposition) must have written exactly one audit event, a download, naming no child;
an answer that is not a file writes none. A new download view without its audit event fails
here, whatever app it is in."""

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.test import override_settings

from learning_reviews.audit.models import AuditEvent
from learning_reviews.audit.services import DOWNLOADED
from learning_reviews.home import calendar_services
from learning_reviews.home.demo_outcomes import STAGES as OUTCOME_STAGES
from learning_reviews.home.tests import test_least_privilege as least_privilege
from learning_reviews.home.tests.test_least_privilege import (
    BY_TOKEN,
    READERS,
    READS,
    ROUTES,
    WHO,
    Built,
    _url,
)
from learning_reviews.referrals.tests.built_once import built_once


# The records and readers of the least-privilege walk, built once for this module.
@pytest.fixture(scope="module")
def media(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("media")


@pytest.fixture(scope="module")
def built(django_db_setup, django_db_blocker, media) -> Iterator[Built]:
    with override_settings(MEDIA_ROOT=media):
        yield from built_once(django_db_blocker, least_privilege._build)


@pytest.fixture(autouse=True)
def _module_media(settings, media):
    settings.MEDIA_ROOT = media


@pytest.fixture(autouse=True)
def _no_pdf_rendering(monkeypatch):
    # Who downloaded a file is the point here, not what it holds (tested beside each document).
    from weasyprint import HTML

    monkeypatch.setattr(HTML, "write_pdf", lambda self, *a, **k: b"%PDF-1.7 downloads")


# The children of the cases the walk reads: their names and SWIS numbers.
CHILDREN = [part for _name, child, swis, _stage in OUTCOME_STAGES for part in (child, swis)]
# Files every build of the records offers: the walk must find at least these.
KNOWN_DOWNLOADS = {
    "protocol_pdf",
    "referrals:form_pdf",
    "referrals:childs_plan",
    "group:letter_pdf",
    "group:letter_docx",
    "group:minutes_pdf",
    "reviews:review_participant_letter",
    "reviews:review_source_file",
    "outcomes:action_plan_xlsx",
    "outcomes:action_plan_pdf",
    "outcomes:action_evidence",
    "insights:funnel_csv",
    "insights:xlsx",
    "insights:summary_pdf",
}


def _get(client: Any, url: str) -> tuple[Any, list[AuditEvent]]:
    """The answer to a GET and the audit events it wrote, rolled back after."""
    with transaction.atomic():
        last = AuditEvent.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
        response = client.get(url)
        events = list(AuditEvent.objects.filter(pk__gt=last))
        transaction.set_rollback(True)
    return response, events


def _walk(client: Any, records: Built, name: str, route: str) -> tuple[Any, list[AuditEvent]]:
    """As the first reader the table lets in who gets a page (not a redirect or a refusal)."""
    url = _url(records, name, route)
    allowed = [key for key, _ in READERS if key in WHO[READS[name]]]
    answer: tuple[Any, list[AuditEvent]] = (None, [])
    for key in allowed:
        client.force_login(records.readers[key])
        answer = _get(client, url)
        if answer[0].status_code == 200:
            break
    return answer


def test_every_download_writes_exactly_one_audit_event_naming_no_child(db, client, built):
    downloads, wrong = set(), []
    for name, route in ROUTES:
        if name in BY_TOKEN:
            continue
        response, events = _walk(client, built, name, route)
        actions = [event.action for event in events]
        if response.has_header("Content-Disposition") and response.status_code == 200:
            downloads.add(name)
            if actions != [DOWNLOADED]:
                wrong.append(f"{name}: a download wrote {actions or 'nothing'}")
            elif any(part in events[0].summary for part in CHILDREN):
                wrong.append(f"{name}: the summary names a child: {events[0].summary}")
        elif DOWNLOADED in actions:
            wrong.append(f"{name}: not a file, yet audited as a download")
    assert wrong == []
    assert sorted(KNOWN_DOWNLOADS - downloads) == [], "downloads the walk did not find"


def test_the_calendar_feed_is_audited_as_a_download_by_its_owner(db, client, built):
    person = built.readers["group_member"]
    secret = calendar_services.calendar_token_create(by=person)
    response, events = _get(client, f"/calendar/{secret}.ics")
    assert response.status_code == 200
    assert [(e.action, e.actor_id, e.summary) for e in events] == [
        (DOWNLOADED, person.pk, "Downloaded their calendar feed")
    ]
