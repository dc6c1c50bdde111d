"""The organisation's timescales and local holidays (accounts/views_timescales.py)."""

import datetime

import pytest
from django.urls import reverse

from conftest import make_user
from learning_reviews.accounts import services_timescales as services
from learning_reviews.accounts.models import LocalHoliday, Organisation, Role
from learning_reviews.accounts.selectors_timescales import organisation_holidays
from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import NotAllowed
from learning_reviews.core.working_days import add_working_days

D = datetime.date
PAGES = ["manage:timescales", "manage:local_holiday_list"]


@pytest.fixture
def admin_client(client, people):
    client.force_login(people.admin)
    return client


def data(**overrides: str) -> dict[str, str]:
    return {
        "service_manager_decision_days": "10",
        "group_decision_days": "20",
        "feedback_letter_days": "5",
        "accuracy_check_days": "10",
        "reminder_lead_days": "3",
        "version": "1",
        **overrides,
    }


def holiday(people, day: datetime.date, name: str) -> LocalHoliday:
    return LocalHoliday.objects.create(organisation=people.org, date=day, name=name)


# Who may see the pages


@pytest.mark.parametrize("who", ["worker", "service_manager", "cfcig_chair", "auditor"])
@pytest.mark.parametrize("page", PAGES)
def test_only_an_administrator_sees_the_pages(client, people, who, page):
    client.force_login(getattr(people, who))
    assert client.get(reverse(page)).status_code == 404
    client.force_login(people.admin)
    assert client.get(reverse(page)).status_code == 200


def test_another_organisations_administrator_cannot_remove_this_ones_holidays(client, people):
    theirs = make_user(people.outsider_org, "oona", "Oona Elsewhere", (Role.ADMINISTRATOR, None))
    mine = holiday(people, D(2099, 9, 28), "Fictional Games Day")
    client.force_login(theirs)
    response = client.post(reverse("manage:local_holiday_remove", args=[mine.pk]))
    assert response.status_code == 404
    assert LocalHoliday.objects.filter(pk=mine.pk).exists()
    assert (
        "Fictional Games" not in client.get(reverse("manage:local_holiday_list")).content.decode()
    )
    with pytest.raises(NotAllowed):
        services.local_holiday_remove(by=theirs, holiday=mine)


def test_services_refuse_anyone_but_an_administrator(people):
    with pytest.raises(NotAllowed):
        services.local_holiday_add(by=people.service_manager, date=D(2099, 1, 5), name="A day")
    with pytest.raises(NotAllowed):
        services.timescales_update(
            by=people.service_manager, version=1, **dict.fromkeys(services.TIMESCALES, 5)
        )


# Timescales


def test_the_protocols_examples_are_the_defaults(admin_client, people):
    org = people.org
    assert (
        org.service_manager_decision_days,
        org.group_decision_days,
        org.feedback_letter_days,
        org.accuracy_check_days,
        org.reminder_lead_days,
    ) == (10, 20, 5, 10, 3)
    page = admin_client.get(reverse("manage:timescales")).content.decode()
    assert page.count("<h1") == 1 and 'name="group_decision_days"' in page and 'value="20"' in page


def test_saving_timescales_changes_them_and_is_audited(admin_client, people):
    response = admin_client.post(
        reverse("manage:timescales"), data(group_decision_days="15", reminder_lead_days="0")
    )
    assert response.status_code == 302
    org = Organisation.objects.get(pk=people.org.pk)
    assert (org.group_decision_days, org.reminder_lead_days, org.timescales_version) == (15, 0, 2)
    event = AuditEvent.objects.get(action="organisation.timescales_updated")
    assert event.changes == {"group_decision_days": [20, 15], "reminder_lead_days": [3, 0]}
    assert "timescales have been saved" in admin_client.get(response.url).content.decode()


def test_saving_the_same_timescales_changes_nothing(admin_client, people):
    admin_client.post(reverse("manage:timescales"), data())
    assert Organisation.objects.get(pk=people.org.pk).timescales_version == 1
    assert not AuditEvent.objects.filter(action="organisation.timescales_updated").exists()


