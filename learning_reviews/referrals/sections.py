"""The sections of the Referral Form (Appendix 3) as the task list shows them."""

from collections.abc import Callable
from dataclasses import dataclass

from learning_reviews.referrals.models import Referral


@dataclass(frozen=True)
class Section:
    key: str
    title: str
    is_complete: Callable[[Referral], bool]
    is_started: Callable[[Referral], bool]


def _items(referral: Referral, name: str) -> list[object]:
    # Prefetched in the task list and check-answers views, so this reads from memory there.
    return list(getattr(referral, name).all())


SECTIONS: tuple[Section, ...] = (
    Section(
        "about",
        "About you and your team",
        lambda r: bool(r.person_completing and r.team_id),
        lambda r: bool(r.person_completing),
    ),
    Section(
        "identified",
        "Where the need was identified",
        lambda r: bool(r.identified_at and r.identified_on),
        lambda r: bool(r.identified_at or r.identified_on),
    ),
    Section(
        "child",
        "The child or young person",
        lambda r: bool(r.child_name and r.swis_number),
        lambda r: bool(r.child_name or r.swis_number),
    ),
    Section(
        "household",
        "Parents, carers and household",
        lambda r: bool(r.parents_carers),
        lambda r: bool(r.parents_carers or _items(r, "household")),
    ),
    Section(
        "agencies",
        "Other agencies involved",
        lambda r: bool(_items(r, "agencies") or r.no_agencies_known),
        lambda r: bool(_items(r, "agencies") or r.childs_plan or r.no_agencies_known),
    ),
    Section(
        "grounds",
        "Grounds for a Learning Review",
        lambda r: bool(r.grounds),
        lambda r: bool(r.grounds),
    ),
    Section(
        "circumstances",
        "Brief description of the circumstances",
        lambda r: bool(r.circumstances),
        lambda r: bool(r.circumstances),
    ),
    Section(
        "background",
        "Key facts, background and chronology",
        lambda r: bool(r.key_facts and _items(r, "chronology")),
        lambda r: bool(r.key_facts or _items(r, "chronology")),
    ),
    Section(
        "reasons",
        "Reasons a Learning Review is requested",
        lambda r: bool(_items(r, "reasons")),
        lambda r: bool(_items(r, "reasons")),
    ),
)

BY_KEY = {s.key: s for s in SECTIONS}


def incomplete_sections(referral: Referral) -> list[Section]:
    return [s for s in SECTIONS if not s.is_complete(referral)]
