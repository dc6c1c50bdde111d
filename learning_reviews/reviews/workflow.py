"""The lead reviewer's work (§5) as one table: each step, the state it starts from, where it
leads and who may take it. Services, "my tasks" and the tests read it."""

from dataclasses import dataclass
from enum import StrEnum

from learning_reviews.reviews.models import Review

Status = Review.Status


class Role(StrEnum):
    """A person's part in one review."""

    LEAD = "lead"  # a lead reviewer named by the group
    GROUP = "group"  # a member or the chair of the improvement group
    SERVICE_MANAGER = "service_manager"  # the Service Manager the referral was sent to
    PARTICIPANT = "participant"  # a case group member with an account
    CASE = "case"  # the referral's worker or line manager (summary only)
    OVERSIGHT = "oversight"  # the organisation's auditors (the commission's summary, read only)


@dataclass(frozen=True)
class Step:
    name: str
    source: Review.Status
    target: Review.Status
    roles: frozenset[Role]
    label: str
    protocol: str


STEPS: tuple[Step, ...] = (
    Step(
        "start",
        Status.COMMISSIONED,
        Status.PREPARING,
        frozenset({Role.LEAD}),
        "Start preparing the review",
        "§5",
    ),
    Step(
        "begin_conversations",
        Status.PREPARING,
        Status.CONVERSATIONS,
        frozenset({Role.LEAD}),
        "Begin the conversations (objectives clear, participants agreed)",
        "§5",
    ),
    Step(
        "share_outline",
        Status.CONVERSATIONS,
        Status.ACCURACY_CHECK,
        frozenset({Role.LEAD}),
        "Share the outline of the findings for an accuracy check",
        "§5",
    ),
    Step(
        "close_accuracy_check",
        Status.ACCURACY_CHECK,
        Status.DRAFTING,
        frozenset({Role.LEAD}),
        "Close the accuracy check and draft the report",
        "§5",
    ),
    Step(
        "mark_ready",
        Status.DRAFTING,
        Status.READY,
        frozenset({Role.LEAD}),
        "Mark the review ready to present to the improvement group",
        "§3.6, §5",
    ),
    Step(
        "record_presented",
        Status.READY,
        Status.PRESENTED,
        frozenset({Role.GROUP}),
        "Record that the findings were presented",
        "§3.6",
    ),
)

BY_NAME = {s.name: s for s in STEPS}

# The lead reviewer may change the workspace in these states.
OPEN = frozenset(
    {
        Status.COMMISSIONED,
        Status.PREPARING,
        Status.CONVERSATIONS,
        Status.ACCURACY_CHECK,
        Status.DRAFTING,
    }
)
