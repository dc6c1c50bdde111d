"""No child's name or SWIS No. in what leaves the service with a document: the file name in
`Content-Disposition` and the document's own properties (a PDF's information dictionary and
XMP, a Word file's core properties, a workbook's properties), read back with pypdf,
python-docx and openpyxl. The documents themselves are OFFICIAL-SENSITIVE and may name the
child; their properties show in file managers, search indexes and e-mail previews.

Every document is downloaded, as the person who would, from the demo organisation (loaded once
for the module), which has a record at every stage."""

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone
from docx import Document
from openpyxl import load_workbook
from pypdf import PdfReader

from learning_reviews.accounts.models import User
from learning_reviews.home.demo import DEMO_ORGANISATION
from learning_reviews.improvement_group import services_letters
from learning_reviews.improvement_group.models import Decision, Letter, Meeting
from learning_reviews.outcomes.models import Briefing
from learning_reviews.referrals.models import Referral
from learning_reviews.referrals.tests.built_once import built_once
from learning_reviews.reviews.models import Participant, Review

from .test_demo import run_load_demo


@dataclass(frozen=True)
class Demo:
    children: list[str]  # every name and SWIS No. of a child in the demo
    media: Path  # where the demo's files were stored


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory) -> Iterator[Demo]:
    media = tmp_path_factory.mktemp("demo-media")

    def load() -> Demo:
        with override_settings(MEDIA_ROOT=media):
            run_load_demo()
        referrals = Referral.objects.filter(organisation__name=DEMO_ORGANISATION)
        identifying = set()
        for name, swis in referrals.values_list("child_name", "swis_number"):
            identifying |= {name, swis, *name.split()}
        return Demo(children=sorted(i for i in identifying if len(i) > 2), media=media)

    yield from built_once(django_db_blocker, load)


def _user(username: str) -> User:
    return User.objects.get(username=username)


def _pdf_properties(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    info = " ".join(str(v) for v in (reader.metadata or {}).values())
    xmp = reader.xmp_metadata
    return info + (" " + xmp.rdf_root.toxml() if xmp is not None else "")


def _docx_properties(content: bytes) -> str:
    p = Document(io.BytesIO(content)).core_properties
    return " ".join(
        str(v or "")
        for v in [p.title, p.subject, p.author, p.keywords, p.comments, p.category,
                  p.last_modified_by, p.content_status, p.identifier]
    )  # fmt: skip


def _xlsx_properties(content: bytes) -> str:
    p = load_workbook(io.BytesIO(content)).properties
    return " ".join(
        str(v or "")
        for v in [p.title, p.subject, p.creator, p.keywords, p.description, p.category,
                  p.lastModifiedBy, p.identifier]
    )  # fmt: skip


def _letter_referral() -> Referral:
    decision = Decision.objects.filter(
        organisation__name=DEMO_ORGANISATION, status=Decision.Status.CONFIRMED
    ).select_related("referral")[0]
    if not Letter.objects.filter(decision=decision).exists():
        services_letters.letter_prepare(
            decision=decision, by=User.objects.get(pk=decision.referral.service_manager_id)
        )
    return decision.referral


def _review_with(**filters: object) -> Review:
    return Review.objects.filter(organisation__name=DEMO_ORGANISATION, **filters).first()


def _referral_form() -> tuple[str, str]:
    referral = Referral.objects.filter(organisation__name=DEMO_ORGANISATION).first()
    return "worker", reverse("referrals:form_pdf", args=[referral.pk])


def _letter(kind: str) -> Callable[[], tuple[str, str]]:
    def url() -> tuple[str, str]:
        referral = _letter_referral()
        return "servicemanager", reverse(f"group:letter_{kind}", args=[referral.pk])

    return url


def _minutes() -> tuple[str, str]:
    meeting = Meeting.objects.filter(organisation__name=DEMO_ORGANISATION).first()
    return "cfcigchair", reverse("group:minutes_pdf", args=[meeting.pk])


def _report(kind: str) -> Callable[[], tuple[str, str]]:
    def url() -> tuple[str, str]:
        review = _review_with(reports__isnull=False)
        return "leadreviewer", reverse(f"reviews:review_report_{kind}", args=[review.pk])

    return url


def _participant_letter() -> tuple[str, str]:
    participant = Participant.objects.filter(review__organisation__name=DEMO_ORGANISATION).first()
    return "leadreviewer", reverse(
        "reviews:review_participant_letter", args=[participant.review_id, participant.pk]
    )


def _briefing() -> tuple[str, str]:
    briefing = Briefing.objects.filter(
        review__organisation__name=DEMO_ORGANISATION, status=Briefing.Status.RELEASED
    ).first()
    return "cfcigchair", reverse("outcomes:briefing_pdf", args=[briefing.pk])


def _action_plan(kind: str) -> Callable[[], tuple[str, str]]:
    def url() -> tuple[str, str]:
        review = _review_with(outcome__isnull=False)
        return "cfcigchair", reverse(f"outcomes:action_plan_{kind}", args=[review.pk])

    return url


def _yearly_summary() -> tuple[str, str]:
    return "cfcigchair", reverse("insights:summary_pdf", args=[timezone.localdate().year])


DOCUMENTS: dict[str, tuple[Callable[[], tuple[str, str]], Callable[[bytes], str]]] = {
    "referral form PDF": (_referral_form, _pdf_properties),
    "feedback letter PDF": (_letter("pdf"), _pdf_properties),
    "feedback letter Word": (_letter("docx"), _docx_properties),
    "minutes PDF": (_minutes, _pdf_properties),
    "draft report Word": (_report("docx"), _docx_properties),
    "draft report PDF": (_report("pdf"), _pdf_properties),
    "participant letter PDF": (_participant_letter, _pdf_properties),
    "learning briefing PDF": (_briefing, _pdf_properties),
    "action plan workbook": (_action_plan("xlsx"), _xlsx_properties),
    "action plan PDF": (_action_plan("pdf"), _pdf_properties),
    "yearly summary PDF": (_yearly_summary, _pdf_properties),
}


@pytest.mark.parametrize("document", list(DOCUMENTS))
def test_no_child_is_named_in_a_documents_file_name_or_properties(demo, db, settings, document):
    settings.MEDIA_ROOT = demo.media
    where, properties_of = DOCUMENTS[document]
    username, url = where()
    client = Client()
    client.force_login(_user(username))
    response = client.get(url)
    assert response.status_code == 200, (document, url)
    content = (
        b"".join(response.streaming_content)
        if hasattr(response, "streaming_content")
        else response.content
    )
    disposition = response["Content-Disposition"]
    properties = properties_of(content)
    assert properties.strip(), "the document has properties to check"
    for identifying in demo.children:
        assert identifying not in disposition, (document, identifying)
        assert identifying not in properties, (document, identifying)
