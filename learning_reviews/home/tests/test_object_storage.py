"""Files on S3-compatible object storage, tested against a real S3 server (moto in server mode)
on loopback: uploads, generated letters and the e-mail that carries them store and read their
files in the bucket, through the permission-checked views; a rollback leaves no object behind,
a deletion happens only on commit; and while the server is down an upload gets a clear message
beside its field, loses nothing typed, saves nothing, and succeeds once the server is back."""

import socket
import uuid
from collections.abc import Iterator
from typing import Any

import boto3
import pytest
from django.core import mail
from django.core.files.storage import default_storage
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from moto.server import ThreadedMotoServer

from learning_reviews.core.models import OutgoingEmail
from learning_reviews.core.outbox import send_one
from learning_reviews.core.storage import PrivateS3Storage
from learning_reviews.improvement_group import services_letters
from learning_reviews.improvement_group.tests.letter_helpers import decision_of
from learning_reviews.referrals import services as referrals
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.tests.test_bad_input import (
    error_beside,
    post_section,
    snapshot,
    value_of,
)
from learning_reviews.reviews.models import Review
from learning_reviews.reviews.workspace import Source

PDF = b"%PDF-1.4\nChild's Plan Form 1 (fictional)\n%%EOF\n"
KEYS = {"access_key": "testing", "secret_key": "testing", "region_name": "eu-west-2"}
TYPED = {
    "item-agency": "Education",
    "item-professional_name": "Ms Priya Sandhu",
    "item-discipline": "Class teacher",
}


class S3Server:
    """A moto S3 server on a loopback port that can be stopped and started again on the same
    port, keeping its buckets (moto holds them in this process)."""

    def __init__(self) -> None:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.endpoint = f"http://127.0.0.1:{self.port}"
        self._server: ThreadedMotoServer | None = None

    def start_if_stopped(self) -> None:
        if self._server is None:
            self.start()

    def start(self) -> None:
        self._server = ThreadedMotoServer(ip_address="127.0.0.1", port=self.port, verbose=False)
        self._server.start()

    def stop(self) -> None:
        if self._server is not None:
            self._server.stop()
            self._server = None

    def client(self) -> Any:
        return boto3.client(
            "s3",
            endpoint_url=self.endpoint,
            aws_access_key_id=KEYS["access_key"],
            aws_secret_access_key=KEYS["secret_key"],
            region_name=KEYS["region_name"],
        )


@pytest.fixture(scope="module")
def s3_server() -> Iterator[S3Server]:
    server = S3Server()
    server.start()
    yield server
    server.stop()


@pytest.fixture
def bucket(s3_server: S3Server, settings: Any) -> Iterator[str]:
    """A fresh bucket, made the default storage as LR_S3_BUCKET would (settings.py)."""
    name = f"learning-reviews-{uuid.uuid4().hex[:12]}"
    s3_server.client().create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": KEYS["region_name"]}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "learning_reviews.core.storage.PrivateS3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_server.endpoint,
                **KEYS,
                "timeout": 2,
                "attempts": 2,
            },
        },
    }
    yield name
    s3_server.start_if_stopped()  # after an outage test that failed halfway


def objects(server: S3Server, bucket: str) -> dict[str, bytes]:
    client = server.client()
    listing = client.list_objects_v2(Bucket=bucket).get("Contents", [])
    return {
        o["Key"]: client.get_object(Bucket=bucket, Key=o["Key"])["Body"].read() for o in listing
    }


@pytest.fixture
def draft(people, make_referral, client) -> Referral:
    client.force_login(people.worker)
    referral: Referral = make_referral(Status.DRAFT)
    return referral


