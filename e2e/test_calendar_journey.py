"""A person makes their calendar link on "Your account", their calendar fetches it, and once
they revoke it the link answers 404. Every page goes through `check_page` (axe and more)."""

from urllib.parse import urlsplit

import icalendar
import pytest
from django.utils import timezone
from playwright.sync_api import expect

from e2e.conftest import check_page, sign_in
from learning_reviews.improvement_group import services as group_services


@pytest.mark.e2e
def test_a_person_makes_fetches_and_revokes_their_calendar_link(page, people):
    member = people.cfcig_member
    meeting = group_services.meeting_create(
        by=member, date=timezone.localdate(), place="Room 2", attendees=[member]
    )
    sign_in(page, member)
    page.goto("/account/")
    check_page(page)
    page.get_by_role("link", name="Add your deadlines").click()
    check_page(page)
    page.get_by_role("button", name="Make a calendar link").click()
    check_page(page)
    link = page.get_by_label("Calendar link").input_value()
    expect(page.locator("main")).to_contain_text("Subscribe from web")

    path = urlsplit(link).path
    feed = page.request.get(path)
    assert feed.status == 200
    assert feed.headers["content-type"] == "text/calendar; charset=utf-8"
    events = icalendar.Calendar.from_ical(feed.body()).walk("VEVENT")
    assert [str(e["uid"]).split("@")[0] for e in events] == [f"meeting-{meeting.pk}"]

    page.get_by_role("button", name="Revoke your calendar link").click()
    check_page(page)
    expect(page.locator("main")).to_contain_text("You have no calendar link.")
    assert page.request.get(path).status == 404
