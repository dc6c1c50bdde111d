"""The learning briefing's pages: the author sees the redaction beside the original, nobody
else sees a draft, a second person approves, a released briefing is a page and a PDF for the
whole organisation and is found in the library."""

import pytest
from django.urls import reverse

from learning_reviews.outcomes import services_briefing
from learning_reviews.outcomes.models import Briefing, LibraryEntry
from learning_reviews.outcomes.tests.helpers import confirmed_review

pytestmark = pytest.mark.django_db

SECRET_WORD = "Quillfeather"  # a made-up surname of a neighbour, not in the record


def _sections(child: str) -> dict[str, str]:
    return {
        "title": "Emergency is not the same as same-day",
        "why": "Placement breakdown: three unplanned endings in 14 months.",
        "what_happened": f"{child} moved on 9 April 2024. Her neighbour Mrs {SECRET_WORD} "
        "helped on the night, and the social worker found carers within two hours.",
        "key_learning": "What carers need to know must travel with the child.",
        "changing": "A planned-move route and a handover meeting before every planned move.",
        "questions": "What would the next carer need to know about the child you are moving?",
    }


def _form(briefing: Briefing, sections: dict[str, str], **extra: str) -> dict[str, str]:
    return {**sections, "keep": "", "extra": "", "version": str(briefing.version), **extra}


@pytest.fixture
def draft(people, make_referral, client):
    review = confirmed_review(people, make_referral)
    client.force_login(people.lead_reviewer)
    response = client.post(reverse("outcomes:briefing_start", args=[review.pk]))
    briefing = Briefing.objects.get(review=review)
    assert response["Location"] == reverse("outcomes:briefing", args=[briefing.pk])
    return briefing


def test_the_author_sees_the_redaction_beside_the_original(client, people, draft):
    child = draft.review.referral.child_name
    url = reverse("outcomes:briefing", args=[draft.pk])
    client.post(url, _form(draft, _sections(child)))
    page = client.get(url).content.decode()
    assert f'<del class="app-redaction" title="known">{child}</del>' in page
    assert '<mark class="app-redaction" title="known">The child</mark>' in page
    assert "April 2024" in page  # the exact date became month and year
    assert f"Mrs {SECRET_WORD} → [name]" in page  # suspected, listed to restore


def test_nobody_but_the_author_sees_a_draft(client, people, draft):
    url = reverse("outcomes:briefing", args=[draft.pk])
    for user in (
        people.cfcig_member,
        people.cfcig_chair,
        people.auditor,
        people.worker,
        people.outsider,
    ):
        client.force_login(user)
        assert client.get(url).status_code == 404, user


def test_words_restored_and_added_change_what_others_will_see(client, people, draft):
    child = draft.review.referral.child_name
    url = reverse("outcomes:briefing", args=[draft.pk])
    sections = _sections(child)
    client.post(url, _form(draft, sections, keep=f"Mrs {SECRET_WORD}", extra="within two hours"))
    draft.refresh_from_db()
    client.post(reverse("outcomes:briefing_submit", args=[draft.pk]), {"version": draft.version})
    draft.refresh_from_db()
    assert draft.status == Briefing.Status.AWAITING_APPROVAL
    assert SECRET_WORD in draft.redacted["what_happened"]
    assert "within two hours" not in draft.redacted["what_happened"]
    assert child not in " ".join(draft.redacted.values())


def test_a_second_person_approves_and_the_library_finds_it(client, people, draft):
    child = draft.review.referral.child_name
    url = reverse("outcomes:briefing", args=[draft.pk])
    client.post(url, _form(draft, _sections(child)))
    draft.refresh_from_db()
    client.post(reverse("outcomes:briefing_submit", args=[draft.pk]), {"version": draft.version})
    draft.refresh_from_db()

    # The author cannot approve their own briefing; outsiders to the review cannot see it.
    response = client.post(
        reverse("outcomes:briefing_approve", args=[draft.pk]),
        {"version": draft.version},
        follow=True,
    )
    assert "approves a briefing" in response.content.decode()
    for user in (people.worker, people.auditor, people.outsider):
        client.force_login(user)
        assert client.get(url).status_code == 404
        search = client.get(reverse("outcomes:library"), {"q": "handover"}).content.decode()
        assert "same-day" not in search
    assert not LibraryEntry.objects.exists()

    client.force_login(people.cfcig_member)
    page = client.get(url).content.decode()
    assert "Approve and release" in page and child not in page
    client.post(reverse("outcomes:briefing_approve", args=[draft.pk]), {"version": draft.version})
    draft.refresh_from_db()
    assert draft.status == Briefing.Status.RELEASED

    client.force_login(people.worker)  # released: the whole organisation reads it
    page = client.get(url).content.decode()
    assert "Emergency is not the same as same-day" in page and child not in page
    search = client.get(reverse("outcomes:library"), {"q": "handover meeting"}).content.decode()
    assert "Emergency is not the same as same-day" in search
    pdf = client.get(reverse("outcomes:briefing_pdf", args=[draft.pk]))
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    client.force_login(people.outsider)
    assert client.get(url).status_code == 404
    assert (
        "same-day"
        not in client.get(reverse("outcomes:library"), {"q": "handover"}).content.decode()
    )


def test_a_released_briefing_is_never_edited_only_superseded(client, people, draft):
    child = draft.review.referral.child_name
    services_briefing.briefing_save(
        briefing=draft,
        by=people.lead_reviewer,
        sections=_sections(child),
        keep=[],
        extra=[],
        version=draft.version,
    )
    draft.refresh_from_db()
    draft = services_briefing.briefing_submit(
        briefing=draft, by=people.lead_reviewer, version=draft.version
    )
    draft = services_briefing.briefing_approve(
        briefing=draft, by=people.cfcig_member, version=draft.version
    )
    client.force_login(people.lead_reviewer)
    url = reverse("outcomes:briefing", args=[draft.pk])
    response = client.post(url, _form(draft, {**_sections(child), "title": "Changed"}))
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.redacted["title"] == "Emergency is not the same as same-day"

    client.post(reverse("outcomes:briefing_start", args=[draft.review_id]))
    second = Briefing.objects.get(review=draft.review, number=2)
    services_briefing.briefing_save(
        briefing=second,
        by=people.lead_reviewer,
        sections={**_sections(child), "title": "Planned moves: what changed"},
        keep=[],
        extra=[],
        version=second.version,
    )
    second.refresh_from_db()
    second = services_briefing.briefing_submit(
        briefing=second, by=people.lead_reviewer, version=second.version
    )
    services_briefing.briefing_approve(
        briefing=second, by=people.cfcig_chair, version=second.version
    )
    draft.refresh_from_db()
    assert draft.status == Briefing.Status.SUPERSEDED
    titles = list(LibraryEntry.objects.filter(kind="briefing").values_list("title", flat=True))
    assert titles == ["Planned moves: what changed"]
    client.force_login(people.worker)
    page = client.get(url).content.decode()
    assert "Version 2 replaces this one" in page
