"""What joins the learning library, and when: a briefing when a second person approves it; a
closed review's findings and accepted recommendations, redacted with the case's known
identifiers. Nothing unreleased is ever written to the library."""

import datetime
from collections.abc import Iterable

from learning_reviews.outcomes.identifiers import known_identifiers
from learning_reviews.outcomes.models import Briefing, LibraryEntry, Recommendation
from learning_reviews.outcomes.redaction import redact
from learning_reviews.reviews.models import Review


def _tags(*, grounds: list[str], factors: Iterable[str] = (), patterns: Iterable[str] = ()) -> str:
    """The entry's `tags`: " ground:x factor:y pattern:z ", spaces at both ends."""
    tokens = [f"ground:{g}" for g in grounds] + [f"factor:{f}" for f in factors]
    tokens += [f"pattern:{p}" for p in patterns if p]
    return " " + " ".join(tokens) + " "


def closed_review(review: Review, *, at: datetime.datetime) -> list[LibraryEntry]:
    """The findings and accepted recommendations of a review the chair has just closed."""
    referral = review.referral
    known = known_identifiers(review)
    common = {
        "organisation_id": review.organisation_id,
        "review": review,
        "team_id": referral.team_id,
        "year": at.year,
        "released_on": at,
    }
    entries = []
    for finding in review.findings.all():
        body = "\n\n".join(
            part for part in (finding.text, finding.issues_for_the_group) if part.strip()
        )
        entries.append(
            LibraryEntry(
                kind=LibraryEntry.Kind.FINDING,
                title=redact(finding.title, known).text,
                text=redact(body, known).text,
                tags=_tags(
                    grounds=referral.grounds, factors=finding.factors, patterns=[finding.pattern]
                ),
                **common,
            )
        )
    recommendations = Recommendation.objects.filter(review=review).select_related("finding")
    for recommendation in recommendations:
        if not recommendation.accepted:
            continue
        text = recommendation.text
        if recommendation.changes:
            text += "\n\nAccepted with changes: " + recommendation.changes
        entries.append(
            LibraryEntry(
                kind=LibraryEntry.Kind.RECOMMENDATION,
                title=redact(f"Recommendation on: {recommendation.finding.title}", known).text,
                text=redact(text, known).text,
                tags=_tags(
                    grounds=referral.grounds,
                    factors=recommendation.finding.factors,
                    patterns=[recommendation.finding.pattern],
                ),
                **common,
            )
        )
    # One by one rather than bulk_create: SQLite's full-text triggers fire per row either way,
    # and a closed review has a handful of findings.
    for entry in entries:
        entry.save()
    return entries


def released_briefing(briefing: Briefing, *, at: datetime.datetime) -> LibraryEntry:
    """A briefing a second person has just approved; the version it supersedes leaves."""
    review = briefing.review
    LibraryEntry.objects.filter(review=review, kind=LibraryEntry.Kind.BRIEFING).delete()
    factors = sorted({f for finding in review.findings.all() for f in finding.factors})
    patterns = sorted({finding.pattern for finding in review.findings.all() if finding.pattern})
    tags = _tags(grounds=review.referral.grounds, factors=factors, patterns=patterns)
    text = briefing.redacted
    return LibraryEntry.objects.create(
        organisation_id=review.organisation_id,
        review=review,
        briefing=briefing,
        kind=LibraryEntry.Kind.BRIEFING,
        title=text.get("title", "") or "Learning briefing",
        text="\n\n".join(v for k, v in text.items() if k != "title" and v.strip()),
        team_id=review.referral.team_id,
        year=at.year,
        released_on=at,
        tags=tags,
    )
