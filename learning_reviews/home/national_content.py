"""The words of the national data set (`national_data.py`): drawn from the demo's own fictional
content (`demo.py`, `demo_history.py`, `demo_reviews.py`, `demo_outcomes.py`, after
`shared/examples/worked-case.md`) and varied with a seeded random generator. Every place, council,
person and number here is invented."""

import datetime
import random

from learning_reviews.home.demo import DemoReferral, demo_referrals
from learning_reviews.home.demo_history import EPISODES, FINDINGS, PAST
from learning_reviews.home.demo_outcomes import BRIEFING, RECOMMENDATIONS
from learning_reviews.home.demo_reviews import JENNA, JENNA_FACTORS
from learning_reviews.reviews.workspace import Factor, Pattern, Reach, Source

# Invented places: none is a Scottish council area (checked against the 32).
PLACES = (
    "Northmoor", "Kelbridge", "Ardlarich", "Glenvoran", "Strathkelvie", "Invermuir",
    "Drumlaven", "Auchenbrae", "Lochmerran", "Carnwhinnie", "Westfold", "Cairnhallow",
    "Dunmarrow", "Ballinfold", "Glenarrow", "Torrancefield", "Craigmorven", "Strathbrannock",
    "Kilbrannan Vale", "Fennick", "Rowanlea", "Birkenshiel", "Ardcorran", "Corriebrae",
    "Benmorvich", "Achnacarrick", "Kirkvennie", "Glenmarloch", "Strathoran", "Invercullen",
    "Balmorvie", "Dalgarrow", "Lochtarrie", "Cullenbrae", "Morvenhill", "Ashcairn",
    "Easter Kelvock", "Wester Drumlie", "Tornaveen Muir", "Kilvaragh", "Glenshielan",
    "Strathvellan",
)  # fmt: skip
TEAMS = (
    "Central Locality Team",
    "Fostering Team",
    "North Locality Team",
    "South Locality Team",
    "Children with Disabilities Team",
    "Throughcare and Aftercare Team",
)
FIRST_NAMES = (
    "Aileen", "Alan", "Amy", "Andrew", "Anne", "Callum", "Carol", "Catriona", "Claire",
    "Craig", "David", "Donna", "Eilidh", "Emma", "Euan", "Fiona", "Fraser", "Gail", "Gillian",
    "Graeme", "Hannah", "Heather", "Iain", "Isla", "Jamie", "Jenna", "Joanne", "Karen", "Kirsty",
    "Lesley", "Lorna", "Mairi", "Mark", "Megan", "Moira", "Morag", "Nadia", "Neil", "Niall",
    "Paul", "Rachel", "Ross", "Ruth", "Sarah", "Scott", "Shona", "Stuart", "Tom", "Yvonne",
)  # fmt: skip
SURNAMES = (
    "Baxter", "Bell", "Brodie", "Cairns", "Cowan", "Cross", "Dalziel", "Drummond", "Duff",
    "Forbes", "Fyfe", "Galbraith", "Gibb", "Hendry", "Imrie", "Kerr", "Laing", "Lindsay",
    "Lumsden", "Macaulay", "McAra", "McBain", "McCrae", "McGlashan", "Menzies", "Munro",
    "Nairn", "Ogilvie", "Paterson", "Pirie", "Rennie", "Ritchie", "Sangster", "Shearer",
    "Strachan", "Tulloch", "Urquhart", "Veitch", "Wishart", "Yuill",
)  # fmt: skip
CHILD_NAMES = (
    *sorted({p.name for p in PAST}),
    "Ava", "Callum", "Cody", "Ellie", "Freya", "Isla", "Jack", "Kayleigh", "Leah", "Liam",
    "Owen", "Robbie", "Ruby", "Ryan", "Zara",
)  # fmt: skip
PLACES_TO_MEET = (
    "Committee Room 2, Council Offices",
    "Meeting Room 4, Council Offices",
    "Conference Room, Social Work Headquarters",
    "Online (Teams)",
)
SUPERVISION_NOTES = (
    "Discussed the case and what went well and less well; agreed to recommend a Learning Review.",
    "Discussed the drift in the child's plan; agreed to ask the Service Manager.",
    "Discussed the placement moves; agreed to recommend a Learning Review.",
    "Discussed what made the difference for the child; agreed the practice is worth sharing.",
)
DECLINED = (
    "The concerns are being addressed through the child's plan review; a Learning Review "
    "would not add to that at present.",
    "The matter is already in the complaints process.",
    "Good practice already shared at a practice forum; a review would add little.",
)
GROUP_RATIONALE = (
    "A pattern of emergency moves seen in other cases; learning likely to apply across the "
    "fostering and locality teams.",
    "The drift in the plan is seen in other teams' cases; the service would benefit from "
    "understanding it.",
    "Good practice that other teams could learn from, with the family's support.",
)
NOT_PROCEEDING = (
    "The child's plan review is addressing the concerns; a review would not add to it now.",
    "The concerns are about one transition the team is already reviewing with the school.",
)
FURTHER_ACTIONS = (
    "Bring the child's plan to the next LAC review with a contingency plan.",
    "Hold a transition planning meeting with the school before the end of term.",
    "Add a transition checklist to the team's practice guidance and share it at the next "
    "team meeting.",
    "Review the support plan with the kinship carer and agree respite.",
)
PROGRESS = (
    "Meeting arranged with the depute head; the family has been invited.",
    "Contingency plan drafted and shared with the team around the child.",
    "Checklist drafted; to be discussed at the next team meeting.",
    "Done: the plan was reviewed and the actions agreed.",
)
OBJECTIVES = (
    "Understand why each placement ended and what was known beforehand.",
    "Understand how matching decisions were made under time pressure.",
    "Understand why the plan was rolled forward without the support it depended on.",
    "Learn what made the transition work, so that other teams can repeat it.",
)
PARTICIPANT_ROLES = (
    ("Social Worker", "The child's allocated social worker"),
    ("Team Manager", "The social worker's line manager"),
    ("Fostering Link Worker", "Link worker to the foster carers"),
    ("Foster carer", "Foster carer during the period"),
    ("Class teacher", "Class teacher at the school"),
    ("School nurse", "Led the handover meeting"),
    ("Health visitor", "Health visitor to the family"),
)
CASE_FILES = (
    "SWIS case notes and LAC review minutes",
    "Fostering team records",
    "Child protection case conference minutes",
    "School attendance records",
)
SOURCE_TEXTS = {
    Source.STAFF_EXPERIENCE.value: "Conversations with each member of the case group, and a "
    "group meeting.",
    Source.LOCAL_DATA.value: "Placement moves in the last year: the share arranged on the day.",
    Source.NATIONAL_EVIDENCE.value: "The national guidance on planning for children's moves.",
    Source.RESEARCH.value: "Research on stability for looked after children.",
}
REVIEW_CHRONOLOGY = (
    ("CAMHS referral made; 26-week wait", "Health record"),
    ("First CAMHS appointment", "CAMHS letter"),
    ("Carers ask for support at a review", "Fostering team record"),
    ("Core group carries the same actions forward", "Core group minute"),
)
ACTIONS = (
    ("Design the planned-move route with the locality teams and publish it as practice guidance.",
     "Fewer same-day moves for children whose placement is ending.",
     "Share of placement moves that are same-day, from SWIS placement records, quarterly."),
    ('Add a "what helps me" sheet to the placement plan template and brief the teams.',
     'Every new placement plan carries a "what helps me" sheet written with the child.',
     "Quarterly audit of 20 placement plans by the Quality Assurance team."),
    ("Make a handover meeting part of every planned move, led by someone who knows the child.",
     "Carers know what helps the child from the first night.",
     "Carers' feedback at the first placement review, collected by the fostering team."),
    ("Put the agreed change into practice in the team.",
     "Fewer unplanned endings for children in the teams' care.",
     "Unplanned endings per quarter, from the placements report."),
)  # fmt: skip
ACTION_UPDATES = (
    "Draft shared with the team managers; two teams still to comment.",
    "Template changed and teams briefed.",
    "Done and in use.",
    "Started: a first meeting held with the teams involved.",
)
MESSAGE_TO_REFERRERS = (
    "The review found that emergency moves were made on the day by vacancy, and that what "
    "carers need to know did not travel with the child. A planned-move route and a handover "
    "meeting before every planned move are now practice. Thank you for referring it."
)


