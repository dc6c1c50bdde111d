"""The referral pathway (§3 steps 0–3) in a real browser, one person per browser context.

Every page visited goes through `check_page` (axe, failed requests, the GOV.UK font, console
errors). Content is fictional, after shared/examples/worked-case.md.
"""

import re
from urllib.parse import urljoin, urlparse

import pytest
from playwright.sync_api import Locator, Page, expect

from conftest import PASSWORD
from e2e.conftest import check_page, on_my_tasks, screenshot, sign_in
from learning_reviews.referrals.models import Status

TASK_LIST = "Learning Review Referral Form"


def follow(page: Page, target: Locator) -> None:
    """Activate a link or button, as a keyboard user would, and check the page it leads to."""
    target.focus()
    with page.expect_navigation():
        target.press("Enter")
    check_page(page)


def visit(page: Page, path: str) -> None:
    page.goto(path)
    check_page(page)


def heading(page: Page) -> Locator:
    return page.get_by_role("heading", level=1)


def fill_date(page: Page, legend: str, day: int, month: int, year: int) -> None:
    group = page.get_by_role("group", name=legend)
    group.get_by_label("Day").fill(str(day))
    group.get_by_label("Month").fill(str(month))
    group.get_by_label("Year").fill(str(year))


def open_section(page: Page, title: str) -> None:
    follow(page, page.get_by_role("link", name=title, exact=True))
    expect(heading(page)).to_have_text(title)


def save_section(page: Page, key: str) -> None:
    follow(page, page.get_by_role("button", name="Save and continue"))
    expect(heading(page)).to_have_text(TASK_LIST)
    expect(page.locator(f"#task-{key}-status")).to_have_text("Completed")


def add_to_list(page: Page, title: str) -> None:
    follow(page, page.get_by_role("button", name="Add to the list"))
    expect(heading(page)).to_have_text(title)


def referral_pk(page: Page) -> int:
    match = re.search(r"/referrals/(\d+)/", page.url)
    assert match, page.url
    return int(match.group(1))


def open_referral(page: Page, reference: str) -> None:
    """From anywhere, through the Referrals list, to the referral's page."""
    follow(page, page.get_by_role("link", name="Referrals", exact=True))
    follow(page, page.get_by_role("link", name=re.compile(reference)))
    expect(heading(page)).to_have_text("Learning Review referral")


def status_tag(page: Page) -> Locator:
    return page.locator("main p.govuk-body strong.govuk-tag").first


