"""Appendix 3, the Learning Review Referral Form, downloaded as a PDF."""

import datetime
import io
import socket
from pathlib import Path

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils.timezone import localtime
from pypdf import PdfReader

from learning_reviews.audit.models import AuditEvent
from learning_reviews.documents import pdf as pdf_module
from learning_reviews.documents.pdf import (
    RemoteFetchRefused,
    local_only_url_fetcher,
    render_pdf,
)
from learning_reviews.referrals import services
from learning_reviews.referrals.form_pdf import prefetch_referral_form, referral_form_pdf
from learning_reviews.referrals.models import (
    ChronologyEntry,
    Ground,
    HouseholdMember,
    ReviewReason,
    Status,
)
from learning_reviews.referrals.testing import CaseContent

# The protocol's own words for every part of the form (Appendix 3).
APPENDIX_3_LABELS = [
    "Learning Review Referral Form",
    "Name of person completing this Report",
    "Service/Team",
    "Date form submitted to Service Manager",
    "Name of Child or Young Person",
    "SWIS No.",
    "Name of Parents/Carers",
    "Others In Household (name & relationship)",
    "Other agencies known to be involved (please provide names & disciplines of various "
    "professionals within each agency, if known)",
    "Child's Plan Form 1",
    "Ground(s) on which the criteria for a Learning Review may have met (please see Section 2, "
    "Protocol for Conducting a Learning Review)",
    "Brief description of the circumstances of the Case",
    "Key Facts/Background to the Case (include chronology)",
    "Please give details of the reasons why a Learning Review has been requested",
    "Signature of Worker",
    "Signature of Line Manager",
    "To be completed by CFCIG",
    "Date discussed:",
    "Decision: Proceed to Learning Review YES / NO",
    "Rationale:",
    "Key objectives of the Review:",
    "Lead Reviewer:",
    "Timescale for completion:",
    "Further action required:",
]


def pages_of(content: bytes) -> list[str]:
    """The text of each page, with runs of whitespace (including line wraps) as one space."""
    reader = PdfReader(io.BytesIO(content))
    return [" ".join(page.extract_text().split()) for page in reader.pages]


def text_of(content: bytes) -> str:
    return " ".join(pages_of(content))


def download(client, user, referral):
    client.force_login(user)
    return client.get(reverse("referrals:form_pdf", args=[referral.pk]))


def form_pdf(referral) -> bytes:
    prefetch_referral_form(referral)
    return referral_form_pdf(referral)


@pytest.fixture
def referral(make_referral):
    return make_referral(Status.WITH_SERVICE_MANAGER)


def test_worker_downloads_the_form_as_a_pdf_attachment_that_is_not_cached(client, people, referral):
    response = download(client, people.worker, referral)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"] == (
        f'attachment; filename="{referral.reference}-referral-form.pdf"'
    )
    assert response["Cache-Control"] == "no-store"
    assert response.content.startswith(b"%PDF-")


def test_pdf_carries_every_label_of_appendix_3(client, people, referral):
    text = text_of(download(client, people.worker, referral).content)

    assert [label for label in APPENDIX_3_LABELS if label not in text] == []
    assert (
        "The person first concerned that the criteria for a Learning Review has been met, "
        "should notify the CFCIG using this template." in text
    )


def test_pdf_carries_every_value_entered_on_the_form(client, people, referral):
    case = CaseContent()
    referral.refresh_from_db()
    text = text_of(download(client, people.worker, referral).content)

    expected = [
        "Megan Cross",  # person completing
        people.team.name,
        f"{referral.date_submitted.day} {referral.date_submitted:%B %Y}",
        case.child_name,
        case.swis_number,
        case.parents_carers,
        *(f"{name} ({relationship})" for name, relationship in case.household),
        *(f"{agency}: {name} ({discipline})" for agency, name, discipline in case.agencies),
        "Not attached",
        Ground.PLACEMENT_BREAKDOWN.label,
        case.circumstances,
        case.key_facts,
        *(source for _, _, source in case.chronology),
        *(f"{number}. {reason}" for number, reason in enumerate(case.reasons, start=1)),
        "Review meeting",
        "11 March 2025",  # first identified
        "18 March 2025",  # supervision
        "Signed electronically by Megan Cross on",
        "Signed electronically by Iain Baxter on",
    ]
    assert [value for value in expected if value not in text] == []


