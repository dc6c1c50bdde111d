"""What later stages add to the group's agenda, without this app importing them.

The group's agenda gathers what waits for it (§3.4, §3.4b, §3.6). Apps above this one in the
one-way order (the outcomes of a review, §4) register here, in their `AppConfig.ready`, what
they put on the agenda and what the agenda should flag; the arrow keeps pointing down.
"""

from collections.abc import Callable, Iterable

from learning_reviews.referrals.models import Referral

# (organisation id) -> [(agenda item kind, referral)] waiting for the group.
Source = Callable[[int], Iterable[tuple[str, Referral]]]
# (referral ids on an agenda) -> {referral id: ["2 actions past their due date", …]}
Flagger = Callable[[list[int]], dict[int, list[str]]]

_sources: list[Source] = []
_flaggers: list[Flagger] = []


def register(*, source: Source | None = None, flagger: Flagger | None = None) -> None:
    """Idempotent, so a second `ready()` (as in some test runners) adds nothing twice."""
    if source is not None and source not in _sources:
        _sources.append(source)
    if flagger is not None and flagger not in _flaggers:
        _flaggers.append(flagger)


def registered_items(organisation_id: int) -> list[tuple[str, Referral]]:
    return [entry for source in _sources for entry in source(organisation_id)]


def flags(referral_ids: list[int]) -> dict[int, list[str]]:
    """What each referral's agenda items should draw the group's attention to."""
    found: dict[int, list[str]] = {}
    if not referral_ids:
        return found
    for flagger in _flaggers:
        for referral_id, notes in flagger(referral_ids).items():
            found.setdefault(referral_id, []).extend(notes)
    return found
