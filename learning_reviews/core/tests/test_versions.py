"""core.versions: the one version check every app uses."""

import pytest
from django import forms

from learning_reviews.core.errors import Conflict
from learning_reviews.core.versions import (
    UNCHECKED,
    Stale,
    VersionField,
    check_version,
    differences,
    keep_typed,
)


@pytest.mark.parametrize(("current", "seen"), [(3, 2), (3, 4), (3, None), (0, None)])
def test_a_stale_or_missing_version_is_a_conflict(current, seen):
    with pytest.raises(Conflict) as refused:
        check_version(current, seen)
    assert isinstance(refused.value, Stale)
    assert refused.value.current == current


def test_the_version_the_page_was_opened_with_passes():
    check_version(3, 3)
    check_version(0, 0)


def test_only_code_can_ask_for_no_check():
    check_version(3, UNCHECKED)


@pytest.mark.parametrize(
    ("posted", "cleaned"),
    [("4", 4), ("", None), (None, None), ("x", None), ("-1", None), ("²", None)],
)
def test_the_field_never_errs_and_cleans_anything_but_a_version_to_none(posted, cleaned):
    assert VersionField().clean(posted) == cleaned


class Details(forms.Form):
    name = forms.CharField(label="Name")
    note = forms.CharField(label="Note", required=False)
    version = VersionField()


def test_a_refused_form_keeps_what_was_typed_with_the_new_version_and_names_what_changed():
    form = Details({"name": "Mine", "note": "Same", "version": "1"})
    assert form.is_valid()
    assert differences(form, {"name": "Theirs", "note": "Same"}) == [("Name", "Theirs")]
    keep_typed(form, Stale(2), {"name": "Theirs", "note": "Same"})
    assert form.data["version"] == "2"
    assert form.data["name"] == "Mine"
    (message,) = form.non_field_errors()
    assert "Name: “Theirs”" in message and "Note" not in message


def test_a_long_value_is_cut_in_the_message():
    form = Details({"name": "Mine", "version": "1"})
    assert form.is_valid()
    [(_, shown)] = differences(form, {"name": "x" * 500})
    assert len(shown) == 200 and shown.endswith("…")
