"""The dashboards in a real browser, with and without JavaScript: the Service Manager opens them
from the navigation, filters by team, reads the funnel's table and downloads it as CSV. Every
page goes through `check_page` (axe, failed requests, the GOV.UK font, console errors)."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import check_page, forget_problems, screenshot, sign_in
from learning_reviews.referrals.models import Status


def follow_link(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).click()
    check_page(page)


@pytest.mark.e2e
@pytest.mark.parametrize("javascript", [True, False])
def test_the_service_manager_reads_and_downloads_the_pathway_funnel(
    open_page, people, make_referral, javascript
):
    make_referral(Status.AGREED)
    make_referral(Status.DRAFT)
    make_referral(
        Status.DRAFT,
        worker=people.other_worker,
        line_manager=people.other_line_manager,
        team=people.other_team,
    )
    page = open_page(javascript=javascript)
    sign_in(page, people.service_manager)
    follow_link(page, "Insights")
    funnel = page.locator("#funnel")
    expect(funnel.get_by_role("row", name="Referrals started")).to_contain_text("3")
    expect(funnel.get_by_role("row", name="Agreed by the Service Manager")).to_contain_text("1")
    if javascript:
        screenshot(page, "dashboards")

    page.get_by_label("Referring worker's team").select_option(label=people.other_team.name)
    with page.expect_navigation():
        page.get_by_role("button", name="Show figures").click()
    check_page(page)
    expect(page.locator("#dashboard-scope")).to_contain_text(people.other_team.name)
    expect(funnel.get_by_role("row", name="Referrals started")).to_contain_text("1")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the pathway funnel (CSV)").click()
    download = download_info.value
    forget_problems(page)  # the browser reports a download as an aborted navigation
    assert download.suggested_filename.startswith("pathway-funnel-")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text("utf-8-sig"))))
    assert rows[1] == ["Referrals started", "1", "", ""]
