"""The themes dashboard in a real browser, with and without JavaScript: the improvement group's
chair opens it from the pathway dashboard's section links, chooses the dates the reviews were
presented, reads the heatmap's table and downloads the yearly summary as a PDF. Every page goes
through `check_page` (axe, failed requests, the GOV.UK font, console errors)."""

import io
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect
from pypdf import PdfReader

from e2e.conftest import check_page, forget_problems, screenshot, sign_in
from learning_reviews.insights.tests.themes_data import CHILDREN, build_themes


def follow_link(page: Page, name: str) -> None:
    with page.expect_navigation():
        page.get_by_role("link", name=name, exact=True).click()
    check_page(page)


def fill_date(page: Page, legend: str, day: str, month: str, year: str) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(day)
    group.get_by_label("Month").fill(month)
    group.get_by_label("Year").fill(year)


@pytest.mark.e2e
@pytest.mark.parametrize("javascript", [True, False])
def test_the_chair_reads_the_themes_and_downloads_the_yearly_summary(open_page, people, javascript):
    build_themes(people)
    page = open_page(javascript=javascript)
    sign_in(page, people.cfcig_chair)
    follow_link(page, "Insights")
    follow_link(page, "Themes")

    fill_date(page, "Presented from", "1", "1", "2025")
    fill_date(page, "Presented to", "31", "12", "2026")
    with page.expect_navigation():
        page.get_by_role("button", name="Show figures").click()
    check_page(page)
    heatmap = page.locator("#heatmap")
    expect(heatmap.get_by_role("columnheader", name="2025")).to_be_visible()
    expect(heatmap.get_by_role("row", name="Reviews presented")).to_contain_text("2")
    factor = heatmap.get_by_role("row", name="Inter-agency/inter-professional team factors")
    expect(factor).to_contain_text("2")
    expect(factor.locator(".app-heat-4")).to_have_text("2")
    expect(
        page.locator("#sub-factors").get_by_role("row", name="Workload pressure")
    ).to_contain_text("3")
    if javascript:
        screenshot(page, "themes")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Summary of 2025 (PDF)").click()
    download = download_info.value
    forget_problems(page)  # the browser reports a download as an aborted navigation
    assert download.suggested_filename == "learning-reviews-summary-2025.pdf"
    pages = PdfReader(io.BytesIO(Path(download.path()).read_bytes())).pages
    text = " ".join(" ".join(p.extract_text().split()) for p in pages)
    assert "Learning Reviews: summary of 2025" in text
    assert "Workload pressure 2" in text
    for name, _swis in CHILDREN.values():
        assert name not in text