def _finding_pool() -> list[tuple[str, str, str, str, str]]:
    """(title, text, issues for the group, pattern, reach) from the worked case's findings."""
    pool = [
        (
            title,
            f"{title}: seen in this case and in others the service knows of.",
            "What would the service need to change so that this happens less often?",
            pattern.value,
            reach.value,
        )
        for title, pattern, reach in FINDINGS
    ]
    for start, recommendation, _, _ in RECOMMENDATIONS:
        pool.append(
            (
                f"{start}…",
                f"The review found a gap here. {recommendation}",
                "How could the service make this the usual way?",
                Pattern.HUMAN_MANAGEMENT.value,
                Reach.OTHER_TEAMS.value,
            )
        )
    return pool


FINDING_POOL = _finding_pool()
RECOMMENDATION_POOL = tuple(r[1] for r in RECOMMENDATIONS)
EPISODE_POOL = EPISODES
CONVERSATION = JENNA
CONVERSATION_FACTORS = JENNA_FACTORS
BRIEFING_SECTIONS = BRIEFING
FACTORS = tuple(Factor.values)


def demo_cases() -> list[DemoReferral]:
    """The demo's referrals, dated as written (their dates are moved by the caller)."""
    return demo_referrals(lambda y, m, d: datetime.date(y, m, d))


CASES = [c for c in demo_cases() if c.content.chronology]


def person(rng: random.Random) -> str:
    return f"{rng.choice(FIRST_NAMES)} {rng.choice(SURNAMES)}"


def child(rng: random.Random) -> tuple[str, str]:
    """A fictional child's full name and their parents' line for the form."""
    surname = rng.choice(SURNAMES)
    first = rng.choice(CHILD_NAMES)
    mother = rng.choice(FIRST_NAMES)
    return f"{first} {surname}", f"{mother} {surname} (mother); father not in contact"


def place(index: int) -> str:
    """A council's name: the invented places in turn, numbered once they run out."""
    name = PLACES[index % len(PLACES)]
    if index >= len(PLACES):
        name = f"{name} {index // len(PLACES) + 1}"
    return f"{name} Council"
