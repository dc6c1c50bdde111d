"""Forms for the improvement group's pages, in the protocol's words (§3.4, §4, Appendix 3 "To be
completed by CFCIG"). They parse what was typed; the services decide what is allowed."""

import re
from typing import Any

from django import forms

from learning_reviews.accounts.models import User
from learning_reviews.core.forms import MAX_LONG_TEXT, MAX_NAME_LENGTH, Form, GovukDateField
from learning_reviews.core.forms import clean_text as _clean_text
from learning_reviews.core.versions import VersionField
from learning_reviews.improvement_group.models import Decision
from learning_reviews.improvement_group.services import ActionInput, DecisionInput

MAX_ACTIONS = 5
YES, NO = "yes", "no"
_ROW_MESSAGES = (
    "Describe further action {}",
    "Choose the owner of further action {}",
    "Enter the due date of further action {}",
)
# "1. ", "2) ", "- " or "• " typed at the start of an objective: the page numbers them itself.
_NUMBERING = re.compile(r"^\s*(?:\d+\s*[.)]|[-•*])\s*")


def _person_label(person: User) -> str:
    return f"{person}, {person.job_title}" if person.job_title else str(person)


def _people_choices(people: list[User]) -> list[tuple[str, str]]:
    return [(str(p.pk), _person_label(p)) for p in people]


def _textarea(
    label: str,
    *,
    required: bool = False,
    rows: int = 4,
    help_text: str = "",
    required_message: str = "",
) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=required,
        max_length=MAX_LONG_TEXT,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
        error_messages={
            "required": required_message or f"Enter {label[0].lower()}{label[1:]}",
            "max_length": f"{label} must be {MAX_LONG_TEXT:,} characters or fewer",
        },
    )


