"""The learning library's search and filter forms. Every filter is a choice from a list: a value
typed into the address that is not on the list is shown as an error beside its field, and the
other filters still apply."""

from collections.abc import Iterable
from typing import Any

from django import forms

from learning_reviews.accounts.models import Team
from learning_reviews.core.forms import Form
from learning_reviews.outcomes.library import MAX_QUERY_LENGTH
from learning_reviews.referrals.models import Ground
from learning_reviews.reviews.workspace import Factor, Pattern


def _choice(label: str, what: str, choices: Iterable[tuple[str, str]] = ()) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        choices=[("", "Any"), *choices],
        error_messages={"invalid_choice": f"Select {what} from the list"},  # noqa: S608 - words
    )


class TeamFilterForm(Form):
    team = _choice("Team", "a team")

    def __init__(self, *args: Any, teams: Iterable[Team], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["team"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", "Any"), *((str(t.pk), t.name) for t in teams)]

    def team_id(self) -> int | None:
        value = self.cleaned_data.get("team") if hasattr(self, "cleaned_data") else None
        return int(value) if value else None


class LibrarySearchForm(TeamFilterForm):
    q = forms.CharField(
        label="Search words",
        required=False,
        max_length=MAX_QUERY_LENGTH,
        help_text="For example, “inter-agency communication” or “placement planning”",
        widget=forms.TextInput(attrs={"type": "search", "spellcheck": "false"}),
        error_messages={
            "max_length": f"Search words must be {MAX_QUERY_LENGTH} characters or fewer",
            "null_characters_not_allowed": "Search words must not contain null characters",
        },
    )
    ground = _choice("Ground for the review", "a ground", Ground.choices)
    factor = _choice("Contributory factor", "a contributory factor", Factor.choices)
    pattern = _choice("SCIE pattern", "an SCIE pattern", Pattern.choices)
    year = _choice("Year", "a year")

    field_order = ["q", "ground", "factor", "pattern", "team", "year"]

    def __init__(
        self, *args: Any, teams: Iterable[Team], years: Iterable[int], **kwargs: Any
    ) -> None:
        super().__init__(*args, teams=teams, **kwargs)
        field = self.fields["year"]
        assert isinstance(field, forms.ChoiceField)  # noqa: S101 - declared above
        field.choices = [("", "Any"), *((str(y), str(y)) for y in years)]

    def search_arguments(self) -> dict[str, Any]:
        """The valid parts of the search, for `library.search`; a part in error is left out."""
        data = self.cleaned_data if hasattr(self, "cleaned_data") else {}
        year = data.get("year")
        return {
            "query": data.get("q") or "",
            "ground": data.get("ground") or "",
            "factor": data.get("factor") or "",
            "pattern": data.get("pattern") or "",
            "team_id": self.team_id(),
            "year": int(year) if year else None,
        }
