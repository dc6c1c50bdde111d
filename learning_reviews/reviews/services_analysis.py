"""The lead reviewer's analysis (issue 5 §3, §5, §6): the review's chronology, key practice
episodes, what the review draws on (the "anatomy") and the findings. One function per change:
atomic, for a lead reviewer of an open review only, audited in the same transaction."""

import datetime
from dataclasses import dataclass
from typing import Any, TypeVar

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from learning_reviews.accounts.models import User
from learning_reviews.audit.services import record_change
from learning_reviews.core.errors import Conflict, ServiceError
from learning_reviews.core.files import (
    DOCUMENTS_OR_TEXT,
    discard_on_commit,
    download_name,
    kind_of,
    store,
)
from learning_reviews.core.versions import UNCHECKED, Unchecked, check_version
from learning_reviews.referrals.models import ChronologyEntry
from learning_reviews.reviews.models import (
    Conversation,
    EvidenceSource,
    Finding,
    KeyPracticeEpisode,
    Review,
    ReviewChronologyEntry,
)
from learning_reviews.reviews.services import lock_for_lead, touch
from learning_reviews.reviews.workspace import Factor, Pattern, Reach, Source

GONE = "That entry has already been removed. The page now shows the review as it is."


def _record(locked: Review, by: User, action: str, summary: str, changes: dict[str, Any]) -> None:
    touch(locked, by)
    record_change(
        actor=by, record=locked, action=f"review.{action}", summary=summary, changes=changes
    )


def _day(date: datetime.date) -> str:
    return f"{date.day} {date:%B %Y}"


def _scoped(locked: Review, by: User) -> dict[str, Any]:
    return {"organisation_id": locked.organisation_id, "created_by": by, "modified_by": by}


# The chronology -----------------------------------------------------------------------------


@transaction.atomic
def chronology_copy_from_referral(*, review: Review, by: User) -> int:
    """Start the review's chronology from the referral's. Entries already copied are not copied
    again, so this can be repeated safely (and restores any copied entry removed since).
    Returns how many entries were added."""
    locked = lock_for_lead(review, by)
    have = {
        (e.date, e.event, e.source)
        for e in ReviewChronologyEntry.objects.filter(review=locked, from_referral=True)
    }
    new = [
        ReviewChronologyEntry(
            review=locked,
            date=e.date,
            event=e.event,
            source=e.source,
            from_referral=True,
            **_scoped(locked, by),
        )
        for e in ChronologyEntry.objects.filter(referral_id=locked.referral_id).order_by(
            "date", "id"
        )
        if (e.date, e.event, e.source) not in have
    ]
    if new:
        ReviewChronologyEntry.objects.bulk_create(new)
        _record(
            locked,
            by,
            "chronology_copy",
            f"Copied {len(new)} entr{'y' if len(new) == 1 else 'ies'} from the referral's "
            "chronology",
            {"chronology": [None, [f"{e.date.isoformat()} {e.event}" for e in new]]},
        )
    return len(new)


@transaction.atomic
def chronology_add(
    *, review: Review, by: User, date: datetime.date, event: str, source: str = ""
) -> ReviewChronologyEntry:
    """Add an event to the review's chronology."""
    locked = lock_for_lead(review, by)
    entry = ReviewChronologyEntry.objects.create(
        review=locked, date=date, event=event, source=source, **_scoped(locked, by)
    )
    _record(
        locked,
        by,
        "chronology_add",
        f"Added an event of {_day(date)} to the chronology",
        {"chronology": [None, f"{date.isoformat()} {event}"]},
    )
    return entry


@transaction.atomic
def chronology_remove(*, review: Review, by: User, entry_id: int) -> None:
    """Remove an event from the review's chronology (the referral's own is untouched)."""
    locked = lock_for_lead(review, by)
    entry = ReviewChronologyEntry.objects.filter(review=locked, pk=entry_id).first()
    if entry is None:
        raise Conflict(GONE)
    entry.delete()
    _record(
        locked,
        by,
        "chronology_remove",
        f"Removed the event of {_day(entry.date)} from the chronology",
        {"chronology": [f"{entry.date.isoformat()} {entry.event}", None]},
    )


# Key practice episodes ----------------------------------------------------------------------


@dataclass(frozen=True)
class EpisodeInput:
    title: str
    start: datetime.date
    end: datetime.date | None
    what_happened: str
    assessment: str
    local_rationality: str = ""
    factors: dict[str, str] | None = None  # {Factor value: note}; blank notes are dropped
    sub_factors: str = ""
    conversation_ids: tuple[int, ...] = ()


