"""The group's decision on a referral through its pages (Appendix 3 "To be completed by CFCIG",
§4): only group members record it, only the chair confirms it, per role and state; the form
keeps what was typed on every error; anyone who may not see the referral gets 404."""

import datetime

import pytest
from django.urls import reverse

from learning_reviews.audit.models import ViewSummary
from learning_reviews.core.errors import WrongState
from learning_reviews.improvement_group import services
from learning_reviews.improvement_group.models import Decision
from learning_reviews.referrals.models import Status
from learning_reviews.reviews.models import Review

ROLES = [
    "worker",
    "line_manager",
    "service_manager",
    "cfcig_chair",
    "cfcig_member",
    "lead_reviewer",
    "admin",
    "auditor",
    "other_worker",
    "outsider",
]
GROUP_STATES = {
    Status.AGREED,
    Status.REVIEW_COMMISSIONED,
    Status.NOT_PROCEEDING,
    Status.FURTHER_ACTION_COMPLETE,
}
STATES = [Status.WITH_SERVICE_MANAGER, Status.NOT_AGREED, *sorted(GROUP_STATES)]


def sees(persona: str, status: Status) -> bool:
    """Who may see a referral of `people.worker` (written out, not read from the code)."""
    if persona in {"worker", "line_manager", "auditor"}:
        return True  # the administrator reads no case
    if persona == "service_manager":
        return status in GROUP_STATES | {Status.WITH_SERVICE_MANAGER, Status.NOT_AGREED}
    if persona in {"cfcig_chair", "cfcig_member"}:
        return status in GROUP_STATES
    if persona == "lead_reviewer":
        return status == Status.REVIEW_COMMISSIONED  # as the commissioned review's lead
    return False


def yes_data(people, **changes):
    data = {
        "version": "0",
        "date_discussed_0": "9",
        "date_discussed_1": "4",
        "date_discussed_2": "2025",
        "proceed": "yes",
        "rationale": "A pattern of emergency moves seen in other cases.",
        "meets_criteria": "on",
        "will_benefit": "on",
        "objectives": "1. Understand why each placement ended.\n\n2) Understand how matching "
        "decisions were made.\n",
        "lead_reviewer": str(people.lead_reviewer.pk),
        "second_lead_reviewer": "",
        "period_start_0": "1",
        "period_start_1": "1",
        "period_start_2": "2024",
        "period_end_0": "31",
        "period_end_1": "3",
        "period_end_2": "2025",
        "scope": "The three placement moves.",
        "who_involved": "The worker, line manager and carers.",
        "timescale_0": "1",
        "timescale_1": "7",
        "timescale_2": "2025",
        "support_confirmed": "on",
    }
    return {**data, **changes}


# A browser sends every box of the form, blank or not.
BLANK_ROWS = {
    f"action_{n}_{part}": ""
    for n in range(1, 6)
    for part in ("text", "owner", "due_on_0", "due_on_1", "due_on_2")
}


def no_data(people, **changes):
    data = {
        **BLANK_ROWS,
        "version": "0",
        "date_discussed_0": "9",
        "date_discussed_1": "4",
        "date_discussed_2": "2025",
        "proceed": "no",
        "rationale": "The child's plan review is addressing the concerns.",
        "meets_criteria": "on",
        # Typed in the other branch, and not saved: the decision is NO.
        "objectives": "Not wanted",
        "lead_reviewer": str(people.lead_reviewer.pk),
        "action_1_text": "Bring the child's plan to the next LAC review.",
        "action_1_owner": str(people.line_manager.pk),
        "action_1_due_on_0": "30",
        "action_1_due_on_1": "5",
        "action_1_due_on_2": "2025",
        "action_3_text": "Refer to the fostering panel.",
        "action_3_owner": str(people.service_manager.pk),
        "action_3_due_on_0": "15",
        "action_3_due_on_1": "6",
        "action_3_due_on_2": "2025",
    }
    return {**data, **changes}