def test_the_settings_choose_s3_only_when_a_bucket_is_given(bucket):
    assert isinstance(default_storage, PrivateS3Storage)
    assert default_storage.bucket_name == bucket
    assert default_storage.default_acl is None  # S3's own default: private to the owner
    assert default_storage.object_parameters == {"ServerSideEncryption": "AES256"}
    config = default_storage.client_config
    assert (config.connect_timeout, config.read_timeout) == (2, 2)
    assert config.retries == {"total_max_attempts": 2, "mode": "standard"}
    with pytest.raises(NotImplementedError, match="no URL"):
        default_storage.url("anything.pdf")


def test_a_form_1_upload_is_a_private_encrypted_object_downloaded_only_through_its_view(
    client, people, draft, bucket, s3_server
):
    response = post_section(
        client, draft, "agencies", {"plan-childs_plan": SimpleUploadedFile("Form 1.pdf", PDF)}
    )

    assert response.status_code == 302
    draft.refresh_from_db()
    assert objects(s3_server, bucket) == {draft.childs_plan.name: PDF}
    head = s3_server.client().head_object(Bucket=bucket, Key=draft.childs_plan.name)
    assert head["ServerSideEncryption"] == "AES256"
    acl = s3_server.client().get_object_acl(Bucket=bucket, Key=draft.childs_plan.name)
    assert [g["Permission"] for g in acl["Grants"]] == ["FULL_CONTROL"]  # the owner alone
    download = client.get(reverse("referrals:childs_plan", args=[draft.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF
    client.force_login(people.outsider)
    assert client.get(reverse("referrals:childs_plan", args=[draft.pk])).status_code == 404


def test_a_rolled_back_upload_leaves_no_object_and_a_replaced_one_goes_only_on_commit(
    people, draft, bucket, s3_server, django_capture_on_commit_callbacks
):
    def attach(content: bytes) -> Referral:
        draft.refresh_from_db()
        return referrals.referral_attach_childs_plan(
            referral=draft,
            by=people.worker,
            version=draft.version,
            upload=SimpleUploadedFile("plan.pdf", content),
        )

    with pytest.raises(RuntimeError), transaction.atomic():
        attach(PDF)
        assert len(objects(s3_server, bucket)) == 1
        raise RuntimeError("something later in the change failed")
    assert objects(s3_server, bucket) == {}

    with django_capture_on_commit_callbacks(execute=True):
        old = attach(PDF).childs_plan.name
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        new = attach(PDF + b"%second\n").childs_plan.name
    assert set(objects(s3_server, bucket)) == {old, new}  # a rollback would keep the old one
    for callback in callbacks:
        callback()
    assert objects(s3_server, bucket) == {new: PDF + b"%second\n"}


def test_a_generated_letter_is_kept_in_the_bucket_downloaded_and_attached_to_its_email(
    client, people, make_referral, bucket, s3_server, django_capture_on_commit_callbacks
):
    referral = make_referral(Status.NOT_PROCEEDING)
    letter = services_letters.letter_prepare(
        decision=decision_of(referral), by=people.service_manager
    )
    stored = objects(s3_server, bucket)
    assert set(stored) == {letter.pdf.name, letter.docx.name}
    assert stored[letter.pdf.name].startswith(b"%PDF-")

    client.force_login(people.service_manager)
    download = client.get(reverse("group:letter_pdf", args=[referral.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == stored[letter.pdf.name]

    with django_capture_on_commit_callbacks(execute=True):
        services_letters.letter_send(letter=letter, by=people.service_manager)
    attached = {name: content for name, content, _ in mail.outbox[-1].attachments}
    assert stored[letter.pdf.name] in attached.values()
    assert stored[letter.docx.name] in attached.values()


def test_while_storage_is_down_an_upload_is_refused_beside_its_field_and_nothing_is_lost(
    client, draft, bucket, s3_server
):
    before_outage = post_section(
        client, draft, "agencies", {"plan-childs_plan": SimpleUploadedFile("Form 1.pdf", PDF)}
    )
    assert before_outage.status_code == 302
    draft.refresh_from_db()
    kept_name = draft.childs_plan.name
    before = snapshot(draft)
    replacement = PDF + b"%revised\n"

    s3_server.stop()
    refused = post_section(
        client,
        draft,
        "agencies",
        {**TYPED, "plan-childs_plan": SimpleUploadedFile("Form 1.pdf", replacement)},
    )
    assert refused.status_code == 200
    assert "file storage is not available just now" in error_beside(refused, "plan-childs_plan")
    for name, value in TYPED.items():
        assert value_of(refused, name) == value
    assert snapshot(draft) == before  # neither the agency row nor the new file was saved

    s3_server.start()
    assert objects(s3_server, bucket) == {kept_name: PDF}  # the file from before is still there
    again = post_section(
        client,
        draft,
        "agencies",
        {**TYPED, "plan-childs_plan": SimpleUploadedFile("Form 1.pdf", replacement)},
    )
    assert again.status_code == 302
    draft.refresh_from_db()
    assert draft.agencies.filter(professional_name="Ms Priya Sandhu").exists()
    assert objects(s3_server, bucket)[draft.childs_plan.name] == replacement


def test_while_storage_is_down_a_review_source_upload_is_refused_beside_its_field(
    client, people, make_referral, bucket, s3_server
):
    make_referral(Status.REVIEW_COMMISSIONED)
    review = Review.objects.get()
    client.force_login(people.lead_reviewer)
    typed = {"heading": Source.LOCAL_DATA.value, "description": "Same-day moves, 2024"}

    s3_server.stop()
    refused = client.post(
        reverse("reviews:review_sources", args=[review.pk]),
        {**typed, "file": SimpleUploadedFile("moves.txt", b"Moves: 11 of 19.\n")},
    )
    assert refused.status_code == 200
    assert "file storage is not available just now" in error_beside(refused, "file")
    assert value_of(refused, "description") == typed["description"]
    assert not review.sources.exists()

    s3_server.start()
    again = client.post(
        reverse("reviews:review_sources", args=[review.pk]),
        {**typed, "file": SimpleUploadedFile("moves.txt", b"Moves: 11 of 19.\n")},
    )
    assert again.status_code == 302
    assert list(objects(s3_server, bucket).values()) == [b"Moves: 11 of 19.\n"]


def test_while_storage_is_down_a_download_is_a_503_page_and_works_once_it_is_back(
    client, draft, bucket, s3_server
):
    post_section(
        client, draft, "agencies", {"plan-childs_plan": SimpleUploadedFile("Form 1.pdf", PDF)}
    )
    url = reverse("referrals:childs_plan", args=[draft.pk])

    s3_server.stop()
    refused = client.get(url)
    assert refused.status_code == 503
    assert refused["Retry-After"] == "60"
    assert "Sorry, files are not available just now" in refused.content.decode()

    s3_server.start()
    download = client.get(url)
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_an_email_whose_attachment_cannot_be_read_waits_and_goes_once_storage_is_back(
    people, make_referral, bucket, s3_server, django_capture_on_commit_callbacks
):
    letter = services_letters.letter_prepare(
        decision=decision_of(make_referral(Status.NOT_PROCEEDING)), by=people.service_manager
    )
    sent_before = len(mail.outbox)

    s3_server.stop()
    with django_capture_on_commit_callbacks(execute=True):
        services_letters.letter_send(letter=letter, by=people.service_manager)
    email = OutgoingEmail.objects.latest("pk")
    assert (email.status, email.attempts) == (OutgoingEmail.Status.PENDING, 1)
    assert email.last_error == (
        "EndpointConnectionError: an attachment could not be read from file storage."
    )
    assert len(mail.outbox) == sent_before

    s3_server.start()
    OutgoingEmail.objects.filter(pk=email.pk).update(next_attempt_on=timezone.now())
    assert send_one(email.pk) is True
    attached = [content for _, content, _ in mail.outbox[-1].attachments]
    assert objects(s3_server, bucket)[letter.pdf.name] in attached