def _check_episode(locked: Review, data: EpisodeInput) -> tuple[dict[str, str], list[int]]:
    if data.end is not None and data.end < data.start:
        raise ServiceError("The episode cannot end before it starts.")
    if data.assessment not in KeyPracticeEpisode.Assessment.values:
        raise ServiceError("Say whether this was good practice or problematic.")
    factors = {k: v.strip() for k, v in (data.factors or {}).items() if v and v.strip()}
    unknown = set(factors) - set(Factor.values)
    if unknown:
        raise ServiceError(f"Unknown contributory factors: {', '.join(sorted(unknown))}.")
    ids = sorted(set(data.conversation_ids))
    found = set(Conversation.objects.filter(review=locked, pk__in=ids).values_list("pk", flat=True))
    if found != set(ids):
        raise Conflict("A conversation you chose is no longer part of this review.")
    return factors, ids


def _episode_fields(data: EpisodeInput, factors: dict[str, str]) -> dict[str, Any]:
    return {
        "title": data.title,
        "start": data.start,
        "end": data.end,
        "what_happened": data.what_happened,
        "assessment": data.assessment,
        "local_rationality": data.local_rationality,
        "factors": factors,
        "sub_factors": data.sub_factors,
    }


def _snapshot(record: KeyPracticeEpisode | Finding, names: tuple[str, ...]) -> dict[str, Any]:
    return {name: getattr(record, name) for name in names}


Row = TypeVar("Row", KeyPracticeEpisode, Finding)

EPISODE_FIELDS = (
    "title",
    "start",
    "end",
    "what_happened",
    "assessment",
    "local_rationality",
    "factors",
    "sub_factors",
)


@transaction.atomic
def episode_add(*, review: Review, by: User, data: EpisodeInput) -> KeyPracticeEpisode:
    """Record a key practice episode: what happened, how it looked at the time, and the
    contributory factors in Appendix 4's nine categories."""
    locked = lock_for_lead(review, by)
    factors, ids = _check_episode(locked, data)
    episode = KeyPracticeEpisode.objects.create(
        review=locked, **_episode_fields(data, factors), **_scoped(locked, by)
    )
    episode.conversations.set(ids)
    _record(
        locked,
        by,
        "episode_add",
        f"Added the key practice episode “{data.title}”",
        {"episode": [None, data.title], "conversations": [None, ids]},
    )
    return episode


def _lock_row(model: type[Row], locked: Review, pk: int, version: int | None | Unchecked) -> Row:
    """The row under a lock; for a change, at the version the page was opened with (a removal
    is `UNCHECKED`: what is gone is gone whatever it said)."""
    row = model.objects.select_for_update().filter(review=locked, pk=pk).first()
    if row is None:
        raise Conflict("It has been removed since you opened it.")
    check_version(row.version, version)
    row.version += 1
    return row


@transaction.atomic
def episode_update(
    *, review: Review, by: User, episode_id: int, data: EpisodeInput, version: int | None
) -> KeyPracticeEpisode:
    """Change a key practice episode. `version` is the episode's as the user saw it: if it has
    changed since (or no version came), nothing is overwritten."""
    locked = lock_for_lead(review, by)
    episode: KeyPracticeEpisode = _lock_row(KeyPracticeEpisode, locked, episode_id, version)
    factors, ids = _check_episode(locked, data)
    before = _snapshot(episode, EPISODE_FIELDS)
    before_ids = sorted(episode.conversations.values_list("pk", flat=True))
    for name, value in _episode_fields(data, factors).items():
        setattr(episode, name, value)
    episode.modified_by = by
    episode.save()
    episode.conversations.set(ids)
    changes = {
        name: [before[name], getattr(episode, name)]
        for name in EPISODE_FIELDS
        if before[name] != getattr(episode, name)
    }
    if before_ids != ids:
        changes["conversations"] = [before_ids, ids]
    _record(
        locked, by, "episode_update", f"Changed the key practice episode “{episode.title}”", changes
    )
    return episode


@transaction.atomic
def episode_remove(*, review: Review, by: User, episode_id: int) -> None:
    """Remove a key practice episode; findings that cited it no longer do."""
    locked = lock_for_lead(review, by)
    episode: KeyPracticeEpisode = _lock_row(KeyPracticeEpisode, locked, episode_id, UNCHECKED)
    title = episode.title
    episode.delete()
    _record(
        locked,
        by,
        "episode_remove",
        f"Removed the key practice episode “{title}”",
        {"episode": [title, None]},
    )


# What the review draws on (the "anatomy") ---------------------------------------------------


