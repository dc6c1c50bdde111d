"""What the deletion job removes of one case (a referral and everything that grew from it), and
what it keeps as an anonymous husk so that the dashboards' counts survive
(docs/data-protection.md, "How each kind of record is removed").

`HUSKS` names, per model, the fields that may hold a child's or family's details or the
words of the case, and what they become; rows of the models in `DELETED` are deleted (they
only ever hold the case's words, and no figure counts them). Files go from storage once the
transaction commits (`core.files.discard_on_commit`)."""

from collections.abc import Iterable
from typing import Any

from django.db import models

from learning_reviews.core.files import discard_on_commit
from learning_reviews.improvement_group.models import (
    AgendaItem,
    Decision,
    FurtherAction,
    Letter,
    Objective,
    ProgressReport,
)
from learning_reviews.outcomes.models import (
    Action,
    ActionUpdate,
    Briefing,
    DisseminationItem,
    Recommendation,
    ReviewOutcome,
)
from learning_reviews.referrals.models import (
    AgencyInvolvement,
    ChronologyEntry,
    HouseholdMember,
    Referral,
    ReviewReason,
    SupervisionNote,
)
from learning_reviews.reviews.models import (
    CaseFileReview,
    Conversation,
    EvidenceSource,
    Finding,
    KeyPracticeEpisode,
    Outline,
    OutlineResponse,
    Participant,
    ReportVersion,
    Review,
    ReviewChronologyEntry,
    Session,
)

HUSKS: dict[type[models.Model], dict[str, Any]] = {
    Referral: {
        "person_completing": "",
        "child_name": "",
        "swis_number": "",
        "parents_carers": "",
        "circumstances": "",
        "key_facts": "",
        "identified_at_other": "",
        "childs_plan": "",
        "childs_plan_name": "",
        "supervision_note": "",
        "service_manager_reasons": "",
    },
    Decision: {"rationale": "", "scope": "", "who_involved": ""},
    FurtherAction: {"text": ""},
    AgendaItem: {"minutes": ""},
    Letter: {"subject": "", "body": "", "recipients": [], "pdf": "", "docx": ""},
    Review: {
        "rationale": "",
        "objectives": [],
        "scope": "",
        "who_involved": "",
        "objectives_note": "",
        "format_plan": "",
        "family_perspective": "",
    },
    Participant: {"name": "", "current_job": "", "role_in_period": "", "user": None},
    Finding: {"title": "", "text": "", "evidence": "", "issues_for_the_group": ""},
    KeyPracticeEpisode: {
        "title": "",
        "what_happened": "",
        "local_rationality": "",
        "sub_factors": "",
    },
    Outline: {"content": []},
    OutlineResponse: {"comment": ""},
    ReviewOutcome: {"monitoring_notes": "", "referrers_message": ""},
    Recommendation: {"text": "", "changes": "", "rationale": ""},
    Action: {
        "text": "",
        "intended_outcome": "",
        "measure": "",
        "outcome_evidence": "",
        "next_steps": "",
    },
    DisseminationItem: {"notes": ""},
    Briefing: {"sections": {}, "keep": [], "extra": [], "returned_note": ""},
}
DELETED: tuple[type[models.Model], ...] = (
    HouseholdMember,
    AgencyInvolvement,
    ChronologyEntry,
    ReviewReason,
    SupervisionNote,
    Objective,
    ProgressReport,
    CaseFileReview,
    Session,
    Conversation,
    ReviewChronologyEntry,
    EvidenceSource,
    ReportVersion,
    ActionUpdate,
)
# Each model's way to the case's referral.
TO_REFERRAL: dict[type[models.Model], str] = {
    Referral: "pk",
    HouseholdMember: "referral",
    AgencyInvolvement: "referral",
    ChronologyEntry: "referral",
    ReviewReason: "referral",
    SupervisionNote: "referral",
    Decision: "referral",
    AgendaItem: "referral",
    Objective: "decision__referral",
    FurtherAction: "decision__referral",
    ProgressReport: "action__decision__referral",
    Letter: "decision__referral",
    Review: "referral",
    Participant: "review__referral",
    CaseFileReview: "review__referral",
    Session: "review__referral",
    Conversation: "review__referral",
    ReviewChronologyEntry: "review__referral",
    KeyPracticeEpisode: "review__referral",
    EvidenceSource: "review__referral",
    Finding: "review__referral",
    Outline: "review__referral",
    OutlineResponse: "outline__review__referral",
    ReportVersion: "review__referral",
    ReviewOutcome: "review__referral",
    Recommendation: "review__referral",
    Action: "review__referral",
    ActionUpdate: "action__review__referral",
    DisseminationItem: "review__referral",
    Briefing: "review__referral",
}


def _files(record: models.Model) -> Iterable[models.fields.files.FieldFile]:
    for field in record._meta.concrete_fields:
        if isinstance(field, models.FileField):
            yield getattr(record, field.attname)


def remove_case(referral: Referral) -> dict[str, list[str]]:
    """Remove the case's personal details: delete the rows that only hold its words (and their
    files), blank the rest to husks. Returns the ids touched, by model label, for the audit
    events to redact. Runs inside the caller's transaction, with the referral locked."""
    touched: dict[str, list[str]] = {}
    for model, path in TO_REFERRAL.items():
        rows = list(model._default_manager.filter(**{path: referral.pk}))
        if not rows:
            continue
        touched[model._meta.label_lower] = [str(row.pk) for row in rows]
        for row in rows:
            for stored in _files(row):
                discard_on_commit(stored)
        if model in DELETED:
            model._default_manager.filter(pk__in=[row.pk for row in rows]).delete()
            continue
        blanks = dict(HUSKS[model])
        if model is KeyPracticeEpisode:
            for row in rows:  # the factors stay (the themes dashboard counts them), not the notes
                model._default_manager.filter(pk=row.pk).update(
                    **blanks, factors=dict.fromkeys(getattr(row, "factors", {}) or {}, "")
                )
        else:
            model._default_manager.filter(pk__in=[row.pk for row in rows]).update(**blanks)
    return touched