def test_signatures_give_who_signed_and_when(client, people, referral):
    referral.refresh_from_db()
    text = text_of(download(client, people.worker, referral).content)

    for name, signed_on in [
        ("Megan Cross", localtime(referral.worker_signed_on)),
        ("Iain Baxter", localtime(referral.line_manager_signed_on)),
    ]:
        when = f"{signed_on.day} {signed_on:%B %Y at %H:%M}"
        assert f"Signed electronically by {name} on {when}" in text
    assert "Not yet signed" not in text


def test_unsigned_form_says_so_for_both_signatures(make_referral):
    text = text_of(form_pdf(make_referral(Status.DRAFT)))

    assert "Signature of Worker Not yet signed" in text
    assert "Signature of Line Manager Not yet signed" in text
    assert "Signed electronically" not in text


def test_chronology_is_in_date_order_whatever_order_it_was_entered(make_referral):
    entered = [
        (datetime.date(2025, 3, 11), "Fourth: review asks for a learning review", "Minute"),
        (datetime.date(2024, 1, 15), "First: accommodated with carers A", "Case note"),
        (datetime.date(2024, 10, 3), "Third: carers B end placement", "Minute"),
        (datetime.date(2024, 4, 9), "Second: emergency move to carers B", "Case note"),
    ]
    referral = make_referral(Status.DRAFT, content=CaseContent(chronology=entered))

    text = text_of(form_pdf(referral))

    rows = [
        "15 January 2024 First: accommodated with carers A Case note",
        "9 April 2024 Second: emergency move to carers B Case note",
        "3 October 2024 Third: carers B end placement Minute",
        "11 March 2025 Fourth: review asks for a learning review Minute",
    ]
    squashed = text.replace(" ", "")
    positions = [squashed.find(row.replace(" ", "")) for row in rows]
    assert -1 not in positions
    assert positions == sorted(positions)
    assert "Date Event Source" in text


def test_html_typed_into_the_form_is_printed_as_text_with_its_line_breaks(make_referral):
    content = CaseContent(
        circumstances="<script>alert(1)</script>\nSecond line of the circumstances",
        reasons=['<b>Bold?</b> & "quoted"'],
    )
    referral = make_referral(Status.DRAFT, content=content)

    reader = PdfReader(io.BytesIO(form_pdf(referral)))
    raw = "\n".join(page.extract_text() for page in reader.pages)

    assert "<script>alert(1)</script>\nSecond line of the circumstances" in raw
    assert '1. <b>Bold?</b> & "quoted"' in " ".join(raw.split())


def test_no_other_agencies_known_is_stated(make_referral, people):
    referral = make_referral(Status.DRAFT, content=CaseContent(agencies=[]))
    referral = services.referral_update(
        referral=referral,
        by=people.worker,
        version=referral.version,
        data={"no_agencies_known": True},
        section="Other agencies",
    )

    assert "No other agencies known to be involved" in text_of(form_pdf(referral))


