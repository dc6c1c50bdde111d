"""The whole pathway through the pages, as the worker, line manager and Service Manager."""

import pytest
from django.urls import reverse

from learning_reviews.audit.models import ViewSummary
from learning_reviews.referrals import services
from learning_reviews.referrals.models import Referral, Status, SupervisionNote


def _post_section(client, referral, key, data):
    referral.refresh_from_db()
    return client.post(
        reverse("referrals:section", args=[referral.pk, key]),
        {"version": referral.version, "item-version": referral.version, **data},
    )


def test_worker_line_manager_and_service_manager_take_a_referral_to_agreed(client, people):
    client.force_login(people.worker)
    response = client.post(reverse("referrals:start"), {"team": people.team.pk})
    referral = Referral.objects.get()
    assert response.url == reverse("referrals:form", args=[referral.pk])

    _post_section(
        client,
        referral,
        "identified",
        {
            "identified_at": "tac_meeting",
            "identified_on_0": "11",
            "identified_on_1": "3",
            "identified_on_2": "2025",
        },
    )
    _post_section(client, referral, "child", {"child_name": "Zara Quinn", "swis_number": "5120448"})
    _post_section(
        client,
        referral,
        "household",
        {
            "parents_carers": "Lauren Quinn (mother)",
            "action": "add",
            "item-name": "Ewan Dalgleish",
            "item-relationship": "Foster carers' son",
        },
    )
    _post_section(
        client,
        referral,
        "agencies",
        {
            "action": "add",
            "item-agency": "Health",
            "item-professional_name": "Gail Strachan",
            "item-discipline": "School nurse",
        },
    )
    _post_section(
        client, referral, "grounds", {"grounds": ["placement_breakdown", "good_practice"]}
    )
    _post_section(client, referral, "circumstances", {"circumstances": "Three moves."})
    _post_section(
        client,
        referral,
        "background",
        {
            "key_facts": "Emergency moves.",
            "action": "add",
            "item-date_0": "15",
            "item-date_1": "1",
            "item-date_2": "2024",
            "item-event": "Accommodated",
            "item-source": "SWIS case note",
        },
    )
    _post_section(
        client, referral, "reasons", {"action": "add", "item-text": "Three unplanned endings"}
    )
    referral.refresh_from_db()
    assert referral.child_name == "Zara Quinn"
    assert referral.identified_on.isoformat() == "2025-03-11"
    assert referral.grounds == ["placement_breakdown", "good_practice"]
    assert [m.name for m in referral.household.all()] == ["Ewan Dalgleish"]
    assert [a.agency for a in referral.agencies.all()] == ["Health"]
    assert [c.event for c in referral.chronology.all()] == ["Accommodated"]
    assert [r.text for r in referral.reasons.all()] == ["Three unplanned endings"]

    check = client.get(reverse("referrals:check", args=[referral.pk]))
    for text in (
        "Zara Quinn",
        "5120448",
        "Ewan Dalgleish",
        "Gail Strachan",
        "Accommodated",
        "Three unplanned endings",
        "Lauren Quinn (mother)",
    ):
        assert text in check.content.decode()

    client.force_login(people.line_manager)
    client.post(
        reverse("referrals:supervision", args=[referral.pk]),
        {"date_0": "18", "date_1": "3", "date_2": "2025", "note": "Agreed to recommend."},
    )
    referral.refresh_from_db()
    assert referral.status == Status.DISCUSSED
    assert SupervisionNote.objects.filter(referral=referral, kind="discussion").exists()

    client.force_login(people.worker)
    client.post(
        reverse("referrals:check", args=[referral.pk]),
        {"confirm": "on", "version": referral.version},
    )
    referral.refresh_from_db()
    assert referral.status == Status.SIGNED_BY_WORKER
    assert referral.worker_signed_by == people.worker

    client.force_login(people.line_manager)
    client.post(
        reverse("referrals:recommend", args=[referral.pk]),
        {"service_manager": people.service_manager.pk, "confirm": "on"},
    )
    referral.refresh_from_db()
    assert referral.status == Status.WITH_SERVICE_MANAGER
    assert referral.date_submitted is not None

    client.force_login(people.service_manager)
    client.post(reverse("referrals:decision", args=[referral.pk]), {"decision": "agree"})
    referral.refresh_from_db()
    assert referral.status == Status.AGREED
    history = client.get(reverse("referrals:history", args=[referral.pk])).content.decode()
    assert "Agreed the case meets the criteria" in history
    assert ViewSummary.objects.filter(record_id=str(referral.pk)).exists()