@pytest.mark.parametrize(
    ("field", "typed", "message"),
    [
        ("group_decision_days", "", "Enter a number of working days"),
        ("group_decision_days", "0", "from 1 to 60"),
        ("feedback_letter_days", "61", "from 1 to 60"),
        ("accuracy_check_days", "ten", "Enter a whole number of working days, like 10"),
        ("accuracy_check_days", "2.5", "Enter a whole number of working days, like 10"),
        ("reminder_lead_days", "-1", "from 0 to 20"),
        ("reminder_lead_days", "99999999999999999999", "Enter a whole number"),
    ],
)
def test_a_bad_timescale_is_explained_beside_its_field_and_nothing_is_saved(
    admin_client, people, field, typed, message
):
    response = admin_client.post(
        reverse("manage:timescales"), data(service_manager_decision_days="12", **{field: typed})
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page and f'id="id_{field}-error"' in page
    assert message in page
    assert 'value="12"' in page
    assert Organisation.objects.get(pk=people.org.pk).service_manager_decision_days == 10


def test_a_stale_save_is_a_conflict_that_keeps_what_was_typed(admin_client, people):
    admin_client.post(reverse("manage:timescales"), data(group_decision_days="15"))
    response = admin_client.post(
        reverse("manage:timescales"), data(group_decision_days="25", version="1")
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "Someone else changed the timescales" in page
    assert "decision: “15”" in page
    assert 'value="25"' in page and 'name="version" value="2"' in page
    assert Organisation.objects.get(pk=people.org.pk).group_decision_days == 15


def test_a_save_without_a_version_is_a_conflict(admin_client, people):
    posted = data(group_decision_days="25")
    del posted["version"]
    response = admin_client.post(reverse("manage:timescales"), posted)
    assert "Someone else changed the timescales" in response.content.decode()
    assert Organisation.objects.get(pk=people.org.pk).group_decision_days == 20


# Local holidays


def test_the_list_shows_upcoming_then_past_holidays_in_constant_queries(
    admin_client, people, django_assert_max_num_queries
):
    holiday(people, D(2001, 9, 24), "Autumn holiday 2001")
    holiday(people, D(2099, 9, 28), "Autumn holiday 2099")
    LocalHoliday.objects.create(organisation=people.outsider_org, date=D(2099, 1, 5), name="Theirs")
    with django_assert_max_num_queries(12) as counted:
        page = admin_client.get(reverse("manage:local_holiday_list")).content.decode()
    for year in range(2060, 2080):
        holiday(people, D(year, 4, 7), f"Spring holiday {year}")
    with django_assert_max_num_queries(len(counted.captured_queries)):
        admin_client.get(reverse("manage:local_holiday_list"))
    assert page.index("Coming up") < page.index("Monday 28 September 2099")
    assert page.index("Add a local holiday") < page.index("Past") < page.index("2001")
    assert "Theirs" not in page


def test_adding_a_holiday_saves_and_audits_it_and_it_stops_being_a_working_day(
    admin_client, people
):
    response = admin_client.post(
        reverse("manage:local_holiday_add"),
        {"date_0": "28", "date_1": "9", "date_2": "2026", "name": "Autumn holiday Monday"},
    )
    assert response.status_code == 302
    assert organisation_holidays(people.org.pk) == frozenset({D(2026, 9, 28)})
    assert organisation_holidays(people.outsider_org.pk) == frozenset()
    event = AuditEvent.objects.get(action="organisation.local_holiday_added")
    assert event.changes == {"date": "2026-09-28", "name": "Autumn holiday Monday"}
    friday = D(2026, 9, 25)
    assert add_working_days(friday, 1, organisation_holidays(people.org.pk)) == D(2026, 9, 29)


@pytest.mark.parametrize(
    ("posted", "field", "message"),
    [
        ({"date_0": "", "date_1": "", "date_2": ""}, "date", "Enter date of the holiday"),
        ({"date_0": "31", "date_1": "2", "date_2": "2026"}, "date", "must be a real date"),
        ({"date_0": "28", "date_1": "", "date_2": "2026"}, "date", "must include a month"),
        ({"name": ""}, "name", "Enter the name of the holiday"),
        ({"date_0": "5", "date_1": "1", "date_2": "2099"}, "date", "already a local holiday"),
    ],
)
def test_a_bad_holiday_is_explained_beside_its_field_and_what_was_typed_is_kept(
    admin_client, people, posted, field, message
):
    holiday(people, D(2099, 1, 5), "Winter holiday")
    typed = {"date_0": "28", "date_1": "9", "date_2": "2026", "name": "Typed name", **posted}
    response = admin_client.post(reverse("manage:local_holiday_add"), typed)
    assert response.status_code == 200
    page = response.content.decode()
    assert f'id="id_{field}-error"' in page and message in page
    assert ('value="Typed name"' in page) is (typed["name"] == "Typed name")
    assert ('name="date_2" value="2026"' in page) is (typed["date_2"] == "2026")
    assert LocalHoliday.objects.filter(organisation=people.org).count() == 1


def test_removing_a_holiday_deletes_and_audits_it_and_again_is_404(admin_client, people):
    day = holiday(people, D(2099, 9, 28), "Autumn holiday Monday")
    url = reverse("manage:local_holiday_remove", args=[day.pk])
    assert admin_client.post(url).status_code == 302
    assert organisation_holidays(people.org.pk) == frozenset()
    event = AuditEvent.objects.get(action="organisation.local_holiday_removed")
    assert event.summary == "Removed the local holiday “Autumn holiday Monday” on 28/09/2099"
    assert admin_client.post(url).status_code == 404
    assert admin_client.get(url).status_code == 405


def test_the_service_itself_refuses_a_timescale_out_of_bounds(people):
    days = dict.fromkeys(services.TIMESCALES, 5)
    with pytest.raises(services.Invalid, match="from 0 to 20") as refused:
        services.timescales_update(by=people.admin, version=1, **{**days, "reminder_lead_days": 21})
    assert refused.value.field == "reminder_lead_days"
    assert Organisation.objects.get(pk=people.org.pk).reminder_lead_days == 3