def test_attached_childs_plan_is_named(make_referral, people, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    referral = make_referral(Status.DRAFT)
    referral = services.referral_attach_childs_plan(
        referral=referral,
        by=people.worker,
        version=referral.version,
        upload=SimpleUploadedFile("zq-form-1.pdf", b"%PDF-1.4 fictional"),
    )

    text = text_of(form_pdf(referral))

    assert "zq-form-1.pdf" in text
    assert "Not attached" not in text


def test_organisations_own_group_name_replaces_cfcig(make_referral, people):
    people.org.improvement_group_short_name = "FCIG"
    people.org.save()

    text = text_of(form_pdf(make_referral(Status.DRAFT)))

    assert "should notify the FCIG using this template." in text
    assert "To be completed by FCIG" in text
    assert "CFCIG" not in text
    assert "C.F.C I.G." not in text


def test_every_page_has_the_reference_marking_and_page_x_of_y(client, people, referral):
    pages = pages_of(download(client, people.worker, referral).content)

    assert len(pages) > 1
    for number, page in enumerate(pages, start=1):
        assert f"Reference {referral.reference}" in page
        assert "OFFICIAL-SENSITIVE" in page
        assert f"Page {number} of {len(pages)}" in page


@pytest.mark.parametrize("persona", ["worker", "line_manager", "service_manager", "auditor"])
def test_people_who_may_see_the_referral_may_download_it(client, people, referral, persona):
    assert download(client, getattr(people, persona), referral).status_code == 200


@pytest.mark.parametrize("persona", ["outsider", "other_worker", "other_line_manager"])
def test_people_who_may_not_see_the_referral_get_404(client, people, referral, persona):
    response = download(client, getattr(people, persona), referral)

    assert response.status_code == 404
    assert not AuditEvent.objects.filter(kind=AuditEvent.Kind.ACCESS).exists()


def test_missing_referral_is_404(client, people):
    client.force_login(people.worker)

    response = client.get(reverse("referrals:form_pdf", args=[999_999]))

    assert response.status_code == 404


def test_signed_out_visitor_is_sent_to_sign_in(client, referral):
    response = client.get(reverse("referrals:form_pdf", args=[referral.pk]))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_only_get_is_allowed(client, people, referral):
    client.force_login(people.worker)

    response = client.post(reverse("referrals:form_pdf", args=[referral.pk]))

    assert response.status_code == 405


def test_download_is_recorded_as_an_access(client, people, referral):
    download(client, people.line_manager, referral)

    event = AuditEvent.objects.get(kind=AuditEvent.Kind.ACCESS)
    assert event.actor_id == people.line_manager.pk
    assert event.summary == "Downloaded the referral form as PDF"
    assert (event.record_type, event.record_id) == ("referrals.referral", str(referral.pk))
    assert event.organisation_id == people.org.pk


def test_queries_stay_few_however_many_rows_the_form_has(
    client, people, referral, django_assert_max_num_queries
):
    rows = {"organisation_id": people.org.pk, "referral": referral}
    for n in range(25):
        HouseholdMember.objects.create(name=f"Relative {n}", relationship="Cousin", **rows)
        ChronologyEntry.objects.create(
            date=datetime.date(2023, 1, 1) + datetime.timedelta(days=n), event=f"Event {n}", **rows
        )
        ReviewReason.objects.create(text=f"Reason {n}", **rows)
    client.force_login(people.worker)

    with django_assert_max_num_queries(10):
        response = client.get(reverse("referrals:form_pdf", args=[referral.pk]))

    assert response.status_code == 200
    assert f"{len(CaseContent().reasons) + 25}. Reason 24" in text_of(response.content)


@pytest.mark.parametrize(
    "url",
    [
        "https://example.invalid/logo.png",
        "http://127.0.0.1:8000/assets/style.css",
        "ftp://example.invalid/file",
        "file:///etc/passwd",
        "file:///etc/../etc/hostname",
        f"file://{Path(pdf_module.__file__).resolve()}",
        f"file://{Path(pdf_module.__file__).resolve().parent.parent}/static/../settings.py",
    ],
)
def test_documents_may_not_fetch_anything_outside_the_application(url):
    with pytest.raises(RemoteFetchRefused):
        local_only_url_fetcher(url)


def test_documents_may_use_data_urls():
    fetched = local_only_url_fetcher("data:text/plain;base64,T0s=")

    assert fetched["file_obj"].read() == b"OK"


def test_documents_may_use_the_applications_static_files():
    static = Path(pdf_module.__file__).resolve().parent.parent / "static" / "app.css"

    fetched = local_only_url_fetcher(static.as_uri())

    assert fetched["file_obj"].read() == static.read_bytes()
    fetched["file_obj"].close()


def test_rendering_a_template_that_asks_for_the_network_makes_no_connection(
    settings, tmp_path, monkeypatch
):
    (tmp_path / "remote.html").write_text(
        '<link rel="stylesheet" href="https://example.invalid/style.css">'
        '<img src="http://example.invalid/logo.png" alt=""><p>Offline</p>'
    )
    settings.TEMPLATES = [{**settings.TEMPLATES[0], "DIRS": [tmp_path]}]
    lookups: list[object] = []

    def no_network(*args: object, **kwargs: object) -> None:
        lookups.append(args)
        raise OSError("network used")

    monkeypatch.setattr(socket, "getaddrinfo", no_network)
    monkeypatch.setattr(socket, "create_connection", no_network)

    content = render_pdf(template="remote.html", context={})

    assert lookups == []
    assert "Offline" in text_of(content)