class MeetingForm(Form):
    date = GovukDateField(label="Date of the meeting", help_text="For example, 8 4 2025")
    place = forms.CharField(
        label="Place",
        required=False,
        max_length=MAX_NAME_LENGTH,
        help_text="A room, or “Online”",
        error_messages={"max_length": f"Place must be {MAX_NAME_LENGTH} characters or fewer"},
    )
    members = forms.MultipleChoiceField(
        label="Members of the group attending",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    others = forms.MultipleChoiceField(
        label="Others attending (optional)",
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="For example, a Service Manager presenting a referral",
    )
    apologies = forms.CharField(
        label="Apologies (optional)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text="Who sent apologies",
        error_messages={"max_length": "Apologies must be 2,000 characters or fewer"},
    )

    def __init__(self, *args: Any, members: list[User], others: list[User], **kwargs: Any):
        super().__init__(*args, **kwargs)
        self._people = {str(p.pk): p for p in [*members, *others]}
        self.fields["members"].choices = _people_choices(members)  # type: ignore[attr-defined]
        self.fields["others"].choices = _people_choices(others)  # type: ignore[attr-defined]

    def attendees(self) -> list[User]:
        chosen = [*self.cleaned_data["members"], *self.cleaned_data["others"]]
        return [self._people[pk] for pk in chosen]


class MinutesForm(Form):
    version = VersionField()
    minutes = _textarea(
        "Minutes of this item",
        required=True,
        rows=8,
        help_text="What was discussed and agreed",
        required_message="Enter the minutes of this item",
    )


class DecisionForm(Form):
    """Appendix 3, "To be completed by CFCIG", with §4's checks: one page, both branches shown
    (no script needed); only the branch matching the decision is read."""

    version = VersionField()
    date_discussed = GovukDateField(
        label="Date discussed", past_only=True, help_text="For example, 9 4 2025"
    )
    proceed = forms.ChoiceField(
        label="Decision: proceed to Learning Review?",
        choices=[(YES, "Yes — proceed to a Learning Review"), (NO, "No — do not proceed")],
        widget=forms.RadioSelect,
        error_messages={"required": "Select yes or no"},
    )
    rationale = _textarea(
        "Rationale",
        required=True,
        rows=5,
        help_text="The reasons for the decision",
        required_message="Give the rationale for the decision",
    )
    meets_criteria = forms.BooleanField(
        label=Decision._meta.get_field("meets_criteria").verbose_name, required=False
    )
    will_benefit = forms.BooleanField(
        label=Decision._meta.get_field("will_benefit").verbose_name, required=False
    )
    # If the decision is to proceed.
    objectives = _textarea(
        "Key objectives of the Review",
        rows=5,
        help_text="One objective on each line. They are numbered in the order you give them.",
    )
    lead_reviewer = forms.ChoiceField(label="Lead Reviewer", required=False)
    second_lead_reviewer = forms.ChoiceField(
        label="Second lead reviewer (optional)",
        required=False,
        help_text="If the review is to be led by two people",
    )
    warnings_read = forms.BooleanField(label="I have read the warning", required=False)
    period_start = GovukDateField(
        label="Period under review: from", required=False, help_text="For example, 1 1 2024"
    )
    period_end = GovukDateField(
        label="Period under review: to", required=False, help_text="For example, 31 3 2025"
    )
    scope = _textarea("Scope of the review", help_text="What the review will and will not cover")
    who_involved = _textarea(
        "Who should be involved", help_text="For example, the worker, line manager and carers"
    )
    timescale = GovukDateField(
        label="Timescale for completion",
        required=False,
        help_text="The date by which the review is to be complete, for example, 30 6 2025",
    )
    support_confirmed = forms.BooleanField(
        label="The necessary support and resources are in place", required=False
    )

    def __init__(self, *args: Any, people: list[User], **kwargs: Any) -> None:
        self._people = {str(p.pk): p for p in people}
        choices = [("", "Choose a person"), *_people_choices(people)]
        super().__init__(*args, **kwargs)
        owners = [f"action_{n}_owner" for n in range(1, MAX_ACTIONS + 1)]
        for name in ("lead_reviewer", "second_lead_reviewer", *owners):
            self.fields[name].choices = choices  # type: ignore[attr-defined]

    @staticmethod
    def initial_from(decision: Decision | None) -> dict[str, Any]:
        """The form filled in from a decision already recorded (to revise it)."""
        if decision is None:
            return {"version": 0}
        leads = [str(p.pk) for p in decision.lead_reviewers.all()]
        initial: dict[str, Any] = {
            "version": decision.version,
            "proceed": YES if decision.proceed else NO,
            "objectives": "\n".join(o.text for o in decision.objectives.all()),
            "lead_reviewer": leads[0] if leads else "",
            "second_lead_reviewer": leads[1] if len(leads) > 1 else "",
        }
        for name in (
            "date_discussed",
            "rationale",
            "meets_criteria",
            "will_benefit",
            "period_start",
            "period_end",
            "scope",
            "who_involved",
            "timescale",
            "support_confirmed",
        ):
            initial[name] = getattr(decision, name)
        for n, action in enumerate(decision.further_actions.all(), start=1):
            initial |= {
                f"action_{n}_text": action.text,
                f"action_{n}_owner": str(action.owner_id),
                f"action_{n}_due_on": action.due_on,
            }
        return initial

    def action_rows(self) -> list[tuple[int, list[forms.BoundField]]]:
        return [
            (n, [self[f"action_{n}_{part}"] for part in ("text", "owner", "due_on")])
            for n in range(1, MAX_ACTIONS + 1)
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = _clean_text(value)
        if cleaned.get("proceed") == YES:
            self._ignore(ACTION_FIELDS)
            self._clean_proceed(cleaned)
        elif cleaned.get("proceed") == NO:
            self._ignore(PROCEED_FIELDS)
            self._clean_actions(cleaned)
        return cleaned

    def _ignore(self, names: list[str]) -> None:
        """What was typed in the part that does not match the decision is not saved, so it
        cannot stop the decision being saved either."""
        for name in names:
            self.errors.pop(name, None)
            self.cleaned_data.pop(name, None)

    def _clean_proceed(self, cleaned: dict[str, Any]) -> None:
        if not self.objective_list() and "objectives" not in self.errors:
            self.add_error("objectives", "Set at least one key objective of the Review")
        if not cleaned.get("lead_reviewer") and "lead_reviewer" not in self.errors:
            self.add_error("lead_reviewer", "Choose the lead reviewer")
        second = cleaned.get("second_lead_reviewer")
        if second and second == cleaned.get("lead_reviewer"):
            self.add_error("second_lead_reviewer", "Choose a different second lead reviewer")
        if cleaned.get("timescale") is None and "timescale" not in self.errors:
            self.add_error("timescale", "Enter the timescale for completion")
        start, end = cleaned.get("period_start"), cleaned.get("period_end")
        if start and end and start > end:
            self.add_error("period_end", "The period under review must end after it starts")

    def _clean_actions(self, cleaned: dict[str, Any]) -> None:
        filled = 0
        for n in range(1, MAX_ACTIONS + 1):
            names = [f"action_{n}_{part}" for part in ("text", "owner", "due_on")]
            typed = [name in self.errors or cleaned.get(name) for name in names]
            if not any(typed):
                continue
            filled += 1
            for name, present, message in zip(names, typed, _ROW_MESSAGES, strict=True):
                if not present:
                    self.add_error(name, message.format(n))
        if not filled:
            self.add_error(
                "action_1_text", "Set at least one further action, with an owner and a due date"
            )

    def objective_list(self) -> list[str]:
        lines = (self.cleaned_data.get("objectives") or "").split("\n")
        return [text for line in lines if (text := _NUMBERING.sub("", line).strip())]

    def lead_reviewers(self) -> list[User]:
        chosen = [self.cleaned_data.get(n) for n in ("lead_reviewer", "second_lead_reviewer")]
        return [self._people[pk] for pk in chosen if pk and pk in self._people]

    def further_actions(self) -> list[ActionInput]:
        actions = []
        for n in range(1, MAX_ACTIONS + 1):
            text = self.cleaned_data.get(f"action_{n}_text")
            if text:
                actions.append(
                    ActionInput(
                        text=text,
                        owner=self._people[self.cleaned_data[f"action_{n}_owner"]],
                        due_on=self.cleaned_data[f"action_{n}_due_on"],
                    )
                )
        return actions

    def decision_input(self) -> DecisionInput:
        """What was typed, for the chosen branch only (the other branch is left blank)."""
        data = self.cleaned_data
        common = {
            "date_discussed": data["date_discussed"],
            "rationale": data["rationale"],
            "meets_criteria": data["meets_criteria"],
            "will_benefit": data["will_benefit"],
        }
        if data["proceed"] == NO:
            return DecisionInput(proceed=False, further_actions=self.further_actions(), **common)
        return DecisionInput(
            proceed=True,
            objectives=self.objective_list(),
            lead_reviewers=self.lead_reviewers(),
            period_start=data["period_start"],
            period_end=data["period_end"],
            scope=data["scope"],
            who_involved=data["who_involved"],
            timescale=data["timescale"],
            support_confirmed=data["support_confirmed"],
            **common,
        )


PROCEED_FIELDS = [
    "objectives",
    "lead_reviewer",
    "second_lead_reviewer",
    "warnings_read",
    "period_start",
    "period_end",
    "scope",
    "who_involved",
    "timescale",
    "support_confirmed",
]
ACTION_FIELDS = [
    f"action_{n}_{part}" for n in range(1, MAX_ACTIONS + 1) for part in ("text", "owner", "due_on")
]

# Further action required: up to MAX_ACTIONS rows, each an action, its owner and its due date.
for _n in range(1, MAX_ACTIONS + 1):
    DecisionForm.base_fields |= {
        f"action_{_n}_text": _textarea("Action required", rows=2),
        f"action_{_n}_owner": forms.ChoiceField(label="Owner", required=False),
        f"action_{_n}_due_on": GovukDateField(
            label="Due date", required=False, help_text="For example, 30 5 2025"
        ),
    }