def record(people, referral, proceed=True, *, version=0, rationale="Reasons."):
    data = services.DecisionInput(
        date_discussed=datetime.date(2025, 4, 9),
        proceed=proceed,
        rationale=rationale,
        meets_criteria=True,
        will_benefit=proceed,
        objectives=["Understand the moves."] if proceed else [],
        lead_reviewers=[people.lead_reviewer] if proceed else [],
        timescale=datetime.date(2025, 7, 1) if proceed else None,
        further_actions=[]
        if proceed
        else [
            services.ActionInput(
                text="Contingency plan.",
                owner=people.line_manager,
                due_on=datetime.date(2025, 6, 1),
            )
        ],
    )
    return services.decision_record(
        referral=referral, by=people.cfcig_member, data=data, version=version
    )


# -- Permission matrices -----------------------------------------------------------------------


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("persona", ROLES)
def test_only_group_members_record_a_decision_and_only_on_an_agreed_referral(
    client, people, make_referral, persona, status
):
    referral = make_referral(status)
    before = Decision.objects.filter(referral=referral).values_list("version", flat=True).first()
    client.force_login(getattr(people, persona))
    url = reverse("group:decision_record", args=[referral.pk])
    get = client.get(url)
    post = client.post(url, yes_data(people))
    allowed = persona in {"cfcig_chair", "cfcig_member"} and status == Status.AGREED
    if not sees(persona, status):
        assert (get.status_code, post.status_code) == (404, 404)
    elif allowed:
        assert get.status_code == 200
        assert post.status_code == 302
    else:
        assert get["Location"] == post["Location"] == reverse("group:decision", args=[referral.pk])
    after = Decision.objects.filter(referral=referral).values_list("version", flat=True).first()
    assert (after == 1 and before is None) if allowed else after == before


@pytest.mark.parametrize("persona", ROLES)
def test_only_the_chair_confirms_a_decision(client, people, make_referral, persona):
    referral = make_referral(Status.AGREED)
    decision = record(people, referral)
    client.force_login(getattr(people, persona))
    response = client.post(
        reverse("group:decision_confirm", args=[referral.pk]), {"version": decision.version}
    )
    decision.refresh_from_db()
    referral.refresh_from_db()
    if not sees(persona, Status.AGREED):
        assert response.status_code == 404
    else:
        assert response.status_code == 302
    if persona == "cfcig_chair":
        assert decision.status == Decision.Status.CONFIRMED
        assert decision.confirmed_by == people.cfcig_chair
        assert referral.status == Status.REVIEW_COMMISSIONED
        assert Review.objects.filter(referral=referral).exists()
    else:
        assert decision.status == Decision.Status.RECORDED
        assert referral.status == Status.AGREED


def test_the_confirm_button_is_offered_to_the_chair_alone(client, people, make_referral):
    referral = make_referral(Status.AGREED)
    record(people, referral)
    url = reverse("group:decision", args=[referral.pk])
    for persona, offered in [("cfcig_chair", True), ("cfcig_member", False), ("admin", False)]:
        client.force_login(getattr(people, persona))
        assert ("Confirm the decision" in client.get(url).content.decode()) == offered


def test_confirming_twice_is_refused_with_a_message(client, people, make_referral):
    referral = make_referral(Status.AGREED)
    decision = record(people, referral)
    client.force_login(people.cfcig_chair)
    url = reverse("group:decision_confirm", args=[referral.pk])
    client.post(url, {"version": decision.version})
    response = client.post(url, {"version": decision.version}, follow=True)
    assert "This decision has already been confirmed." in response.content.decode()


@pytest.mark.parametrize(
    "sent", [{}, {"version": ""}, {"version": "x"}, {"version": "stale"}], ids=str
)
def test_the_chair_confirms_only_the_version_they_read(client, people, make_referral, sent):
    """A decision revised after the chair read it (or a POST with no version) is refused, and
    the chair is told why; nothing moves."""
    referral = make_referral(Status.AGREED)
    decision = record(people, referral)
    if sent.get("version") == "stale":
        sent = {"version": decision.version}
        record(people, referral, version=decision.version, rationale="Revised since.")
    client.force_login(people.cfcig_chair)
    response = client.post(reverse("group:decision_confirm", args=[referral.pk]), sent, follow=True)
    assert "Someone else changed this decision since you opened it" in response.content.decode()
    decision.refresh_from_db()
    referral.refresh_from_db()
    assert decision.status == Decision.Status.RECORDED
    assert referral.status == Status.AGREED
    assert not Review.objects.filter(referral=referral).exists()


