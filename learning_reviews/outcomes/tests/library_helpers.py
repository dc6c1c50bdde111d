"""Library entries for the tests, written straight to the table as the release services would.
Every word of them is fictional."""

import datetime
from collections.abc import Iterable

from django.utils import timezone

from learning_reviews.accounts.models import Organisation, Team
from learning_reviews.outcomes.models import LibraryEntry
from learning_reviews.reviews.models import Review


def make_entry(
    *,
    review: Review,
    team: Team,
    title: str = "Fictional finding",
    text: str = "A fictional piece of learning.",
    kind: str = LibraryEntry.Kind.FINDING,
    tags: Iterable[str] = (),
    year: int = 2025,
    organisation: Organisation | None = None,
    released_on: datetime.datetime | None = None,
    briefing_id: int | None = None,
) -> LibraryEntry:
    """One entry. `tags` are "factor:culture", "pattern:human_reasoning", "ground:…"."""
    tag_list = list(tags)
    return LibraryEntry.objects.create(
        organisation=organisation or team.organisation,
        review=review,
        briefing_id=briefing_id,
        kind=kind,
        title=title,
        text=text,
        team=team,
        year=year,
        released_on=released_on or timezone.now(),
        tags=" " + "".join(f"{t} " for t in tag_list) if tag_list else " ",
    )


def make_entries(count: int, *, review: Review, team: Team, start: int = 0) -> list[LibraryEntry]:
    """`count` findings, alike but for their number, spread over three years and tagged."""
    factors = ["culture", "inter_agency", "own_team"]
    patterns = ["human_reasoning", "family_professional"]
    base = timezone.now() - datetime.timedelta(days=count + start)
    return [
        make_entry(
            review=review,
            team=team,
            title=f"Fictional finding {n}",
            text=f"Finding {n}: the plan for the child drifted while agencies waited for each "
            "other; communication between the team and the school broke down.",
            tags=[f"factor:{factors[n % 3]}", f"pattern:{patterns[n % 2]}"],
            year=2023 + n % 3,
            released_on=base + datetime.timedelta(days=n),
        )
        for n in range(start, start + count)
    ]
