"""The written feedback on the group's decision (§3.4a/b): both letters, as PDF and as Word,
hold the decision and what goes with it; the organisation's wording is used; only the Service
Manager the referral was sent to prepares and sends, only once the chair has confirmed, and a
letter is sent once."""

import pytest
from django.core import mail

from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.improvement_group import letters, services_letters
from learning_reviews.improvement_group.models import Letter, LetterTemplate
from learning_reviews.improvement_group.tests.letter_helpers import (
    NOT_SERVICE_MANAGER,
    PERSONAS,
    decision_of,
    docx_text,
    pdf_text,
    recorded_not_confirmed,
)
from learning_reviews.referrals.models import Status

YES_RATIONALE = (
    "A pattern of emergency moves seen in other cases; learning likely to apply across the "
    "fostering and locality teams."
)
OBJECTIVES = [
    "Understand why each placement ended and what was known beforehand.",
    "Understand how matching decisions were made under time pressure.",
]
NO_RATIONALE = (
    "The child's plan review is addressing the concerns; a review would not add to it now."
)
FURTHER_ACTION = "Bring the child's plan to the next LAC review with a contingency plan."


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"


@pytest.fixture
def yes_decision(make_referral):
    return decision_of(make_referral(Status.REVIEW_COMMISSIONED))


@pytest.fixture
def no_decision(make_referral):
    return decision_of(make_referral(Status.NOT_PROCEEDING))


def _prepared(decision, people):
    letter = services_letters.letter_prepare(decision=decision, by=people.service_manager)
    return letter, letter.pdf.read(), letter.docx.read()


def test_yes_letter_as_pdf_and_docx_holds_decision_rationale_objectives_lead_reviewer_and_timescale(
    people, yes_decision
):
    letter, pdf, docx = _prepared(yes_decision, people)
    for text in (pdf_text(pdf), docx_text(docx)):
        assert "Agreement to proceed to Learning Review" in text
        assert "Lead reviewer identified, parameters of the review established" in text
        assert YES_RATIONALE in text
        for objective in OBJECTIVES:
            assert objective in text
        assert "Lead Reviewer: Aileen Forbes" in text
        assert "Timescale for completion: 30 June 2025" in text
        assert "Period under review: 1 January 2024 to 31 March 2025" in text
        assert "A copy of the Learning Review Protocol is attached" in text
        assert "Dear Megan Cross and Iain Baxter" in text
        assert "Zara Quinn" in text
        assert "Catriona Munro" in text and "Service Manager" in text
        assert "OFFICIAL-SENSITIVE" in text
        assert "not to proceed" not in text
    assert letter.sent_on is None


def test_no_letter_as_pdf_and_docx_holds_decision_rationale_and_further_actions(
    people, no_decision
):
    _, pdf, docx = _prepared(no_decision, people)
    for text in (pdf_text(pdf), docx_text(docx)):
        assert "Agreement not to proceed to Learning Review" in text
        assert NO_RATIONALE in text
        assert f"1. {FURTHER_ACTION} (owner: Iain Baxter; due by 17 May 2025)" in text
        assert "will report back to the Children and Families Continuous Improvement Group" in text
        assert "Learning Review Protocol is attached" not in text
        assert "OFFICIAL-SENSITIVE" in text


def test_letter_uses_the_organisations_own_group_name(people, no_decision):
    people.org.improvement_group_name = "Practice Learning Board"
    people.org.save()
    no_decision.refresh_from_db()
    _, pdf, _ = _prepared(no_decision, people)
    assert "report back to the Practice Learning Board" in pdf_text(pdf)


def test_edited_wording_changes_the_letter(people, yes_decision):
    services_letters.letter_template_update(
        by=people.admin,
        organisation=people.org,
        kind=LetterTemplate.Kind.PROCEED,
        subject="Review agreed for $reference",
        body="Hello $worker_name.\n\nWe will review the case of $child_name by $timescale.",
        version=0,
    )
    letter, pdf, docx = _prepared(yes_decision, people)
    reference = yes_decision.referral.reference
    assert letter.subject == f"Review agreed for {reference}"
    for text in (pdf_text(pdf), docx_text(docx)):
        assert f"Review agreed for {reference}" in text
        assert "We will review the case of Zara Quinn by 30 June 2025." in text
        assert "Key objectives" not in text


def test_the_other_letters_wording_is_unchanged_by_an_edit(people, no_decision):
    services_letters.letter_template_update(
        by=people.admin,
        organisation=people.org,
        kind=LetterTemplate.Kind.PROCEED,
        subject="Changed",
        body="Changed",
        version=0,
    )
    subject, body = letters.render_letter(no_decision)
    assert "agreement not to proceed" in subject
    assert FURTHER_ACTION in body


def test_wording_with_an_unknown_name_is_refused_and_not_saved(people):
    with pytest.raises(WrongState, match=r"\$colour is not a name the letter can fill in"):
        services_letters.letter_template_update(
            by=people.admin,
            organisation=people.org,
            kind=LetterTemplate.Kind.NOT_PROCEED,
            subject="Decision on $reference",
            body="Dear $worker_name, your favourite $colour.",
            version=0,
        )
    assert not LetterTemplate.objects.exists()


def test_wording_may_use_every_listed_name_and_a_literal_dollar(people):
    body = " ".join(f"${name}" for name in letters.PLACEHOLDERS) + " Costs $$5."
    template = services_letters.letter_template_update(
        by=people.admin,
        organisation=people.org,
        kind=LetterTemplate.Kind.NOT_PROCEED,
        subject="Decision",
        body=body,
        version=0,
    )
    assert template.body == body
    assert AuditEvent.objects.filter(action="letter_template.updated").count() == 1


