"""The referral pathway (protocol §3 steps 0–3, Appendix 2) as one table.

Each row is a step: the state it starts from, the state it leads to, and who on the referral
may take it. The services, the pathway picture, "my tasks" and the tests all read this table.
"""

from dataclasses import dataclass
from enum import StrEnum

from learning_reviews.referrals.models import Status


class Party(StrEnum):
    """A person's relationship to one referral."""

    WORKER = "worker"
    LINE_MANAGER = "line_manager"
    SERVICE_MANAGER = "service_manager"
    # Held by role in the referral's organisation, not named on the referral.
    GROUP_MEMBER = "group_member"
    GROUP_CHAIR = "group_chair"


GROUP_PARTIES = frozenset({Party.GROUP_MEMBER, Party.GROUP_CHAIR})


@dataclass(frozen=True)
class Transition:
    name: str
    source: Status
    target: Status
    party: frozenset[Party]
    label: str
    protocol: str


TRANSITIONS: tuple[Transition, ...] = (
    Transition(
        "record_supervision",
        Status.DRAFT,
        Status.DISCUSSED,
        frozenset({Party.WORKER, Party.LINE_MANAGER}),
        "Record the supervision discussion",
        "§3.1",
    ),
    Transition(
        "sign_as_worker",
        Status.DISCUSSED,
        Status.SIGNED_BY_WORKER,
        frozenset({Party.WORKER}),
        "Sign the referral form as the worker",
        "§3.2",
    ),
    Transition(
        "return_to_worker",
        Status.SIGNED_BY_WORKER,
        Status.DISCUSSED,
        frozenset({Party.LINE_MANAGER}),
        "Return the form to the worker for changes",
        "§3.2",
    ),
    Transition(
        "recommend",
        Status.SIGNED_BY_WORKER,
        Status.WITH_SERVICE_MANAGER,
        frozenset({Party.LINE_MANAGER}),
        "Sign and recommend a review to a Service Manager",
        "§3.2",
    ),
    Transition(
        "agree",
        Status.WITH_SERVICE_MANAGER,
        Status.AGREED,
        frozenset({Party.SERVICE_MANAGER}),
        "Agree the case meets the criteria",
        "§3.3",
    ),
    Transition(
        "decline",
        Status.WITH_SERVICE_MANAGER,
        Status.NOT_AGREED,
        frozenset({Party.SERVICE_MANAGER}),
        "Do not agree the case meets the criteria",
        "§3.3",
    ),
    # §3.4: the chair confirms the decision a group member recorded (improvement_group).
    Transition(
        "group_proceed",
        Status.AGREED,
        Status.REVIEW_COMMISSIONED,
        frozenset({Party.GROUP_CHAIR}),
        "Confirm the group's decision to proceed to a Learning Review",
        "§3.4a",
    ),
    Transition(
        "group_not_proceed",
        Status.AGREED,
        Status.NOT_PROCEEDING,
        frozenset({Party.GROUP_CHAIR}),
        "Confirm the group's decision not to proceed",
        "§3.4b",
    ),
    Transition(
        "further_action_complete",
        Status.NOT_PROCEEDING,
        Status.FURTHER_ACTION_COMPLETE,
        frozenset({Party.GROUP_CHAIR}),
        "Mark the further action complete",
        "§3.4b",
    ),
)

BY_NAME = {t.name: t for t in TRANSITIONS}

# States in which the worker and line manager may still change the form.
EDITABLE = frozenset({Status.DRAFT, Status.DISCUSSED})

# Who the referral waits on in each state, and what they need to do ("my tasks").
WAITING_ON: dict[Status, tuple[Party, str]] = {
    Status.DRAFT: (Party.WORKER, "Complete the referral form and discuss it in supervision"),
    Status.DISCUSSED: (Party.WORKER, "Complete and sign the referral form"),
    Status.SIGNED_BY_WORKER: (
        Party.LINE_MANAGER,
        "Sign the form and recommend a review to a Service Manager",
    ),
    Status.WITH_SERVICE_MANAGER: (
        Party.SERVICE_MANAGER,
        "Decide whether the case meets the criteria for a Learning Review",
    ),
    Status.AGREED: (
        Party.GROUP_MEMBER,
        "Discuss the request at the improvement group and record its decision",
    ),
    Status.NOT_PROCEEDING: (
        Party.LINE_MANAGER,
        "Report progress on the further action the improvement group asked for",
    ),
}


@dataclass(frozen=True)
class Stage:
    """A box in the pathway picture (Appendix 2)."""

    key: str
    title: str
    protocol: str
    statuses: frozenset[Status]
    built: bool = True


STAGES: tuple[Stage, ...] = (
    Stage(
        "identified",
        "Need identified at a TAC meeting or review meeting",
        "§3",
        frozenset({Status.DRAFT}),
    ),
    Stage(
        "supervision",
        "Raised and discussed in supervision (worker and line manager)",
        "§3.1",
        frozenset({Status.DISCUSSED}),
    ),
    Stage(
        "recommendation",
        "Line manager recommends a review to the Service Manager; worker "
        "and line manager complete the Referral Form",
        "§3.2",
        frozenset({Status.SIGNED_BY_WORKER}),
    ),
    Stage(
        "service_manager",
        "Service Manager decides whether the case meets the criteria",
        "§3.3",
        frozenset({Status.WITH_SERVICE_MANAGER}),
    ),
    Stage(
        "not_agreed",
        "Not agreed: reasons recorded in the worker's supervision notes",
        "§3.3",
        frozenset({Status.NOT_AGREED}),
    ),
    Stage(
        "improvement_group",
        "Request discussed at the improvement group",
        "§3.4",
        frozenset({Status.AGREED}),
    ),
    Stage(
        "not_proceeding",
        "Not proceeding: written feedback with the rationale; the team manager reports "
        "progress on further action to the group",
        "§3.4b",
        frozenset({Status.NOT_PROCEEDING, Status.FURTHER_ACTION_COMPLETE}),
    ),
    Stage(
        "review",
        "Lead reviewer identified, parameters and timescale set; written feedback with the "
        "protocol; the lead reviewer conducts the review",
        "§3.4a, §3.5",
        frozenset({Status.REVIEW_COMMISSIONED}),
    ),
    Stage(
        "findings",
        "Findings presented to the improvement group to agree recommendations and further actions",
        "§3.6",
        frozenset(),
        built=False,
    ),
)


def stage_of(status: str) -> Stage:
    for stage in STAGES:
        if status in stage.statuses:
            return stage
    raise LookupError(status)
