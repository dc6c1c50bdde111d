"""The referral's history shows each reader only what they may read of each value (issue 10 §3;
docs/security.md, "The referral's history"): the supervision notes' words (the supervision
discussion, the line manager's return note, the Service Manager's reasons for not agreeing) only
to the worker and line manager, the letter's wording only to those who read the letter; to
everyone else who may open the referral the field is named and its value "not shown to you"."""

import pytest
from django.urls import reverse

from learning_reviews.improvement_group import services_letters
from learning_reviews.improvement_group.models import Decision
from learning_reviews.improvement_group.testing import decide_at_group
from learning_reviews.referrals import services
from learning_reviews.referrals.models import Status
from learning_reviews.referrals.testing import CaseContent, referral_at

RETURN_NOTE = "Add the school nurse to the chronology before you sign again."
SUPERVISION_NOTE = CaseContent().supervision_note
NOT_SHOWN = "not shown to you"


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def commissioned(people):
    """A referral returned once by the line manager, then commissioned as a review, with its
    letter prepared."""
    cast = {
        "worker": people.worker,
        "line_manager": people.line_manager,
        "service_manager": people.service_manager,
        "team": people.team,
    }
    referral = referral_at(Status.SIGNED_BY_WORKER, **cast)
    referral = services.referral_return_to_worker(
        referral=referral, by=people.line_manager, note=RETURN_NOTE
    )
    referral = services.referral_sign_as_worker(
        referral=referral, by=people.worker, version=referral.version
    )
    referral = services.referral_recommend(
        referral=referral, by=people.line_manager, service_manager=people.service_manager
    )
    referral = services.referral_agree(referral=referral, by=people.service_manager)
    referral = decide_at_group(
        referral,
        Status.REVIEW_COMMISSIONED,
        group_member=people.cfcig_member,
        group_chair=people.cfcig_chair,
        lead_reviewer=people.lead_reviewer,
        content=CaseContent(),
    )
    letter = services_letters.letter_prepare(
        decision=Decision.objects.get(referral=referral), by=people.service_manager
    )
    return referral, letter


def _history(client, user, referral) -> str:
    client.force_login(user)
    response = client.get(reverse("referrals:history", args=[referral.pk]))
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


# Who sees each withheld value in full (written out, not read from the code).
NOTES = {"worker", "line_manager"}
LETTER = {"worker", "line_manager", "service_manager", "cfcig_member", "cfcig_chair"}


@pytest.mark.parametrize(
    "persona",
    ["worker", "line_manager", "service_manager", "cfcig_member", "lead_reviewer", "auditor"],
)
def test_each_reader_sees_only_the_values_they_may_read(client, people, commissioned, persona):
    referral, letter = commissioned
    page = _history(client, getattr(people, persona), referral)

    assert (RETURN_NOTE in page) == (persona in NOTES)
    assert (" ".join(SUPERVISION_NOTE.split()) in page) == (persona in NOTES)
    assert (" ".join(letter.body.split()[:8]) in page) == (persona in LETTER)
    assert (NOT_SHOWN in page) == (persona not in NOTES & LETTER)
    # What everyone may read is still shown.
    assert "Zara Quinn" in page  # the child's name, as entered on the form


def test_the_service_managers_reasons_are_for_the_worker_line_manager_and_their_author(
    client, people
):
    referral = referral_at(
        Status.NOT_AGREED,
        worker=people.worker,
        line_manager=people.line_manager,
        service_manager=people.service_manager,
        team=people.team,
    )
    reasons = "The concerns are being addressed through the child"
    for persona, shown in [
        ("worker", True),
        ("line_manager", True),
        ("service_manager", True),  # who wrote them
        ("auditor", False),
    ]:
        page = _history(client, getattr(people, persona), referral)
        assert (reasons in page) == shown, persona
    assert NOT_SHOWN in page  # the auditor's: the reasons are named, their words withheld
