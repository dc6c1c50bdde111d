"""Which review fits? The questions the triage asks, and the rules that turn the answers into
the kinds of case review of Appendix 1 (with §2's grounds for a Learning Review).

The rules are pure functions of the answers: no database, so they are easy to read and test.
"""

from dataclasses import dataclass, field

from learning_reviews.referrals.models import Ground
from learning_reviews.triage.models import Kind

YES, NO = "yes", "no"
YES_NO = ((YES, "Yes"), (NO, "No"))


@dataclass(frozen=True)
class Question:
    key: str
    text: str
    hint: str
    choices: tuple[tuple[str, str], ...] = YES_NO


QUESTIONS: tuple[Question, ...] = (
    Question(
        "death_or_serious_incident",
        "Has the child died, or been involved in a serious incident?",
        "A serious incident is one where the child came to, or was at risk of, serious harm.",
    ),
    Question(
        "agencies",
        "Which agencies are involved with the child and family?",
        "Count the agencies working with the child, not only social work.",
        (
            ("single", "Only Children and Families Social Work"),
            ("multi", "More than one agency (for example health, education or police)"),
        ),
    ),
    Question(
        "looked_after",
        "Is the child looked after?",
        "At home under supervision, or with kinship, foster or residential carers.",
    ),
    Question(
        "cpr_over_18_months",
        "Has the child been on the Child Protection Register for more than 18 months?",
        "",
    ),
    Question(
        "reregistered_within_12_months",
        "Was the child re-registered on the Child Protection Register within 12 months of "
        "being de-registered?",
        "",
    ),
    Question(
        "placement_breakdown",
        "Has a foster or residential placement broken down (ended unplanned)?",
        "",
        (
            ("none", "No"),
            ("one", "Yes, one placement"),
            ("several", "Yes, more than one placement"),
        ),
    ),
    Question(
        "permanency_disruption",
        "Has a permanent or adoptive placement broken down (a permanency or adoption disruption)?",
        "",
    ),
    Question(
        "good_practice",
        "Is there good practice in the case that would benefit from being shared across "
        "the service?",
        "",
    ),
    Question(
        "lack_of_progress",
        "Are there concerns about apparent lack of progress in progressing the child's plan?",
        "",
    ),
    Question(
        "legal_system",
        "Did the legal system fail to secure the child, despite this being recommended by "
        "the professionals involved?",
        "For example, grounds not established at a Children's Hearing or proof.",
    ),
    Question(
        "wider_concern",
        "Is there a wider concern about practice that a single-agency structured debrief "
        "could look at?",
        "A lead officer decides, after a first discussion, whether a debrief is right.",
    ),
)

BY_KEY = {q.key: q for q in QUESTIONS}


@dataclass(frozen=True)
class Match:
    kind: Kind
    matched: tuple[str, ...]


@dataclass(frozen=True)
class Advice:
    matches: tuple[Match, ...]
    not_matched: dict[Kind, str] = field(default_factory=dict)
    grounds: tuple[Ground, ...] = ()

    @property
    def kinds(self) -> list[Kind]:
        return [m.kind for m in self.matches]


def grounds_for(answers: dict[str, str]) -> tuple[Ground, ...]:
    """§2: the grounds for a Learning Review that the facts meet, in the protocol's order."""
    found = []
    if answers.get("good_practice") == YES:
        found.append(Ground.GOOD_PRACTICE)
    if answers.get("lack_of_progress") == YES:
        found.append(Ground.LACK_OF_PROGRESS)
    if answers.get("placement_breakdown") in {"one", "several"}:
        found.append(Ground.PLACEMENT_BREAKDOWN)
    if answers.get("permanency_disruption") == YES:
        found.append(Ground.DISRUPTION)
    if answers.get("legal_system") == YES:
        found.append(Ground.LEGAL_SYSTEM)
    return tuple(found)


def advise(answers: dict[str, str]) -> Advice:
    """Every kind of review the facts fit, with the criteria each matched; and for each kind
    that does not fit, why not."""
    multi = answers.get("agencies") == "multi"
    yes = {key for key, value in answers.items() if value == YES}
    grounds = grounds_for(answers)
    matches: list[Match] = []
    why_not: dict[Kind, str] = {}

    def consider(kind: Kind, fits: bool, matched: list[str], reason: str) -> None:
        if fits:
            matches.append(Match(kind, tuple(matched)))
        else:
            why_not[kind] = reason

    consider(
        Kind.SIGNIFICANT_CASE_REVIEW,
        "death_or_serious_incident" in yes,
        ["Child death/serious incident"] + (["Multi-agency"] if multi else []),
        "There has been no child death or serious incident.",
    )
    concerns = [str(g.label) for g in grounds if g != Ground.GOOD_PRACTICE]
    if "death_or_serious_incident" in yes:
        concerns.insert(0, "Child death/serious incident")
    consider(
        Kind.LAC_LEARNING_REVIEW,
        "looked_after" in yes and multi and bool(concerns),
        ["Looked after child", "Multi-agency", *concerns],
        "It needs a looked after child, more than one agency and a concern about the care "
        "the child received.",
    )
    cpr = []
    if "cpr_over_18_months" in yes:
        cpr.append("Children on CPR > 18 months")
    if "reregistered_within_12_months" in yes:
        cpr.append("Children re-registered within 12 months of de-registration")
    consider(
        Kind.CPR_CASE_REVIEW,
        bool(cpr),
        cpr + (["Multi-agency"] if multi else []),
        "The child has not been on the Child Protection Register for more than 18 months, nor "
        "re-registered within 12 months of de-registration.",
    )
    disruption = []
    if answers.get("placement_breakdown") == "several":
        disruption.append("Multiple placement breakdown")
    if "permanency_disruption" in yes:
        disruption.append("Permanency or adoption disruption")
    consider(
        Kind.DISRUPTION_REVIEW,
        bool(disruption),
        disruption + (["Multi-agency"] if multi else []),
        "There has been no permanency or adoption disruption, and no more than one placement "
        "breakdown.",
    )
    consider(
        Kind.STRUCTURED_DEBRIEF,
        "wider_concern" in yes,
        ["Wider range of concern"] + ([] if multi else ["Single agency"]),
        "No wider concern suited to a single-agency structured debrief was given.",
    )
    consider(
        Kind.LEARNING_REVIEW,
        bool(grounds),
        [str(g.label) for g in grounds],
        "None of the five criteria in section 2 of the protocol is met.",
    )
    return Advice(matches=tuple(matches), not_matched=why_not, grounds=grounds)