def test_service_manager_must_give_reasons_to_decline(client, people, make_referral):
    referral = make_referral(Status.WITH_SERVICE_MANAGER)
    client.force_login(people.service_manager)
    response = client.post(
        reverse("referrals:decision", args=[referral.pk]), {"decision": "decline", "reasons": "   "}
    )
    assert response.status_code == 200
    assert "Give the reasons the case does not meet the criteria" in response.content.decode()
    referral.refresh_from_db()
    assert referral.status == Status.WITH_SERVICE_MANAGER

    client.post(
        reverse("referrals:decision", args=[referral.pk]),
        {"decision": "decline", "reasons": "Addressed through the child's plan."},
    )
    referral.refresh_from_db()
    assert referral.status == Status.NOT_AGREED
    client.force_login(people.worker)
    notes = client.get(reverse("referrals:supervision_notes")).content.decode()
    assert "Addressed through the child&#x27;s plan." in notes


@pytest.mark.parametrize(
    "name", ["home", "referrals:list", "pathway", "referrals:supervision_notes", "referrals:start"]
)
def test_list_pages_answer_for_a_worker(client, people, make_referral, name):
    make_referral(Status.DISCUSSED)
    client.force_login(people.worker)
    assert client.get(reverse(name)).status_code == 200


def test_referral_page_uses_the_organisations_own_role_titles(client, people, make_referral):
    people.org.role_titles = {"line_manager": "Team Manager"}
    people.org.save()
    referral = make_referral(Status.DISCUSSED)
    client.force_login(people.worker)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert '<dt class="govuk-summary-list__key">Team Manager</dt>' in page


def test_history_shows_changes_in_the_protocols_words(client, people, make_referral):
    referral = make_referral(Status.DRAFT)
    client.force_login(people.worker)
    page = client.get(reverse("referrals:history", args=[referral.pk])).content.decode()
    assert "Name of Child or Young Person" in page
    assert "(blank) → Zara Quinn" in page
    assert "Ground(s)" in page
    assert "Placement breakdown e.g. fostering and residential placements" in page
    assert "Added to “chronology”" in page
    assert "placement_breakdown" not in page


@pytest.mark.parametrize(
    ("status", "persona", "label"),
    [
        (Status.AGREED, "cfcig_member", "Record the improvement group&#x27;s decision"),
        (Status.REVIEW_COMMISSIONED, "service_manager", "Send the written feedback"),
        (Status.NOT_PROCEEDING, "service_manager", "Send the written feedback"),
        (Status.NOT_PROCEEDING, "line_manager", "Report progress on the further action"),
        (Status.NOT_PROCEEDING, "cfcig_chair", "Mark the further action complete"),
    ],
)
def test_referral_page_offers_the_next_step_after_the_service_manager(
    client, people, make_referral, status, persona, label
):
    referral = make_referral(status)
    client.force_login(getattr(people, persona))
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert label in page
    client.force_login(people.worker)
    page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
    assert label not in page


@pytest.mark.parametrize("stale", [True, False], ids=["changed since read", "no version"])
def test_the_worker_signs_only_the_form_as_they_read_it(client, people, make_referral, stale):
    """The line manager may still edit a discussed form: a signature on an older reading (or
    with no version) is refused, and the form stays unsigned."""
    referral = make_referral(Status.DISCUSSED)
    read = referral.version
    if stale:
        services.referral_update(
            referral=referral,
            by=people.line_manager,
            version=read,
            data={"circumstances": "Changed by the line manager"},
            section="Circumstances",
        )
    client.force_login(people.worker)
    posted = {"confirm": "on", **({"version": read} if stale else {})}
    response = client.post(reverse("referrals:check", args=[referral.pk]), posted)
    assert response.status_code == 200
    assert "Someone else changed this referral since you opened it" in response.text
    referral.refresh_from_db()
    assert referral.status == Status.DISCUSSED
    assert referral.worker_signed_on is None
