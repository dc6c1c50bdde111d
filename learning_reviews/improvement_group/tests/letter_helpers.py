"""Shared by the letter tests: reading PDFs and Word documents back, and decisions in each
state the written feedback depends on."""

import datetime
import io

from docx import Document
from pypdf import PdfReader

from learning_reviews.improvement_group import services
from learning_reviews.improvement_group.models import Decision
from learning_reviews.referrals.models import Status

PERSONAS = [
    "worker",
    "line_manager",
    "service_manager",
    "cfcig_chair",
    "cfcig_member",
    "lead_reviewer",
    "admin",
    "auditor",
    "other_worker",
    "other_line_manager",
    "outsider",
    "outsider_line_manager",
]
NOT_SERVICE_MANAGER = [p for p in PERSONAS if p != "service_manager"]


def words(text: str) -> str:
    """Text with its line wrapping undone, to compare with what was written."""
    return " ".join(text.split())


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return words(" ".join(page.extract_text() for page in reader.pages))


def docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    section = document.sections[0]
    parts = [p.text for p in section.header.paragraphs]
    parts += [p.text for p in document.paragraphs]
    parts += [p.text for p in section.footer.paragraphs]
    return words(" ".join(parts))


def decision_of(referral) -> Decision:
    return Decision.objects.get(referral=referral)


def recorded_not_confirmed(people, make_referral) -> Decision:
    """A YES the group has recorded but its chair has not yet confirmed."""
    referral = make_referral(Status.AGREED)
    return services.decision_record(
        referral=referral,
        by=people.cfcig_member,
        data=services.DecisionInput(
            date_discussed=datetime.date(2025, 4, 9),
            proceed=True,
            rationale="A pattern of emergency moves seen in other cases.",
            meets_criteria=True,
            will_benefit=True,
            objectives=["Understand why each placement ended."],
            lead_reviewers=[people.lead_reviewer],
            timescale=datetime.date(2025, 6, 30),
        ),
        version=0,
    )