@transaction.atomic
def source_add(
    *,
    review: Review,
    by: User,
    heading: str,
    description: str,
    link: str = "",
    upload: UploadedFile | None = None,
) -> EvidenceSource:
    """Add a source under one of the four headings. An upload's size is checked by the form;
    its type is checked here by its content, and it is stored under a random name."""
    locked = lock_for_lead(review, by)
    if heading not in Source.values:
        raise ServiceError("Choose which heading the source belongs under.")
    if link and not link.lower().startswith(("https://", "http://")):
        raise ServiceError("A link must start with https:// or http://")
    source = EvidenceSource(
        review=locked, heading=heading, description=description, link=link, **_scoped(locked, by)
    )
    if upload is not None:
        kind = kind_of(upload, DOCUMENTS_OR_TEXT)
        if kind is None:
            raise ServiceError("The selected file must be a PDF, a Word document or plain text.")
        store(source.file, upload, kind=kind)
        source.file_name = download_name(upload.name or "", source.file, "source")
    source.save()
    _record(
        locked,
        by,
        "source_add",
        f"Added a source under “{Source(heading).label}”",
        {"source": [None, description[:200]], "file": [None, source.file_name or None]},
    )
    return source


@transaction.atomic
def source_remove(*, review: Review, by: User, source_id: int) -> None:
    locked = lock_for_lead(review, by)
    source = EvidenceSource.objects.filter(review=locked, pk=source_id).first()
    if source is None:
        raise Conflict(GONE)
    description = source.description
    # The file goes only once the removal is committed, so a rollback cannot orphan the row.
    discard_on_commit(source.file)
    source.delete()
    _record(
        locked,
        by,
        "source_remove",
        f"Removed a source from “{Source(source.heading).label}”",
        {"source": [description[:200], None]},
    )


# Findings -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class FindingInput:
    title: str
    text: str
    reach: str
    evidence: str = ""
    issues_for_the_group: str = ""
    pattern: str = ""
    factors: tuple[str, ...] = ()
    episode_ids: tuple[int, ...] = ()


FINDING_FIELDS = (
    "title",
    "text",
    "evidence",
    "issues_for_the_group",
    "reach",
    "pattern",
    "factors",
)


def _check_finding(locked: Review, data: FindingInput) -> list[int]:
    if data.reach not in Reach.values:
        raise ServiceError("Say how far the finding reaches.")
    if data.pattern and data.pattern not in Pattern.values:
        raise ServiceError("Choose a SCIE pattern from the list, or none.")
    if set(data.factors) - set(Factor.values):
        raise ServiceError("Choose contributory factors from the list.")
    ids = sorted(set(data.episode_ids))
    found = set(
        KeyPracticeEpisode.objects.filter(review=locked, pk__in=ids).values_list("pk", flat=True)
    )
    if found != set(ids):
        raise Conflict("An episode you chose has been removed from this review.")
    return ids


def _finding_fields(data: FindingInput) -> dict[str, Any]:
    return {
        "title": data.title,
        "text": data.text,
        "evidence": data.evidence,
        "issues_for_the_group": data.issues_for_the_group,
        "reach": data.reach,
        "pattern": data.pattern,
        # In Appendix 4's order, whatever order they were ticked in.
        "factors": [f for f in Factor.values if f in data.factors],
    }


@transaction.atomic
def finding_add(*, review: Review, by: User, data: FindingInput) -> Finding:
    """Record a finding with its evidence, episodes, factors, reach and optional SCIE pattern."""
    locked = lock_for_lead(review, by)
    ids = _check_finding(locked, data)
    finding = Finding.objects.create(review=locked, **_finding_fields(data), **_scoped(locked, by))
    finding.episodes.set(ids)
    _record(
        locked,
        by,
        "finding_add",
        f"Added the finding “{data.title}”",
        {"finding": [None, data.title], "episodes": [None, ids]},
    )
    return finding


@transaction.atomic
def finding_update(
    *, review: Review, by: User, finding_id: int, data: FindingInput, version: int | None
) -> Finding:
    """Change a finding; `version` guards against overwriting someone else's change."""
    locked = lock_for_lead(review, by)
    finding: Finding = _lock_row(Finding, locked, finding_id, version)
    ids = _check_finding(locked, data)
    before = _snapshot(finding, FINDING_FIELDS)
    before_ids = sorted(finding.episodes.values_list("pk", flat=True))
    for name, value in _finding_fields(data).items():
        setattr(finding, name, value)
    finding.modified_by = by
    finding.save()
    finding.episodes.set(ids)
    changes = {
        name: [before[name], getattr(finding, name)]
        for name in FINDING_FIELDS
        if before[name] != getattr(finding, name)
    }
    if before_ids != ids:
        changes["episodes"] = [before_ids, ids]
    _record(locked, by, "finding_update", f"Changed the finding “{finding.title}”", changes)
    return finding


@transaction.atomic
def finding_remove(*, review: Review, by: User, finding_id: int) -> None:
    locked = lock_for_lead(review, by)
    finding: Finding = _lock_row(Finding, locked, finding_id, UNCHECKED)
    title = finding.title
    finding.delete()
    _record(
        locked, by, "finding_remove", f"Removed the finding “{title}”", {"finding": [title, None]}
    )
