"""Appendix 3, the Learning Review Referral Form, as a PDF: the referral's own document,
rendered by `documents.pdf` from what this module gives it."""

from django.db.models import Prefetch, prefetch_related_objects

from learning_reviews.documents.pdf import render_pdf
from learning_reviews.referrals.models import ChronologyEntry, Referral


def prefetch_referral_form(referral: Referral) -> None:
    """Load every repeatable part of the form in one query each."""
    prefetch_related_objects(
        [referral],
        "household",
        "agencies",
        Prefetch("chronology", queryset=ChronologyEntry.objects.order_by("date", "id")),
        "reasons",
    )


def referral_form_pdf(referral: Referral) -> bytes:
    """Appendix 3, the Learning Review Referral Form, as the protocol lays it out."""
    return render_pdf(
        template="referrals/form_pdf.html",
        context={
            "referral": referral,
            "organisation": referral.organisation,
            "group": referral.organisation.improvement_group_short_name,
        },
    )
