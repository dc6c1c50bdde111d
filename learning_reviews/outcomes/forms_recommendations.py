"""Forms for the group's recommendations on a review's findings (§3 step 6).

The follow-up questions of a response ("what changed", "the rationale") are shown beside the
radios on every page and checked on the server, so that they work without JavaScript."""

from typing import Any

from django import forms

from learning_reviews.core.forms import text_field as _text
from learning_reviews.outcomes.forms_review import VersionForm
from learning_reviews.outcomes.models import Recommendation
from learning_reviews.outcomes.services import RecommendationInput

Response = Recommendation.Response


class RecommendationForm(VersionForm):
    text = _text(
        "Recommendation",
        long=True,
        rows=4,
        help_text="What the group recommends, in a sentence or two",
        required_message="Write the recommendation",
    )
    response = forms.ChoiceField(
        label="The group's response",
        choices=Response.choices,
        widget=forms.RadioSelect,
        error_messages={"required": "Choose the group's response"},
    )
    changes = _text("If accepted with changes: what changed", required=False, long=True, rows=3)
    rationale = _text(
        "If not accepted: the rationale for not accepting it", required=False, long=True, rows=3
    )

    @classmethod
    def initial_from(cls, recommendation: Recommendation, version: int) -> dict[str, Any]:
        return {
            "text": recommendation.text,
            "response": recommendation.response,
            "changes": recommendation.changes,
            "rationale": recommendation.rationale,
            "version": version,
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        response = cleaned.get("response")
        if response == Response.ACCEPTED_WITH_CHANGES and not cleaned.get("changes"):
            self.add_error("changes", "Say what changed in the recommendation")
        if response == Response.NOT_ACCEPTED and not cleaned.get("rationale"):
            self.add_error("rationale", "Give the rationale for not accepting the recommendation")
        return cleaned

    def recommendation_input(self) -> RecommendationInput:
        data = self.cleaned_data
        return RecommendationInput(
            text=data["text"],
            response=data["response"],
            changes=data.get("changes", ""),
            rationale=data.get("rationale", ""),
        )
