"""Records for the analysis tests (chronology, episodes, sources, findings), with the worked
case's fictional content."""

import datetime

from django.core.files.base import ContentFile

from learning_reviews.reviews.models import (
    Conversation,
    EvidenceSource,
    Finding,
    KeyPracticeEpisode,
    Participant,
    Review,
    ReviewChronologyEntry,
)
from learning_reviews.reviews.workspace import Factor, Pattern, Reach, Source

PDF = b"%PDF-1.4\n1 0 obj\n<<>>\nendobj\ntrailer\n<<>>\n%%EOF\n"
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + b"\x00" * 32


def _org(review: Review) -> dict[str, int]:
    return {"organisation_id": review.organisation_id}


def set_status(review: Review, status: Review.Status) -> Review:
    Review.objects.filter(pk=review.pk).update(status=status)
    review.refresh_from_db()
    return review


def conversation(review: Review, name: str = "Jenna Scott", user=None) -> Conversation:
    participant = Participant.objects.create(
        review=review,
        user=user,
        name=name,
        current_job="Fostering link worker",
        role_in_period="Link worker to carers A and B",
        **_org(review),
    )
    return Conversation.objects.create(
        review=review,
        participant=participant,
        date=datetime.date(2025, 4, 28),
        sections={"key_practice_episodes": "The 9 April move. We had two hours."},
        **_org(review),
    )


def entry(review: Review, date: datetime.date, event: str, **kwargs) -> ReviewChronologyEntry:
    return ReviewChronologyEntry.objects.create(
        review=review, date=date, event=event, **_org(review), **kwargs
    )


def episode(review: Review, title: str = "Emergency move to carers B", **kwargs):
    values = {
        "start": datetime.date(2024, 4, 9),
        "end": None,
        "what_happened": "Matching by vacancy; a school move.",
        "assessment": KeyPracticeEpisode.Assessment.PROBLEMATIC,
        "factors": {Factor.CONDITIONS: "No vacancies; the emergency rota."},
        **kwargs,
    }
    return KeyPracticeEpisode.objects.create(review=review, title=title, **values, **_org(review))


def finding(review: Review, title: str = "Placement decisions follow vacancy", **kwargs):
    values = {
        "text": "Placement decisions made on the day are driven by vacancy, not match.",
        "reach": Reach.WHOLE_SERVICE,
        "pattern": Pattern.HUMAN_MANAGEMENT,
        "factors": [Factor.CONDITIONS],
        **kwargs,
    }
    return Finding.objects.create(review=review, title=title, **values, **_org(review))


def source(review: Review, description: str = "Same-day moves, 2024", file: bytes | None = None):
    record = EvidenceSource(
        review=review, heading=Source.LOCAL_DATA, description=description, **_org(review)
    )
    if file is not None:
        record.file_name = "same-day-moves.pdf"
        record.file.save(f"{review.pk}-source.pdf", ContentFile(file), save=False)
    record.save()
    return record
