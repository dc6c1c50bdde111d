"""The action plan as a workbook and a PDF: for whoever sees the plan, named by the referral's
reference (never the child), with real dates and no formula a spreadsheet would run."""

import datetime
import io

from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook
from pypdf import PdfReader

from learning_reviews.outcomes import services
from learning_reviews.outcomes.action_plan import HEADERS
from learning_reviews.outcomes.models import Recommendation
from learning_reviews.outcomes.tests.helpers import action_for, confirmed_review


def test_the_plan_downloads_as_a_workbook_and_a_pdf(client, people, make_referral):
    review = confirmed_review(people, make_referral)
    referral = review.referral
    first, *rest = Recommendation.objects.filter(review=review).order_by("id")
    today = timezone.localdate()
    action = action_for(
        first,
        people.cfcig_member,
        people.other_worker,
        team=people.other_team,
        text='=HYPERLINK("https://example.org","Click")',
        measure="-1 same-day moves a month, from SWIS placement data.",
    )
    services.action_update_add(
        action=action,
        by=people.other_worker,
        date=today,
        text="@SUM(A1) guidance drafted with carers.",
        status="in_progress",
    )
    xlsx = reverse("outcomes:action_plan_xlsx", args=[review.pk])
    pdf = reverse("outcomes:action_plan_pdf", args=[review.pk])

    for nobody in (people.outsider, people.worker):
        client.force_login(nobody)
        assert client.get(xlsx).status_code == 404
        assert client.get(pdf).status_code == 404

    client.force_login(people.other_worker)  # the action's owner sees the plan
    response = client.get(xlsx)
    assert response.status_code == 200
    assert f'filename="action-plan-{referral.reference}.xlsx"' in response["Content-Disposition"]
    assert response["Cache-Control"] == "no-store"
    book = load_workbook(io.BytesIO(response.content))
    assert book.sheetnames == ["Action plan", "Updates"]
    sheet = book["Action plan"]
    assert [c.value for c in sheet[1]] == [name for name, _ in HEADERS]
    assert sheet["A1"].font.bold
    assert sheet.freeze_panes == "A2"
    row = {name: cell for (name, _), cell in zip(HEADERS, sheet[2], strict=True)}
    assert row["Finding"].value == "Emergency is not the same as same-day"
    assert row["Response"].value == "Accepted with changes"
    assert row["Owner"].value == "Jenna Scott"
    assert row["Team"].value == "Fostering Team"
    assert row["Status"].value == "In progress"
    assert isinstance(row["Due"].value, datetime.datetime)  # a real date cell
    assert row["Due"].value.date() == action.due_on
    assert row["Outcome check"].is_date
    # Formula injection: text stays text.
    assert row["Action"].value == '\'=HYPERLINK("https://example.org","Click")'
    assert row["Action"].data_type == "s"
    assert row["Measure"].value.startswith("'-1 same-day")
    assert row["Latest update"].value.endswith("@SUM(A1) guidance drafted with carers.")
    # The accepted recommendations without actions are listed too, their action columns empty.
    assert sheet.max_row == 1 + 1 + len(rest)
    assert sheet.cell(row=3, column=4).value in (None, "")
    updates = book["Updates"]
    assert [c.value for c in updates[2]][2] == "'@SUM(A1) guidance drafted with carers."
    assert isinstance(updates["B2"].value, datetime.datetime)
    assert referral.child_name not in str([[c.value for c in r] for r in sheet.iter_rows()])

    response = client.get(pdf)
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF")
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert f"referral {referral.reference}" in text
    assert "Jenna Scott" in text
    assert referral.child_name not in text
    assert f'filename="action-plan-{referral.reference}.pdf"' in response["Content-Disposition"]