def complete_every_section(page: Page, plan_pdf) -> None:
    """The worker's part of Appendix 3, section by section from the task list."""
    open_section(page, "About you and your team")
    page.get_by_label("Name of person completing this Report").fill("Megan Cross")
    save_section(page, "about")

    open_section(page, "Where the need was identified")
    page.get_by_label("Review meeting").check()
    fill_date(page, "Date it was identified", 11, 3, 2025)
    save_section(page, "identified")

    # A required field left empty: the error is summarised and shown beside the field, and
    # what was typed is still there.
    open_section(page, "The child or young person")
    page.get_by_label("Name of Child or Young Person").fill("Zara Quinn")
    follow(page, page.get_by_role("button", name="Save and continue"))
    expect(page).to_have_title(re.compile(r"^Error: "))
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("There is a problem")
    expect(summary.get_by_role("link", name="Enter the SWIS No.")).to_be_visible()
    expect(page.locator("#id_swis_number-error")).to_contain_text("Enter the SWIS No.")
    expect(page.get_by_label("Name of Child or Young Person")).to_have_value("Zara Quinn")
    summary.get_by_role("link", name="Enter the SWIS No.").click()
    expect(page.get_by_label("SWIS No.")).to_be_focused()
    page.get_by_label("SWIS No.").fill("5120448")
    save_section(page, "child")

    title = "Parents, carers and household"
    open_section(page, title)
    page.get_by_label("Name of Parents/Carers").fill(
        "Lauren Quinn (mother); Michael Quinn (father, not in contact)"
    )
    page.get_by_label("Name", exact=True).fill("Ewan Dalgleish (16)")
    page.get_by_label("Relationship to the child").fill("Foster carers' son")
    add_to_list(page, title)
    expect(page.locator("main dl.govuk-summary-list")).to_contain_text("Ewan Dalgleish (16)")
    save_section(page, "household")

    title = "Other agencies involved"
    open_section(page, title)
    page.get_by_label("Agency", exact=True).fill("Education")
    page.get_by_label("Professional's name").fill("Ms Priya Sandhu")
    page.get_by_label("Discipline").fill("Class teacher")
    add_to_list(page, title)
    expect(page.locator("main dl.govuk-summary-list")).to_contain_text("Ms Priya Sandhu")
    page.get_by_label("Upload the Child's Plan Form 1").set_input_files(plan_pdf)
    save_section(page, "agencies")

    open_section(page, "Grounds for a Learning Review")
    page.get_by_label("Placement breakdown e.g. fostering and residential placements").check()
    page.get_by_label("Concerns about apparent lack of progress").check()
    save_section(page, "grounds")

    open_section(page, "Brief description of the circumstances")
    page.get_by_label("Brief description of the circumstances of the Case").fill(
        "Zara became looked after away from home in January 2024. Three foster placements "
        "have ended unplanned since."
    )
    save_section(page, "circumstances")

    # Two chronology entries, the later one first: the table shows them in date order.
    title = "Key facts, background and chronology"
    open_section(page, title)
    page.get_by_label("Key Facts/Background to the Case").fill(
        "Three unplanned placement endings in 14 months, each an emergency move."
    )
    fill_date(page, "Date of the event", 3, 10, 2024)
    page.get_by_label("Event", exact=True).fill("Carers B end placement after an incident")
    page.get_by_label("Source").fill("LAC review minute")
    add_to_list(page, title)
    fill_date(page, "Date of the event", 15, 1, 2024)
    page.get_by_label("Event", exact=True).fill("Accommodated (s.25) with foster carers A")
    page.get_by_label("Source").fill("SWIS case note")
    add_to_list(page, title)
    rows = page.locator("main table.govuk-table tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("15 January 2024")
    expect(rows.nth(1)).to_contain_text("3 October 2024")
    save_section(page, "background")

    title = "Reasons a Learning Review is requested"
    open_section(page, title)
    for reason in ("Three unplanned endings in 14 months", "Each move was an emergency"):
        page.get_by_label("Reason", exact=True).fill(reason)
        add_to_list(page, title)
    expect(page.locator("main ol.govuk-list--number > li")).to_have_count(2)
    save_section(page, "reasons")


@pytest.mark.e2e
def test_a_referral_goes_from_the_worker_to_agreed_by_the_service_manager(
    open_page, people, tmp_path
):
    plan_pdf = tmp_path / "childs-plan.pdf"
    plan_pdf.write_bytes(b"%PDF-1.4\n% fictional Child's Plan Form 1\n%%EOF\n")

    worker = open_page()
    sign_in(worker, people.worker, through_the_form=True)
    follow(worker, worker.get_by_role("button", name="Start a Learning Review referral"))
    worker.get_by_label("Service/Team").select_option(label=people.team.name)
    follow(worker, worker.get_by_role("button", name="Start the referral form"))
    expect(heading(worker)).to_have_text(TASK_LIST)
    pk = referral_pk(worker)
    reference = f"LR-{pk:05d}"

    complete_every_section(worker, plan_pdf)
    expect(worker.locator("main")).to_contain_text("You have completed 9 of 9 sections")
    task_list_png = screenshot(worker, "task-list")

    follow(worker, worker.get_by_role("button", name="Check your answers"))
    answers = worker.locator("main")
    for answer in (
        "Megan Cross",
        people.team.name,
        people.line_manager.full_name,
        "Review meeting",
        "11 March 2025",
        "Zara Quinn",
        "5120448",
        "Lauren Quinn (mother); Michael Quinn (father, not in contact)",
        "Ewan Dalgleish (16) — Foster carers' son",
        "Education — Ms Priya Sandhu, Class teacher",
        "Placement breakdown e.g. fostering and residential placements",
        "Concerns about apparent lack of progress in progressing the child's plan",
        "Three foster placements have ended unplanned since.",
        "Three unplanned placement endings in 14 months, each an emergency move.",
        "Accommodated (s.25) with foster carers A",
        "Carers B end placement after an incident",
        "Three unplanned endings in 14 months",
        "Each move was an emergency",
    ):
        expect(answers).to_contain_text(answer)
    plan_link = answers.get_by_role("link", name="childs-plan.pdf")
    response = worker.request.get(urljoin(worker.url, plan_link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body() == plan_pdf.read_bytes()
    events = answers.locator("table.govuk-table tbody tr")
    expect(events.nth(0)).to_contain_text("15 January 2024")
    expect(events.nth(1)).to_contain_text("3 October 2024")
    reasons = answers.locator("ol.govuk-list--number > li")
    expect(reasons).to_have_text(
        ["Three unplanned endings in 14 months", "Each move was an emergency"]
    )

    # §3.1: the line manager records the supervision discussion.
    line_manager = open_page()
    sign_in(line_manager, people.line_manager)
    open_referral(line_manager, reference)
    follow(line_manager, line_manager.get_by_role("button", name="Record the supervision"))
    fill_date(line_manager, "Date of the supervision discussion", 18, 3, 2025)
    line_manager.get_by_label("Supervision note").fill(
        "Discussed the three placement moves; agreed to recommend a Learning Review."
    )
    follow(line_manager, line_manager.get_by_role("button", name="Record the discussion"))
    expect(status_tag(line_manager)).to_have_text(Status.DISCUSSED.label)

    # §3.2: the worker signs on check your answers...
    follow(worker, worker.get_by_role("link", name="My tasks"))
    follow(worker, worker.get_by_role("link", name=re.compile(reference)))
    follow(worker, worker.get_by_role("button", name="Sign the referral form as the worker"))
    expect(heading(worker)).to_have_text("Check your answers")
    worker.get_by_label("I confirm the information in this form is accurate").check()
    follow(worker, worker.get_by_role("button", name="Sign the form"))
    expect(status_tag(worker)).to_have_text(Status.SIGNED_BY_WORKER.label)

    # ...and the line manager signs and recommends it to the Service Manager.
    follow(line_manager, line_manager.get_by_role("link", name="My tasks"))
    follow(line_manager, line_manager.get_by_role("link", name=re.compile(reference)))
    follow(line_manager, line_manager.get_by_role("button", name="Sign and recommend a review"))
    line_manager.get_by_role("combobox").select_option(label=people.service_manager.full_name)
    line_manager.get_by_label("I have read the completed form and sign it").check()
    follow(line_manager, line_manager.get_by_role("button", name="Sign and recommend"))
    expect(status_tag(line_manager)).to_have_text(Status.WITH_SERVICE_MANAGER.label)

    # §3.3: the Service Manager agrees.
    manager = open_page()
    sign_in(manager, people.service_manager)
    follow(manager, manager.get_by_role("link", name=re.compile(reference)))
    follow(manager, manager.get_by_role("button", name="Agree the case meets the criteria"))
    manager.get_by_label("Yes, the case meets the criteria").check()
    follow(manager, manager.get_by_role("button", name="Record the decision"))
    expect(status_tag(manager)).to_have_text(Status.AGREED.label)
    expect(manager.locator("main")).to_contain_text("Agrees the case meets the criteria")

    follow(worker, worker.get_by_role("link", name="My tasks"))
    open_referral(worker, reference)
    expect(status_tag(worker)).to_have_text(Status.AGREED.label)
    expect(worker.get_by_text("This referral is here")).to_be_visible()
    referral_png = screenshot(worker, "referral")

    follow(worker, worker.get_by_role("link", name="History of this referral"))
    titles = worker.locator(".moj-timeline__title").all_inner_texts()
    steps = [
        "Agreed the case meets the criteria",
        f"Signed and recommended a review to {people.service_manager.full_name}",
        "Signed the referral form as the worker",
        "Recorded the supervision discussion",
        "Attached the Child's Plan Form 1",
        "Started the referral form",
    ]
    assert [t for t in titles if t in steps] == steps, titles
    assert task_list_png.exists() and referral_png.exists()


@pytest.mark.e2e
def test_the_service_manager_declines_with_reasons_that_reach_the_supervision_notes(
    open_page, people, make_referral
):
    referral = make_referral(Status.WITH_SERVICE_MANAGER)
    manager = open_page()
    sign_in(manager, people.service_manager)
    visit(manager, f"/referrals/{referral.pk}/")
    follow(manager, manager.get_by_role("button", name="Agree the case meets the criteria"))

    manager.get_by_label("No, the case does not meet the criteria").check()
    follow(manager, manager.get_by_role("button", name="Record the decision"))
    message = "Give the reasons the case does not meet the criteria"
    expect(manager.locator(".govuk-error-summary")).to_contain_text(message)
    expect(manager.locator("#id_reasons-error")).to_contain_text(message)
    expect(manager.get_by_label("No, the case does not meet the criteria")).to_be_checked()

    reasons = "The child's plan review next month is the right place to look at the moves."
    manager.get_by_label("Reasons").fill(reasons)
    follow(manager, manager.get_by_role("button", name="Record the decision"))
    expect(status_tag(manager)).to_have_text(Status.NOT_AGREED.label)

    worker = open_page()
    sign_in(worker, people.worker)
    follow(worker, worker.get_by_role("link", name="Supervision notes"))
    note = worker.locator(".govuk-summary-card", has_text="Service Manager did not agree")
    expect(note).to_contain_text(reasons)
    expect(note.get_by_role("link", name=referral.reference)).to_be_visible()


@pytest.mark.e2e
def test_a_section_and_the_service_managers_decision_work_without_javascript(
    open_page, people, make_referral
):
    draft = make_referral(Status.DRAFT, complete=False)
    worker = open_page(javascript=False)
    sign_in(worker, people.worker)
    visit(worker, f"/referrals/{draft.pk}/form/")
    open_section(worker, "Where the need was identified")
    worker.get_by_label("Team Around the Child (TAC) meeting").check()
    follow(worker, worker.get_by_role("button", name="Save and continue"))
    expect(worker.locator(".govuk-error-summary")).to_contain_text("Enter date it was identified")
    expect(worker.get_by_label("Team Around the Child (TAC) meeting")).to_be_checked()
    fill_date(worker, "Date it was identified", 11, 3, 2025)
    save_section(worker, "identified")

    sent = make_referral(Status.WITH_SERVICE_MANAGER)
    manager = open_page(javascript=False)
    sign_in(manager, people.service_manager)
    follow(manager, manager.get_by_role("link", name=re.compile(sent.reference)))
    follow(manager, manager.get_by_role("button", name="Agree the case meets the criteria"))
    manager.get_by_label("Yes, the case meets the criteria").check()
    follow(manager, manager.get_by_role("button", name="Record the decision"))
    expect(status_tag(manager)).to_have_text(Status.AGREED.label)


@pytest.mark.e2e
def test_the_sign_in_page_works_from_the_keyboard(page, people):
    visit(page, "/sign-in/")
    assert page.evaluate("document.activeElement === document.body"), (
        "something has focus before the first Tab (autofocus?), so Tab skips the skip link: "
        + page.evaluate("document.activeElement.outerHTML")
    )
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Skip to main content")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_role("link", name="Learning Reviews")).to_be_focused()
    page.keyboard.press("Tab")
    expect(page.get_by_label("Username")).to_be_focused()
    page.keyboard.type(people.worker.username)
    page.keyboard.press("Tab")
    expect(page.get_by_label("Password", exact=True)).to_be_focused()
    page.keyboard.type(PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(on_my_tasks)
    check_page(page)
    expect(heading(page)).to_have_text("My tasks")


@pytest.mark.e2e
def test_the_lists_pathway_history_notes_and_pdfs_pass_the_checks(
    open_page, people, make_referral, settings
):
    for status in (Status.DRAFT, Status.SIGNED_BY_WORKER, Status.AGREED, Status.NOT_AGREED):
        referral = make_referral(status)
    worker = open_page()
    sign_in(worker, people.worker)  # My tasks
    expect(worker.locator("main table.govuk-table tbody tr")).to_have_count(1)
    follow(worker, worker.get_by_role("link", name="Referrals", exact=True))
    expect(worker.locator("main table.govuk-table tbody tr")).to_have_count(4)
    worker.get_by_label("Where on the pathway").select_option(value=Status.AGREED.value)
    follow(worker, worker.get_by_role("button", name="Filter"))
    expect(worker.locator("main table.govuk-table tbody tr")).to_have_count(1)
    follow(worker, worker.get_by_role("link", name="Pathway", exact=True))
    follow(worker, worker.get_by_role("link", name="Supervision notes"))
    expect(worker.locator(".govuk-summary-card")).not_to_have_count(0)
    visit(worker, f"/referrals/{referral.pk}/")
    follow(worker, worker.get_by_role("link", name="See the whole form"))
    visit(worker, f"/referrals/{referral.pk}/history/")
    expect(worker.locator(".moj-timeline__item")).not_to_have_count(0)

    visit(worker, f"/referrals/{referral.pk}/")
    pdf_link = worker.get_by_role("link", name="Download the referral form (PDF)")
    response = worker.request.get(urljoin(worker.url, pdf_link.get_attribute("href")))
    assert response.status == 200
    assert response.headers["content-type"] == "application/pdf"
    assert response.body().startswith(b"%PDF-")


@pytest.mark.e2e
def test_the_manage_pages_pass_the_checks_for_an_administrator(page, people):
    sign_in(page, people.admin)
    response = page.goto("/manage/")
    # The management area exists (learning_reviews/accounts/urls_manage.py): any answer but its
    # home page is a failure, never a reason to skip.
    assert response is not None, "no response for /manage/"
    assert response.status == 200, f"/manage/ answered {response.status}"
    check_page(page)
    # Every kind of page reachable by a link from the management area: links only, so nothing
    # changes, and one page per kind (/manage/users/<id>/ once, not for every person).
    origin = urlparse(page.url)
    kinds, queue = {origin.path}, [origin.path]
    while queue:
        path = queue.pop(0)
        if path != urlparse(page.url).path:
            visit(page, path)
        for href in page.locator("main a[href]").evaluate_all("els => els.map(e => e.href)"):
            target = urlparse(href)
            kind = re.sub(r"/\d+/", "/<id>/", target.path)
            if target.netloc == origin.netloc and kind.startswith("/manage/") and kind not in kinds:
                kinds.add(kind)
                queue.append(target.path)
    assert len(kinds) > 1, "the management home page links to no other page"
