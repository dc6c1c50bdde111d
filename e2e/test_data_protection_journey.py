"""Data protection in a real browser without JavaScript, every page through `check_page` (axe,
failed requests, console), from the keyboard: the administrator changes the retention schedule
(a mistake shown beside its field first); the auditor finds a child's referral and downloads
the subject access export."""

import json
import zipfile

import pytest
from playwright.sync_api import Locator, Page, expect

from e2e.conftest import check_page, forget_problems, sign_in
from learning_reviews.referrals.models import Status
from learning_reviews.retention.models import RetentionPeriod


def follow(page: Page, target: Locator) -> None:
    """Activate a link or button from the keyboard and check the page it leads to."""
    target.focus()
    with page.expect_navigation():
        target.press("Enter")
    check_page(page)


@pytest.mark.e2e
def test_the_administrator_changes_the_retention_schedule(open_page, people):
    admin = open_page(javascript=False)
    sign_in(admin, people.admin)
    admin.goto("/manage/")
    check_page(admin)
    follow(admin, admin.get_by_role("link", name="Retention schedule"))
    expect(admin.get_by_role("heading", level=1)).to_contain_text("Retention schedule")
    field = admin.get_by_label("Supervision notes")
    expect(field).to_have_value("6")

    field.fill("0")
    follow(admin, admin.get_by_role("button", name="Save retention schedule"))
    expect(admin.locator("#id_supervision_note-error")).to_contain_text("from 1 to 100")
    admin.get_by_label("Supervision notes").fill("8")
    follow(admin, admin.get_by_role("button", name="Save retention schedule"))
    expect(admin.get_by_text("The retention schedule has been saved.")).to_be_visible()
    assert RetentionPeriod.objects.get(organisation=people.org).period == 8


@pytest.mark.e2e
def test_the_auditor_downloads_a_subject_access_export(open_page, people, make_referral):
    referral = make_referral(Status.AGREED)
    auditor = open_page(javascript=False)
    sign_in(auditor, people.auditor)
    follow(auditor, auditor.get_by_role("link", name="Subject access"))
    auditor.get_by_label("SWIS number").fill("5120448")
    follow(auditor, auditor.get_by_role("button", name="Search"))
    expect(auditor.get_by_label(f"{referral.reference}: Zara Quinn", exact=False)).to_be_checked()

    with auditor.expect_download() as download_info:
        auditor.get_by_role("button", name="Download subject access export").click()
    download = download_info.value
    forget_problems(auditor)  # the browser reports a download as an aborted navigation
    with zipfile.ZipFile(download.path()) as archive:
        case = json.loads(archive.read(f"{referral.reference}/case.json"))
    assert [r["child_name"] for r in case["referrals.referral"]] == ["Zara Quinn"]
