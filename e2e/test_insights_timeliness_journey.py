"""The timeliness, outcomes and routed-elsewhere dashboards in a real browser, with and without
JavaScript: the group's chair opens each from the dashboards' section links, reads the tables
and downloads the oldest open items as CSV. Every page goes through `check_page` (axe, failed
requests, the GOV.UK font, console errors)."""

import csv
import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import check_page, forget_problems, screenshot, sign_in
from learning_reviews.referrals.models import Referral, Status
from learning_reviews.referrals.testing import CaseContent
from learning_reviews.triage.services import review_types_install_defaults


def follow_link(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).click()
    check_page(page)


@pytest.mark.e2e
@pytest.mark.parametrize("javascript", [True, False])
def test_the_chair_reads_timeliness_outcomes_and_the_register(
    open_page, people, make_referral, javascript
):
    waiting = make_referral(
        Status.WITH_SERVICE_MANAGER, content=CaseContent(child_name="Kayden Moss")
    )
    assert Referral.objects.get(pk=waiting.pk).child_name == "Kayden Moss"
    review_types_install_defaults(organisation=people.org, by=people.admin)
    page = open_page(javascript=javascript)
    sign_in(page, people.cfcig_chair)
    follow_link(page, "Insights")
    follow_link(page, "Timeliness")

    timeliness = page.locator("#timeliness")
    row = timeliness.get_by_role("row", name="The Service Manager's decision")
    expect(row).to_contain_text("1")  # open today
    oldest = page.locator("#oldest")
    expect(oldest).to_contain_text(waiting.reference)
    expect(oldest).to_contain_text("due in 10 working days")
    expect(page.locator("main")).not_to_contain_text("Kayden Moss")
    if javascript:
        screenshot(page, "insights-timeliness")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the oldest open items (CSV)").click()
    download = download_info.value
    forget_problems(page)  # the browser reports a download as an aborted navigation
    assert download.suggested_filename.startswith("oldest-open-items-")
    rows = list(csv.reader(io.StringIO(Path(download.path()).read_text("utf-8-sig"))))
    assert rows[1][:2] == ["The Service Manager's decision", waiting.reference]

    follow_link(page, "Outcomes")
    expect(page.locator("#outcomes").get_by_role("row", name="Actions open today")).to_contain_text(
        "0"
    )
    expect(page.locator("#dissemination")).to_contain_text("The wider workforce")

    follow_link(page, "Routed elsewhere")
    page.get_by_label("Referring worker's team").select_option(label=people.team.name)
    with page.expect_navigation():
        page.get_by_role("button", name="Show figures").click()
    check_page(page)
    expect(page.locator("#dashboard-scope")).to_contain_text(people.team.name)
    expect(
        page.locator("#register").get_by_role("row", name="Significant Case Review")
    ).to_contain_text("0")
