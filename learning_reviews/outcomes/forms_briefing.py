"""The learning briefing's form: its sections, the suspected redactions the author restores
and the redactions they add (one per line)."""

from learning_reviews.core.forms import text_field
from learning_reviews.outcomes.forms_review import VersionForm
from learning_reviews.outcomes.services_briefing import SECTIONS


def _lines(value: str) -> list[str]:
    return [line.strip() for line in value.splitlines() if line.strip()]


class _BriefingFields(VersionForm):
    keep = text_field(
        "Words to restore (one per line)",
        required=False,
        long=True,
        rows=3,
        help_text="Words the redaction suspected of naming someone or somewhere, which you "
        "have checked are safe. Only suspected words can be restored.",
    )
    extra = text_field(
        "More words to redact (one per line)",
        required=False,
        long=True,
        rows=3,
        help_text="Anything else that could identify the child, the family or the staff.",
    )


class BriefingForm(_BriefingFields):
    field_order = [*(key for key, _, _ in SECTIONS), "keep", "extra", "version"]

    def sections(self) -> dict[str, str]:
        return {key: self.cleaned_data[key] for key, _, _ in SECTIONS}

    def keep_list(self) -> list[str]:
        return _lines(self.cleaned_data["keep"])

    def extra_list(self) -> list[str]:
        return _lines(self.cleaned_data["extra"])


class ReturnForm(VersionForm):
    note = text_field("What should the author change?", long=True, rows=4)


# The sections are fields like any other (so the GOV.UK classes and messages apply), made from
# the one list of what a briefing says.
for _key, _heading, _hint in SECTIONS:
    BriefingForm.base_fields[_key] = text_field(
        _heading, long=True, rows=3 if _key == "title" else 6, help_text=_hint
    )
