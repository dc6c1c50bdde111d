"""Appendix 1 as default data: the six kinds of case review with the protocol's criteria, and
contacts that are team or role mailboxes. The protocol's table names real people with their
work e-mail addresses; none of them may appear anywhere in the project."""

import os
import re
from pathlib import Path

import pytest

from learning_reviews.triage import services
from learning_reviews.triage.defaults import APPENDIX_1
from learning_reviews.triage.models import AgencyScope, Kind, ReviewType

ROOT = Path(__file__).resolve().parents[3]

# Appendix 1's "Criteria for review" column, with the council's name taken out of the two
# single-agency rows.
CRITERIA = {
    Kind.SIGNIFICANT_CASE_REVIEW: [
        "Multi-agency",
        "Commissioned by CPC",
        "Child death/serious incident",
        "Criteria as per SCR protocol",
    ],
    Kind.LAC_LEARNING_REVIEW: [
        "Multi-agency",
        "Commissioned by HOLAC",
        "Criteria as per LAC LR protocol",
    ],
    Kind.CPR_CASE_REVIEW: [
        "Multi-agency",
        "Commissioned by MACIG",
        "Children on CPR > 18 months",
        "Children re-registered within 12 months of de-registration",
    ],
    Kind.DISRUPTION_REVIEW: [
        "Multi-agency",
        "Commissioned by Adoption and Fostering Service",
        "Undertaken by Independent Co-ordinator",
        "Criteria - multiple placement breakdown",
    ],
    Kind.STRUCTURED_DEBRIEF: [
        "Single agency (Children's Service)",
        "Criteria - Wider range of concern. Initial Discussion with Lead Officer determines if "
        "this option is appropriate for a Debrief",
    ],
    Kind.LEARNING_REVIEW: [
        "Single agency (Children and Families)",
        "Commissioned by CFCIG",
        "Criteria as per this protocol",
    ],
}

# The named people of the protocol's table, assembled here so that this file does not itself
# contain what it looks for.
_PEOPLE = [("jacquie", "toye"), ("evelyn", "kennedy"), ("leni", "rademacher")]
FORBIDDEN = (
    ["@" + "falkirk" + ".gov.uk"]
    + [f"{first}.{last}" for first, last in _PEOPLE]
    + [f"{first} {last}" for first, last in _PEOPLE]
)
SKIPPED_DIRS = {"node_modules", "__pycache__", "media", "staticfiles", "test-results"}
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")


def test_there_are_the_six_kinds_of_appendix_1_in_its_order():
    assert [row["kind"] for row in APPENDIX_1] == list(Kind)


def test_the_criteria_are_appendix_1s():
    assert {row["kind"]: row["criteria"] for row in APPENDIX_1} == CRITERIA


def test_agency_scope_and_commissioner_follow_the_criteria():
    for row in APPENDIX_1:
        criteria = " ".join(row["criteria"])  # type: ignore[arg-type]
        scope = AgencyScope.MULTI if "Multi-agency" in criteria else AgencyScope.SINGLE
        assert row["agency_scope"] == scope, row["kind"]
        if row["commissioned_by"]:
            assert f"Commissioned by {str(row['commissioned_by']).split(' (')[0]}" in criteria


def test_every_contact_is_a_team_or_role_mailbox_at_a_reserved_example_domain():
    for row in APPENDIX_1:
        contact = str(row["contact"])
        addresses = EMAIL.findall(contact)
        assert addresses, f"{row['kind']} has no mailbox"
        for address in addresses:
            # RFC 2606 reserves .example: nobody can receive mail there.
            assert address.endswith(".example"), address
            local = address.split("@")[0].lower()
            assert not any(first in local or last in local for first, last in _PEOPLE), address
        # Who the mailbox reaches, in words: a team or a role.
        assert contact.split(" (")[0].strip(), contact


def test_no_text_in_the_defaults_names_a_person_of_the_protocols_table():
    text = repr(APPENDIX_1).lower()
    for needle in FORBIDDEN:
        assert needle not in text


def _project_files():
    for directory, dirs, files in os.walk(ROOT):
        dirs[:] = [d for d in dirs if not d.startswith(".") and d not in SKIPPED_DIRS]
        for name in files:
            path = Path(directory) / name
            if path.suffix == ".sqlite3" or path.resolve() == Path(__file__).resolve():
                continue
            yield path


def test_no_file_of_the_project_names_a_person_of_the_protocols_table():
    found = []
    checked = 0
    for path in _project_files():
        content = path.read_bytes().lower()
        checked += 1
        found += [f"{path.relative_to(ROOT)}: {n}" for n in FORBIDDEN if n.encode() in content]
    assert checked > 100  # the walk really saw the project
    assert found == []


@pytest.mark.django_db
def test_installing_the_defaults_gives_an_organisation_every_row_as_written(people):
    added = services.review_types_install_defaults(organisation=people.org, by=people.admin)
    assert added == 6
    saved = {t.kind: t for t in ReviewType.objects.filter(organisation=people.org)}
    for row in APPENDIX_1:
        review_type = saved[str(row["kind"])]
        for field, value in row.items():
            assert getattr(review_type, field) == value, (row["kind"], field)
