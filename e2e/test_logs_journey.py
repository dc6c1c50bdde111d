"""The logs of a whole journey name no child and no one's e-mail address (issue 12, Done when).

Every log record of every logger, written by the service's own filter and JSON formatter (the
service's loggers at DEBUG), is captured while a referral goes, in the browser, from a worker
who starts it with a fictional child's name and SWIS No. through supervision, signatures and
the Service Manager's agreement to the improvement group's decision, with downloads on the way,
a sign-in refused for a username that is an e-mail address, and an address whose query string
names the child. Then: the log holds request lines, each with a request id, and nowhere the
child's name, the family's names, the SWIS No. or anyone's e-mail address.
"""

import datetime
import json
import re
from urllib.parse import urljoin

import pytest
from playwright.sync_api import Page, expect

from e2e.conftest import check_page, forget_problems, sign_in
from e2e.test_group_meeting import open_item, open_meeting
from e2e.test_referral_journey import (
    TASK_LIST,
    complete_every_section,
    fill_date,
    follow,
    heading,
    open_referral,
    referral_pk,
    status_tag,
)
from learning_reviews.core.logs import EMAIL
from learning_reviews.core.tests.logs_capture import captured_logs
from learning_reviews.referrals.models import Status

# What complete_every_section types: the child, their SWIS No., their family and a teacher.
NEVER_LOGGED = [
    "Zara",
    "Quinn",
    "5120448",
    "Lauren",
    "Michael",
    "Ewan Dalgleish",
    "Priya Sandhu",
]


def download(page: Page, link_name: str) -> bytes:
    link = page.get_by_role("link", name=link_name)
    response = page.request.get(urljoin(page.url, link.get_attribute("href")))
    assert response.status == 200, link_name
    return response.body()


def refuse_a_sign_in_by_e_mail_address(page: Page, address: str) -> None:
    page.goto("/sign-in/")
    page.get_by_label("Username").fill(address)
    page.get_by_label("Password", exact=True).fill("not the password")
    page.get_by_role("button", name="Sign in").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    forget_problems(page)  # the refusal answers with an error status, as it should