def test_confirming_without_a_decision_says_so(client, people, make_referral):
    referral = make_referral(Status.AGREED)
    client.force_login(people.cfcig_chair)
    response = client.post(reverse("group:decision_confirm", args=[referral.pk]), follow=True)
    assert "There is no decision to confirm yet." in response.content.decode()


def test_confirm_returns_to_a_page_of_the_service_but_never_elsewhere(
    client, people, make_referral
):
    first, second = make_referral(Status.AGREED), make_referral(Status.AGREED)
    version = record(people, first).version
    record(people, second)
    client.force_login(people.cfcig_chair)
    back = client.post(
        reverse("group:decision_confirm", args=[first.pk]),
        {"next": "/group/meetings/", "version": version},
    )
    assert back["Location"] == "/group/meetings/"
    away = client.post(
        reverse("group:decision_confirm", args=[second.pk]), {"next": "https://example.com/"}
    )
    assert away["Location"] == reverse("group:decision", args=[second.pk])


@pytest.mark.parametrize("status", STATES)
@pytest.mark.parametrize("persona", ROLES)
def test_the_decision_page_is_for_whoever_may_see_the_referral(
    client, people, make_referral, persona, status
):
    referral = make_referral(status)
    client.force_login(getattr(people, persona))
    response = client.get(reverse("group:decision", args=[referral.pk]))
    assert response.status_code == (200 if sees(persona, status) else 404)


# -- Recording: YES and NO --------------------------------------------------------------------


def test_a_member_records_a_yes_with_objectives_lead_reviewer_and_timescale(
    client, people, make_referral
):
    referral = make_referral(Status.AGREED)
    client.force_login(people.cfcig_member)
    response = client.post(reverse("group:decision_record", args=[referral.pk]), yes_data(people))
    assert response["Location"] == reverse("group:decision", args=[referral.pk])
    decision = Decision.objects.get(referral=referral)
    assert decision.proceed is True
    assert decision.status == Decision.Status.RECORDED
    assert [o.text for o in decision.objectives.all()] == [
        "Understand why each placement ended.",
        "Understand how matching decisions were made.",
    ]
    assert list(decision.lead_reviewers.all()) == [people.lead_reviewer]
    assert decision.timescale == datetime.date(2025, 7, 1)
    assert decision.period_start == datetime.date(2024, 1, 1)
    assert decision.support_confirmed and decision.meets_criteria and decision.will_benefit
    page = client.get(response["Location"]).content.decode()
    assert "Understand why each placement ended." in page
    assert "Aileen Forbes" in page
    assert "1 July 2025" in page
    assert "Recorded — awaiting the chair" in page


def test_a_member_records_a_no_with_further_actions_and_blank_rows_are_ignored(
    client, people, make_referral
):
    referral = make_referral(Status.AGREED)
    client.force_login(people.cfcig_member)
    client.post(reverse("group:decision_record", args=[referral.pk]), no_data(people))
    decision = Decision.objects.get(referral=referral)
    assert decision.proceed is False
    assert [(a.text, a.owner, a.due_on) for a in decision.further_actions.all()] == [
        (
            "Bring the child's plan to the next LAC review.",
            people.line_manager,
            datetime.date(2025, 5, 30),
        ),
        ("Refer to the fostering panel.", people.service_manager, datetime.date(2025, 6, 15)),
    ]
    # The other branch is not saved.
    assert not decision.objectives.exists()
    assert not decision.lead_reviewers.exists()
    page = client.get(reverse("group:decision", args=[referral.pk])).content.decode()
    assert "Refer to the fostering panel." in page and "Iain Baxter" in page


def test_two_lead_reviewers_can_be_named(client, people, make_referral):
    referral = make_referral(Status.AGREED)
    client.force_login(people.cfcig_member)
    client.post(
        reverse("group:decision_record", args=[referral.pk]),
        yes_data(people, second_lead_reviewer=str(people.other_line_manager.pk)),
    )
    decision = Decision.objects.get(referral=referral)
    assert set(decision.lead_reviewers.all()) == {people.lead_reviewer, people.other_line_manager}