@pytest.mark.parametrize("persona", [p for p in PERSONAS if p != "admin"])
def test_only_an_administrator_changes_the_wording(people, persona):
    with pytest.raises(NotAllowed):
        services_letters.letter_template_update(
            by=getattr(people, persona),
            organisation=people.org,
            kind=LetterTemplate.Kind.PROCEED,
            subject="Changed",
            body="Changed",
            version=0,
        )
    assert not LetterTemplate.objects.exists()


@pytest.mark.parametrize("persona", NOT_SERVICE_MANAGER)
@pytest.mark.parametrize("state", [Status.REVIEW_COMMISSIONED, Status.NOT_PROCEEDING])
def test_only_the_service_manager_prepares_the_letter(people, make_referral, persona, state):
    decision = decision_of(make_referral(state))
    with pytest.raises(NotAllowed):
        services_letters.letter_prepare(decision=decision, by=getattr(people, persona))
    assert not Letter.objects.exists()


def test_a_service_manager_the_referral_was_not_sent_to_may_not_prepare(people, yes_decision):
    from conftest import make_user
    from learning_reviews.accounts.models import Role

    another = make_user(people.org, "fiona", "Fiona Grant", (Role.SERVICE_MANAGER, None))
    with pytest.raises(NotAllowed):
        services_letters.letter_prepare(decision=yes_decision, by=another)


@pytest.mark.parametrize("persona", PERSONAS)
def test_no_one_prepares_a_letter_before_the_chair_confirms(people, make_referral, persona):
    decision = recorded_not_confirmed(people, make_referral)
    with pytest.raises((NotAllowed, WrongState)) as refused:
        services_letters.letter_prepare(decision=decision, by=getattr(people, persona))
    if persona == "service_manager":
        assert refused.type is WrongState
        assert "once the chair has confirmed" in str(refused.value)
    assert not Letter.objects.exists()


def test_preparing_again_replaces_the_unsent_letter_and_its_files(
    people, yes_decision, django_capture_on_commit_callbacks, settings
):
    first = services_letters.letter_prepare(decision=yes_decision, by=people.service_manager)
    old_pdf = settings.MEDIA_ROOT / first.pdf.name
    assert old_pdf.exists()
    services_letters.letter_template_update(
        by=people.admin,
        organisation=people.org,
        kind=LetterTemplate.Kind.PROCEED,
        subject="Second wording",
        body="Second wording for $reference.",
        version=0,
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = services_letters.letter_prepare(decision=yes_decision, by=people.service_manager)
    assert second.pk == first.pk
    assert Letter.objects.count() == 1
    assert second.subject == "Second wording"
    assert "Second wording" in pdf_text(second.pdf.read())
    assert not old_pdf.exists()
    assert AuditEvent.objects.filter(action="referral.letter_prepared").count() == 2


def test_a_sent_letter_cannot_be_prepared_again(people, yes_decision):
    letter = services_letters.letter_prepare(decision=yes_decision, by=people.service_manager)
    services_letters.letter_send(letter=letter, by=people.service_manager)
    with pytest.raises(WrongState, match="has been sent"):
        services_letters.letter_prepare(decision=yes_decision, by=people.service_manager)


@pytest.mark.parametrize("persona", NOT_SERVICE_MANAGER)
def test_only_the_service_manager_sends_the_letter(
    people, yes_decision, persona, django_capture_on_commit_callbacks
):
    letter = services_letters.letter_prepare(decision=yes_decision, by=people.service_manager)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(NotAllowed):
        services_letters.letter_send(letter=letter, by=getattr(people, persona))
    letter.refresh_from_db()
    assert letter.sent_on is None
    assert mail.outbox == []


def test_sending_records_who_sent_it_to_whom_and_is_audited(
    people, no_decision, django_capture_on_commit_callbacks
):
    letter = services_letters.letter_prepare(decision=no_decision, by=people.service_manager)
    with django_capture_on_commit_callbacks(execute=True):
        services_letters.letter_send(letter=letter, by=people.service_manager)
    letter.refresh_from_db()
    assert letter.sent_on is not None
    assert letter.sent_by == people.service_manager
    assert letter.recipients == [
        {"name": "Megan Cross", "email": "megan@example.org"},
        {"name": "Iain Baxter", "email": "iain@example.org"},
    ]
    event = AuditEvent.objects.get(action="referral.letter_sent")
    assert event.summary == "Sent the written feedback to Megan Cross and Iain Baxter"
    assert len(mail.outbox) == 1
    assert sorted(mail.outbox[0].to) == ["iain@example.org", "megan@example.org"]


def test_a_letter_is_sent_once(people, yes_decision, django_capture_on_commit_callbacks):
    letter = services_letters.letter_prepare(decision=yes_decision, by=people.service_manager)
    with django_capture_on_commit_callbacks(execute=True):
        services_letters.letter_send(letter=letter, by=people.service_manager)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(WrongState, match="already been sent"),
    ):
        services_letters.letter_send(letter=letter, by=people.service_manager)
    assert len(mail.outbox) == 1
    assert AuditEvent.objects.filter(action="referral.letter_sent").count() == 1


def test_a_letter_is_not_sent_to_someone_without_an_e_mail_address(
    people, yes_decision, django_capture_on_commit_callbacks
):
    people.line_manager.email = ""
    people.line_manager.save()
    letter = services_letters.letter_prepare(decision=yes_decision, by=people.service_manager)
    with (
        django_capture_on_commit_callbacks(execute=True),
        pytest.raises(WrongState, match="Iain Baxter has no e-mail address"),
    ):
        services_letters.letter_send(letter=letter, by=people.service_manager)
    letter.refresh_from_db()
    assert letter.sent_on is None
    assert mail.outbox == []
