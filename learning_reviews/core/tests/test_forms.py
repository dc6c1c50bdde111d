from django import forms

from learning_reviews.core.forms import Form, GovukDateField


class WhenForm(Form):
    when = GovukDateField(label="Date of the event", past_only=True)
    name = forms.CharField(label="Name")


def test_a_date_in_error_marks_its_day_month_and_year_boxes():
    form = WhenForm({"when_0": "31", "when_1": "2", "when_2": "2024", "name": "A"})
    assert not form.is_valid()
    assert form.errors["when"] == ["Date of the event must be a real date"]
    assert str(form["when"]).count("govuk-input--error") == 3


def test_error_classes_do_not_leak_into_the_next_form():
    WhenForm({"when_0": "", "when_1": "2", "when_2": "2024", "name": ""}).is_valid()
    fresh = WhenForm({"when_0": "1", "when_1": "2", "when_2": "2024", "name": "A"})
    assert fresh.is_valid()
    assert "govuk-input--error" not in str(fresh["when"]) + str(fresh["name"])


def test_a_box_missing_from_the_post_asks_for_it_by_name():
    form = WhenForm({"when_0": "1", "when_2": "2024", "name": "A"})
    assert not form.is_valid()
    assert form.errors["when"] == ["Date of the event must include a month"]