def test_a_decision_taken_at_a_meeting_is_linked_to_it_and_returns_to_the_agenda_item(
    client, people, make_referral
):
    referral = make_referral(Status.AGREED)
    meeting = services.meeting_create(
        by=people.cfcig_chair, date=datetime.date(2025, 4, 9), place="", attendees=[]
    )
    item = meeting.items.get()
    client.force_login(people.cfcig_member)
    url = reverse("group:decision_record", args=[referral.pk]) + f"?meeting={meeting.pk}"
    response = client.post(url, yes_data(people))
    assert response["Location"] == reverse("group:agenda_item", args=[meeting.pk, item.pk])
    decision = Decision.objects.get(referral=referral)
    assert decision.meeting == meeting
    # Revised without naming the meeting, it stays linked.
    client.post(
        reverse("group:decision_record", args=[referral.pk]),
        yes_data(people, version=str(decision.version), rationale="Revised."),
    )
    decision.refresh_from_db()
    assert (decision.meeting, decision.rationale, decision.version) == (meeting, "Revised.", 2)


def test_a_meeting_the_user_may_not_see_is_not_linked(client, people, make_referral):
    referral = make_referral(Status.AGREED)
    client.force_login(people.cfcig_member)
    url = reverse("group:decision_record", args=[referral.pk]) + "?meeting=999999"
    client.post(url, yes_data(people))
    assert Decision.objects.get(referral=referral).meeting is None


def test_the_form_is_filled_in_from_the_recorded_decision_to_revise_it(
    client, people, make_referral
):
    referral = make_referral(Status.AGREED)
    client.force_login(people.cfcig_member)
    url = reverse("group:decision_record", args=[referral.pk])
    client.post(url, no_data(people))
    page = client.get(url).content.decode()
    assert "Change the decision" in page
    assert "Refer to the fostering panel." in page
    assert 'name="version" value="1"' in page


# -- Bad input ---------------------------------------------------------------------------------


def test_missing_answers_are_shown_beside_their_fields_and_nothing_typed_is_lost(
    client, people, make_referral
):
    referral = make_referral(Status.AGREED)
    client.force_login(people.cfcig_member)
    response = client.post(
        reverse("group:decision_record", args=[referral.pk]),
        yes_data(
            people,
            rationale="",
            objectives="",
            lead_reviewer="",
            timescale_0="",
            timescale_1="",
            timescale_2="",
            scope="Kept scope text",
        ),
    )
    page = response.content.decode()
    assert response.status_code == 200
    for message in (
        "Give the rationale for the decision",
        "Set at least one key objective of the Review",
        "Choose the lead reviewer",
        "Enter the timescale for completion",
    ):
        assert message in page
    assert "<title>Error: " in page
    assert "Kept scope text" in page
    assert 'id="id_rationale-error"' in page
    assert not Decision.objects.exists()


def test_a_no_needs_at_least_one_complete_further_action(client, people, make_referral):
    referral = make_referral(Status.AGREED)
    client.force_login(people.cfcig_member)
    url = reverse("group:decision_record", args=[referral.pk])
    blank_rows = {
        key: ""
        for key in no_data(people)
        if key.startswith("action_1") or key.startswith("action_3")
    }
    page = client.post(url, no_data(people, **blank_rows)).content.decode()
    assert "Set at least one further action, with an owner and a due date" in page
    partial = no_data(people, action_3_owner="", action_3_due_on_2="")
    page = client.post(url, partial).content.decode()
    assert "Choose the owner of further action 3" in page
    assert "Due date must include a year" in page
    assert "Refer to the fostering panel." in page
    assert not Decision.objects.exists()


def test_the_date_discussed_cannot_be_in_the_future(client, people, make_referral):
    referral = make_referral(Status.AGREED)
    client.force_login(people.cfcig_member)
    response = client.post(
        reverse("group:decision_record", args=[referral.pk]),
        yes_data(people, date_discussed_2="2999"),
    )
    assert "Date discussed must be today or in the past" in response.content.decode()
    assert not Decision.objects.exists()