@pytest.mark.e2e
def test_the_logs_of_a_referral_to_the_group_s_decision_name_no_child_and_no_address(
    open_page, people, tmp_path
):
    plan_pdf = tmp_path / "childs-plan.pdf"
    plan_pdf.write_bytes(b"%PDF-1.4\n% fictional Child's Plan Form 1\n%%EOF\n")
    today = datetime.date.today()
    with captured_logs() as lines:
        # A username that is an e-mail address, refused.
        worker = open_page()
        refuse_a_sign_in_by_e_mail_address(worker, people.worker.email)

        # The worker starts the referral for Zara Quinn, SWIS No. 5120448, and downloads.
        sign_in(worker, people.worker, through_the_form=True)
        follow(worker, worker.get_by_role("button", name="Start a Learning Review referral"))
        worker.get_by_label("Service/Team").select_option(label=people.team.name)
        follow(worker, worker.get_by_role("button", name="Start the referral form"))
        expect(heading(worker)).to_have_text(TASK_LIST)
        reference = f"LR-{referral_pk(worker):05d}"
        complete_every_section(worker, plan_pdf)
        follow(worker, worker.get_by_role("button", name="Check your answers"))
        assert download(worker, "childs-plan.pdf") == plan_pdf.read_bytes()
        # A search that names the child, as a bookmarked address might.
        worker.goto("/referrals/?q=Zara+Quinn&swis=5120448")
        check_page(worker)

        # Supervision, both signatures, and the Service Manager agrees.
        line_manager = open_page()
        sign_in(line_manager, people.line_manager)
        open_referral(line_manager, reference)
        follow(line_manager, line_manager.get_by_role("button", name="Record the supervision"))
        fill_date(line_manager, "Date of the supervision discussion", 18, 3, 2025)
        line_manager.get_by_label("Supervision note").fill("Agreed to recommend a review.")
        follow(line_manager, line_manager.get_by_role("button", name="Record the discussion"))
        open_referral(worker, reference)
        follow(worker, worker.get_by_role("button", name="Sign the referral form as the worker"))
        worker.get_by_label("I confirm the information in this form is accurate").check()
        follow(worker, worker.get_by_role("button", name="Sign the form"))
        open_referral(line_manager, reference)
        follow(line_manager, line_manager.get_by_role("button", name="Sign and recommend a review"))
        line_manager.get_by_role("combobox").select_option(label=people.service_manager.full_name)
        line_manager.get_by_label("I have read the completed form and sign it").check()
        follow(line_manager, line_manager.get_by_role("button", name="Sign and recommend"))
        manager = open_page()
        sign_in(manager, people.service_manager)
        open_referral(manager, reference)
        follow(manager, manager.get_by_role("button", name="Agree the case meets the criteria"))
        manager.get_by_label("Yes, the case meets the criteria").check()
        follow(manager, manager.get_by_role("button", name="Record the decision"))
        expect(status_tag(manager)).to_have_text(Status.AGREED.label)

        # The group: the chair plans the meeting, a member records YES, the chair confirms.
        chair = open_page()
        sign_in(chair, people.cfcig_chair)
        follow(chair, chair.get_by_role("link", name="Improvement group", exact=True))
        follow(chair, chair.get_by_role("button", name="Plan a meeting"))
        fill_date(chair, "Date of the meeting", today.day, today.month, today.year)
        chair.get_by_label("Place").fill("Room 2, Municipal Buildings")
        follow(chair, chair.get_by_role("button", name="Plan the meeting"))
        member = open_page()
        sign_in(member, people.cfcig_member)
        open_meeting(member)
        open_item(member, reference)
        follow(member, member.get_by_role("button", name="Record the decision"))
        fill_date(member, "Date discussed", today.day, today.month, today.year)
        member.get_by_label("Yes — proceed to a Learning Review").check()
        member.get_by_label("Rationale").fill("A pattern of emergency moves.")
        member.get_by_label("The referral meets the criteria for a Learning Review").check()
        member.get_by_label(
            "A review would benefit the relevant team, service or organisation"
        ).check()
        member.get_by_label("Key objectives of the Review").fill("Understand each move.")
        member.get_by_label("Lead Reviewer", exact=True).select_option(label="Aileen Forbes")
        fill_date(member, "Timescale for completion", 1, 7, today.year + 1)
        member.get_by_label("The necessary support and resources are in place").check()
        follow(member, member.get_by_role("button", name="Save the decision"))
        open_meeting(chair)
        open_item(chair, reference)
        follow(chair, chair.get_by_role("button", name="Confirm the decision"))
        expect(chair.locator(".govuk-notification-banner")).to_contain_text("Decision confirmed")

        # The worker downloads the form; the auditor sees that download on their page.
        open_referral(worker, reference)
        expect(status_tag(worker)).to_have_text(Status.REVIEW_COMMISSIONED.label)
        assert download(worker, "Download the referral form (PDF)").startswith(b"%PDF-")
        auditor = open_page()
        sign_in(auditor, people.auditor)
        follow(auditor, auditor.get_by_role("link", name="Exports and downloads"))
        table = auditor.locator("main table")
        expect(table).to_contain_text("Downloaded the referral form as PDF")
        expect(table).to_contain_text(people.worker.full_name)
        expect(table).not_to_contain_text("Zara")

    logged = lines()
    text = json.dumps(logged, ensure_ascii=False)
    requests = [line for line in logged if line["logger"] == "learning_reviews.request"]
    assert len(requests) > 50, "too few request lines: is the request log written?"
    assert all(re.fullmatch(r"[0-9a-f]{32}", line["request_id"]) for line in requests)
    assert len({line["request_id"] for line in requests}) == len(requests)
    assert {line["user_id"] for line in requests if "user_id" in line} >= {
        people.worker.pk,
        people.cfcig_chair.pk,
        people.auditor.pk,
    }
    found = [word for word in NEVER_LOGGED if word in text]
    assert found == [], f"the log names {found}"
    assert EMAIL.findall(text) == [], "the log holds an e-mail address"
    # Nor did the last net have to catch one: nothing in the journey logs an address or number.
    assert "[e-mail removed]" not in text
    assert "[number removed]" not in text
