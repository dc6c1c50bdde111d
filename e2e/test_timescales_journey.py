"""An administrator sets the organisation's timescales and adds a local holiday, in a real
browser without JavaScript: every page through `check_page` (axe, failed requests, console),
a mistake shown beside its field first."""

import datetime

import pytest
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import check_page, sign_in
from learning_reviews.accounts.models import LocalHoliday, Organisation


def follow(page: Page, target: Locator) -> None:
    """Activate a link or button from the keyboard and check the page it leads to."""
    target.focus()
    with page.expect_navigation():
        target.press("Enter")
    check_page(page)


@pytest.mark.e2e
def test_the_administrator_sets_timescales_and_adds_a_local_holiday(open_page, people):
    admin = open_page(javascript=False)
    sign_in(admin, people.admin)
    admin.goto("/manage/")
    follow(admin, admin.get_by_role("link", name="Timescales and local holidays"))
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Timescales")

    admin.get_by_label("Improvement group's decision").fill("0")
    follow(admin, admin.get_by_role("button", name="Save timescales"))
    expect(admin.locator("#id_group_decision_days-error")).to_contain_text("from 1 to 60")
    admin.get_by_label("Improvement group's decision").fill("15")
    follow(admin, admin.get_by_role("button", name="Save timescales"))
    expect(admin.get_by_text("The timescales have been saved.")).to_be_visible()
    assert Organisation.objects.get(pk=people.org.pk).group_decision_days == 15

    follow(admin, admin.get_by_role("link", name="your local holidays"))
    expect(admin.get_by_text("There are no local holidays coming up.")).to_be_visible()
    year = datetime.date.today().year + 1
    admin.get_by_label("Day", exact=True).fill("21")
    admin.get_by_label("Month", exact=True).fill("9")
    admin.get_by_label("Year", exact=True).fill(str(year))
    follow(admin, admin.get_by_role("button", name="Add local holiday"))
    expect(admin.locator("#id_name-error")).to_contain_text("Enter the name of the holiday")
    admin.get_by_label("Name of the holiday").fill("Autumn local holiday")
    follow(admin, admin.get_by_role("button", name="Add local holiday"))
    expect(admin.get_by_role("row", name="Autumn local holiday")).to_be_visible()
    assert LocalHoliday.objects.get(organisation=people.org).date == datetime.date(year, 9, 21)

    follow(admin, admin.get_by_role("button", name="Remove Autumn local holiday"))
    expect(admin.get_by_text("There are no local holidays coming up.")).to_be_visible()