def test_the_same_person_cannot_be_both_lead_reviewers(client, people, make_referral):
    referral = make_referral(Status.AGREED)
    client.force_login(people.cfcig_member)
    response = client.post(
        reverse("group:decision_record", args=[referral.pk]),
        yes_data(people, second_lead_reviewer=str(people.lead_reviewer.pk)),
    )
    assert "Choose a different second lead reviewer" in response.content.decode()


def test_a_refusal_by_the_service_is_shown_on_the_form_with_nothing_lost(
    client, people, make_referral, monkeypatch
):
    referral = make_referral(Status.AGREED)

    def refuse(**kwargs):
        raise WrongState("Name one or two lead reviewers.")

    monkeypatch.setattr(services, "decision_record", refuse)
    client.force_login(people.cfcig_member)
    response = client.post(
        reverse("group:decision_record", args=[referral.pk]), yes_data(people, scope="My scope")
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "Name one or two lead reviewers." in page
    assert "My scope" in page


def test_a_stale_form_is_not_saved_over_a_newer_decision(client, people, make_referral):
    referral = make_referral(Status.AGREED)
    record(people, referral)  # version 1, recorded by someone else meanwhile
    client.force_login(people.cfcig_member)
    url = reverse("group:decision_record", args=[referral.pk])
    response = client.post(url, yes_data(people, version="0", rationale="My own rationale"))
    page = response.content.decode()
    assert "Someone else changed this decision" in page
    assert "“Reasons.”" in page  # what the decision says now, named
    assert "My own rationale" in page
    assert 'name="version" value="1"' in page
    decision = Decision.objects.get(referral=referral)
    assert decision.rationale == "Reasons."
    # Saving again, having checked, works.
    client.post(url, yes_data(people, version="1", rationale="My own rationale"))
    decision.refresh_from_db()
    assert decision.rationale == "My own rationale"


# -- The lead reviewer warning -----------------------------------------------------------------


def test_choosing_the_cases_worker_as_lead_reviewer_warns_until_the_warning_is_read(
    client, people, make_referral
):
    referral = make_referral(Status.AGREED)
    client.force_login(people.cfcig_member)
    url = reverse("group:decision_record", args=[referral.pk])
    response = client.post(url, yes_data(people, lead_reviewer=str(people.worker.pk)))
    page = response.content.decode()
    assert "govuk-warning-text" in page
    assert "Megan Cross is the case&#x27;s worker" in page
    assert "Tick to say you have read the warning" in page
    assert not Decision.objects.exists()
    client.post(url, yes_data(people, lead_reviewer=str(people.worker.pk), warnings_read="on"))
    decision = Decision.objects.get(referral=referral)
    assert list(decision.lead_reviewers.all()) == [people.worker]
    # The warning stays on the decision page for the chair to see before confirming.
    client.force_login(people.cfcig_chair)
    page = client.get(reverse("group:decision", args=[referral.pk])).content.decode()
    assert "Megan Cross is the case&#x27;s worker" in page


def test_an_independent_lead_reviewer_needs_no_tick(client, people, make_referral):
    referral = make_referral(Status.AGREED)
    client.force_login(people.cfcig_member)
    page = client.get(reverse("group:decision_record", args=[referral.pk])).content.decode()
    assert "I have read the warning" not in page
    client.post(reverse("group:decision_record", args=[referral.pk]), yes_data(people))
    assert Decision.objects.filter(referral=referral).exists()


# -- The audit trail ----------------------------------------------------------------------------


def test_reading_the_decision_is_recorded_as_access_to_the_referral(client, people, make_referral):
    referral = make_referral(Status.NOT_PROCEEDING)
    client.force_login(people.worker)
    client.get(reverse("group:decision", args=[referral.pk]))
    view = ViewSummary.objects.get(actor_id=people.worker.pk)
    assert (view.record_type, view.record_id) == ("referrals.referral", str(referral.pk))
    assert view.summary == "Viewed the improvement group's decision"
