"""Referrals at each step of the pathway, made through the services as a user would.

Used by the tests and by the demo data (`load_demo`), so both exercise the real code paths.
The content is fictional, after `shared/examples/worked-case.md`.
"""

import datetime
from dataclasses import dataclass, field

from learning_reviews.accounts.models import Team, User
from learning_reviews.referrals import services
from learning_reviews.referrals.models import Ground, IdentifiedAt, Referral, Status


@dataclass
class CaseContent:
    child_name: str = "Zara Quinn"
    swis_number: str = "5120448"
    parents_carers: str = "Lauren Quinn (mother); Michael Quinn (father, not in contact)"
    grounds: list[str] = field(default_factory=lambda: [Ground.PLACEMENT_BREAKDOWN.value])
    circumstances: str = (
        "Zara became looked after away from home in January 2024 after her mother's admission "
        "to hospital. Three foster placements have ended unplanned since."
    )
    key_facts: str = "Three unplanned placement endings in 14 months, each an emergency move."
    identified_at: str = IdentifiedAt.REVIEW_MEETING.value
    identified_on: datetime.date = datetime.date(2025, 3, 11)
    household: list[tuple[str, str]] = field(
        default_factory=lambda: [
            ("Mr and Mrs Dalgleish", "Foster carers"),
            ("Ewan Dalgleish (16)", "Foster carers' son"),
        ]
    )
    agencies: list[tuple[str, str, str]] = field(
        default_factory=lambda: [
            ("Education", "Ms Priya Sandhu", "Class teacher"),
            ("Health", "Gail Strachan", "School nurse"),
            ("CAMHS", "Dr Leon Fraser", "Clinical psychologist"),
        ]
    )
    chronology: list[tuple[datetime.date, str, str]] = field(
        default_factory=lambda: [
            (
                datetime.date(2024, 1, 15),
                "Accommodated (s.25) with foster carers A",
                "SWIS case note",
            ),
            (
                datetime.date(2024, 4, 9),
                "Emergency move to carers B; change of school",
                "SWIS case note",
            ),
            (
                datetime.date(2024, 10, 3),
                "Carers B end placement after an incident at school",
                "LAC review minute",
            ),
            (
                datetime.date(2025, 3, 11),
                "LAC review asks for a learning review",
                "LAC review minute",
            ),
        ]
    )
    reasons: list[str] = field(
        default_factory=lambda: [
            "Three unplanned endings in 14 months",
            "Each move was an emergency",
            "No therapeutic support until month 13",
        ]
    )
    supervision_date: datetime.date = datetime.date(2025, 3, 18)
    supervision_note: str = (
        "Discussed the three placement moves; agreed to recommend a Learning Review."
    )


def fill_form(referral: Referral, by: User, content: CaseContent) -> Referral:
    """Complete every section of the worker's part of the form."""
    referral = services.referral_update(
        referral=referral,
        by=by,
        version=referral.version,
        section="The child",
        data={
            "child_name": content.child_name,
            "swis_number": content.swis_number,
            "parents_carers": content.parents_carers,
            "grounds": content.grounds,
            "circumstances": content.circumstances,
            "key_facts": content.key_facts,
            "identified_at": content.identified_at,
            "identified_on": content.identified_on,
        },
    )
    for name, relationship in content.household:
        services.referral_add_item(
            referral=referral,
            by=by,
            version=referral.version,
            kind="household",
            data={"name": name, "relationship": relationship},
        )
        referral.refresh_from_db()
    for agency, professional, discipline in content.agencies:
        services.referral_add_item(
            referral=referral,
            by=by,
            version=referral.version,
            kind="agencies",
            data={"agency": agency, "professional_name": professional, "discipline": discipline},
        )
        referral.refresh_from_db()
    for date, event, source in content.chronology:
        services.referral_add_item(
            referral=referral,
            by=by,
            version=referral.version,
            kind="chronology",
            data={"date": date, "event": event, "source": source},
        )
        referral.refresh_from_db()
    for text in content.reasons:
        services.referral_add_item(
            referral=referral, by=by, version=referral.version, kind="reasons", data={"text": text}
        )
        referral.refresh_from_db()
    return referral


# The order in which the pathway reaches each state (NOT_AGREED branches off after
# WITH_SERVICE_MANAGER).
GROUP_DECIDED = frozenset(
    {Status.REVIEW_COMMISSIONED, Status.NOT_PROCEEDING, Status.FURTHER_ACTION_COMPLETE}
)

_ORDER = [Status.DRAFT, Status.DISCUSSED, Status.SIGNED_BY_WORKER, Status.WITH_SERVICE_MANAGER]


def referral_at(
    status: Status,
    *,
    worker: User,
    line_manager: User,
    service_manager: User,
    team: Team,
    content: CaseContent | None = None,
    complete: bool = True,
) -> Referral:
    """A referral moved through the real services to `status`, as far as AGREED or NOT_AGREED.
    The improvement group's states are reached by `improvement_group.testing.referral_at`."""
    if status in GROUP_DECIDED:
        raise ValueError(f"{status} is the improvement group's: use improvement_group.testing")
    content = content or CaseContent()
    referral = services.referral_start(by=worker, team=team, line_manager=line_manager)
    if complete:
        referral = fill_form(referral, worker, content)
    target = _ORDER.index(status) if status in _ORDER else len(_ORDER) - 1
    if target >= 1:
        referral = services.referral_record_supervision(
            referral=referral,
            by=line_manager,
            date=content.supervision_date,
            note=content.supervision_note,
        )
    if target >= 2:
        referral = services.referral_sign_as_worker(
            referral=referral, by=worker, version=referral.version
        )
    if target >= 3:
        referral = services.referral_recommend(
            referral=referral, by=line_manager, service_manager=service_manager
        )
    if status == Status.AGREED:
        referral = services.referral_agree(referral=referral, by=service_manager)
    elif status == Status.NOT_AGREED:
        referral = services.referral_decline(
            referral=referral,
            by=service_manager,
            reasons="The concerns are being addressed through the child's plan review; a "
            "Learning Review would not add to that at present.",
        )
    assert referral.status == status, (referral.status, status)  # noqa: S101
    return referral
