"""docs/data-protection.md stays true: every model of the project has a row (so a new model
without a retention entry fails here), and the schedule's table matches `schedule.RULES`."""

import re
from pathlib import Path

import pytest
from django.apps import apps

from learning_reviews.retention.schedule import RULES

DOC = (Path(__file__).resolve().parents[3] / "docs" / "data-protection.md").read_text()
PROJECT_MODELS = sorted(
    m._meta.label for m in apps.get_models() if m.__module__.startswith("learning_reviews.")
)


@pytest.mark.parametrize("label", PROJECT_MODELS)
def test_every_model_of_the_project_has_a_row(label):
    assert re.search(rf"^\| `{re.escape(label)}` \|", DOC, re.MULTILINE), (
        f"{label} has no row in docs/data-protection.md's 'Every record the service holds'"
    )


def test_every_model_of_the_libraries_is_named():
    for model in apps.get_models():
        if not model.__module__.startswith("learning_reviews."):
            assert f"`{model._meta.label}`" in DOC, model._meta.label


@pytest.mark.parametrize("rule", RULES, ids=[r.key for r in RULES])
def test_each_rule_is_in_the_schedule_table_with_its_default(rule):
    unit = rule.unit if rule.default != 1 else rule.unit[:-1]
    row = re.search(rf"^\| `{rule.key}` \|.*$", DOC, re.MULTILINE)
    assert row, f"{rule.key} has no row in the schedule table"
    assert f"| {rule.default} {unit} |" in row.group(0)
