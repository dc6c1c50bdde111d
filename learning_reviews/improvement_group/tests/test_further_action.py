"""§3.4b: a NO decision's further actions reach the agenda as progress reports until marked
complete. Only the team manager (or an action's owner) reports progress; only the chair marks
the matter complete; everyone else who may see the referral reads it; others get 404."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from learning_reviews.audit.models import AuditEvent, ViewSummary
from learning_reviews.core.errors import NotAllowed, WrongState
from learning_reviews.improvement_group import services
from learning_reviews.improvement_group.models import AgendaItem, Meeting, ProgressReport
from learning_reviews.improvement_group.tests.further_action_factories import not_proceeding
from learning_reviews.referrals.models import Referral, Status

ALL_PERSONAS = (
    "worker",
    "line_manager",
    "service_manager",
    "cfcig_chair",
    "cfcig_member",
    "lead_reviewer",
    "admin",
    "auditor",
    "other_worker",
    "other_line_manager",
    "outsider",
    "outsider_line_manager",
)
# Who may see a referral of `people.worker` once the group has decided (written out).
SEES = frozenset(
    {"worker", "line_manager", "service_manager", "cfcig_chair", "cfcig_member", "auditor"}
)


def _yesterday() -> datetime.date:
    return timezone.localdate() - datetime.timedelta(days=1)


def _report_data(action_pk: int, text: str = "Plan brought to the LAC review.", **date: str):
    day = date.get("day") or str(_yesterday().day)
    month = date.get("month") or str(_yesterday().month)
    year = date.get("year") or str(_yesterday().year)
    prefix = f"action-{action_pk}"
    return {
        "action": str(action_pk),
        f"{prefix}-text": text,
        f"{prefix}-reported_on_0": day,
        f"{prefix}-reported_on_1": month,
        f"{prefix}-reported_on_2": year,
    }


# The agenda ------------------------------------------------------------------------------------


def _progress_items(meeting) -> list[int]:
    return list(
        meeting.items.filter(kind=AgendaItem.Kind.PROGRESS).values_list("referral_id", flat=True)
    )


def test_a_no_decision_reaches_every_agenda_as_a_progress_report_until_marked_complete(people):
    referral, decision = not_proceeding(people)
    chair = people.cfcig_chair

    def plan(days: int):
        return services.meeting_create(
            by=people.cfcig_member,
            date=timezone.localdate() + datetime.timedelta(days=days),
            place="Room 2",
            attendees=[chair],
        )

    first = plan(7)
    assert _progress_items(first) == [referral.pk]
    services.meeting_record_minutes(
        item=first.items.get(), by=people.cfcig_member, minutes="Progress noted.", version=1
    )
    services.meeting_close(
        meeting=first, by=chair, version=Meeting.objects.get(pk=first.pk).version
    )

    second = plan(35)
    assert _progress_items(second) == [referral.pk]

    services.further_action_complete(decision=decision, by=chair)
    third = plan(63)
    assert _progress_items(third) == []
    # A meeting already planned does not gain it again when its agenda is rebuilt.
    assert services.meeting_build_agenda(meeting=second, by=people.cfcig_member) == []


def test_a_decision_to_proceed_never_reaches_the_agenda_as_a_progress_report(people, make_referral):
    make_referral(Status.REVIEW_COMMISSIONED)
    meeting = services.meeting_create(
        by=people.cfcig_member, date=timezone.localdate(), place="", attendees=[]
    )
    assert _progress_items(meeting) == []


# The further action page -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", ALL_PERSONAS)
@pytest.mark.parametrize("status", [Status.NOT_PROCEEDING, Status.FURTHER_ACTION_COMPLETE])
def test_the_further_action_page_is_for_everyone_who_may_see_the_referral(
    client, people, make_referral, persona, status
):
    referral = make_referral(status)
    client.force_login(getattr(people, persona))
    response = client.get(reverse("group:further_action", args=[referral.pk]))
    assert response.status_code == (200 if persona in SEES else 404)
    if persona in SEES:
        assert "Bring the child&#x27;s plan to the next LAC review" in response.text
        assert people.line_manager.full_name in response.text


@pytest.mark.parametrize(
    "status", [Status.AGREED, Status.REVIEW_COMMISSIONED, Status.WITH_SERVICE_MANAGER]
)
def test_there_is_no_further_action_page_before_or_without_a_no_decision(
    client, people, make_referral, status
):
    referral = make_referral(status)
    client.force_login(
        people.cfcig_chair if status != Status.WITH_SERVICE_MANAGER else people.auditor
    )
    response = client.get(reverse("group:further_action", args=[referral.pk]))
    assert response.status_code == 404


def test_the_page_numbers_each_action_with_its_owner_due_date_and_reports(client, people):
    referral, _ = not_proceeding(
        people, owners=[people.line_manager, people.service_manager], reports_each=1
    )
    client.force_login(people.worker)
    response = client.get(reverse("group:further_action", args=[referral.pk]))
    text = response.text
    assert text.index("Further action 1") < text.index("Further action 2")
    assert "Further action number 2" in text
    assert people.service_manager.full_name in text
    assert "Progress report 1 on Further action number 1" in text
    assert "9 May 2025" in text  # the first action's due date
    assert 'name="action"' not in text  # the worker reports nothing
    assert ViewSummary.objects.filter(
        summary="Viewed the further action", actor_id=people.worker.pk
    ).exists()


def test_the_line_manager_is_offered_a_form_for_every_action_and_an_owner_only_for_theirs(
    client, people
):
    referral, decision = not_proceeding(
        people, owners=[people.line_manager, people.service_manager]
    )
    first, second = decision.further_actions.all()
    url = reverse("group:further_action", args=[referral.pk])
    client.force_login(people.line_manager)
    text = client.get(url).text
    assert f'value="{first.pk}"' in text and f'value="{second.pk}"' in text
    client.force_login(people.service_manager)
    text = client.get(url).text
    assert f'value="{first.pk}"' not in text and f'value="{second.pk}"' in text


def test_the_line_manager_reports_progress(client, people):
    referral, decision = not_proceeding(people)
    action = decision.further_actions.get()
    client.force_login(people.line_manager)
    response = client.post(
        reverse("group:further_action", args=[referral.pk]), _report_data(action.pk)
    )
    assert response.status_code == 302
    report = ProgressReport.objects.get(action=action)
    assert report.text == "Plan brought to the LAC review."
    assert report.reported_on == _yesterday()
    assert report.created_by == people.line_manager
    assert AuditEvent.objects.filter(action="referral.progress_reported").count() == 1
    page = client.get(response.url).text
    assert "Plan brought to the LAC review." in page
    assert "Progress on further action 1 reported." in page


def test_an_owner_who_is_not_the_team_manager_reports_progress_on_their_own_action(client, people):
    referral, decision = not_proceeding(
        people, owners=[people.line_manager, people.service_manager]
    )
    second = decision.further_actions.all()[1]
    client.force_login(people.service_manager)
    client.post(reverse("group:further_action", args=[referral.pk]), _report_data(second.pk))
    assert ProgressReport.objects.get().action == second


@pytest.mark.parametrize("persona", ["worker", "service_manager", "cfcig_chair", "auditor"])
def test_nobody_else_can_report_progress(client, people, persona):
    referral, decision = not_proceeding(people)
    action = decision.further_actions.get()  # owned by the line manager
    client.force_login(getattr(people, persona))
    url = reverse("group:further_action", args=[referral.pk])
    response = client.post(url, _report_data(action.pk))
    assert response.status_code == 302
    assert not ProgressReport.objects.exists()
    assert "Only the team manager or the action&#x27;s owner" in client.get(url).text


def test_an_owner_who_cannot_see_the_referral_reaches_the_page_and_reports_progress(client, people):
    referral, decision = not_proceeding(people, owners=[people.other_worker])
    action = decision.further_actions.get()
    url = reverse("group:further_action", args=[referral.pk])
    client.force_login(people.other_worker)
    assert client.get(reverse("referrals:detail", args=[referral.pk])).status_code == 404
    assert client.get(url).status_code == 200
    client.post(url, _report_data(action.pk))
    assert ProgressReport.objects.get().created_by == people.other_worker
    client.force_login(people.other_line_manager)  # owns nothing here
    assert client.get(url).status_code == 404


def test_my_tasks_takes_an_owner_to_the_further_action_until_it_is_complete(client, people):
    referral, decision = not_proceeding(people, owners=[people.other_worker])
    url = reverse("group:further_action", args=[referral.pk])
    client.force_login(people.other_worker)
    assert f'href="{url}"' in client.get(reverse("home")).text
    services.further_action_complete(decision=decision, by=people.cfcig_chair)
    assert f'href="{url}"' not in client.get(reverse("home")).text


def test_the_service_refuses_progress_from_anyone_but_the_team_manager_or_owner(people):
    _, decision = not_proceeding(people)
    with pytest.raises(NotAllowed):
        services.progress_report_add(
            action=decision.further_actions.get(),
            by=people.worker,
            text="Done",
            reported_on=_yesterday(),
        )


@pytest.mark.parametrize("persona", ["other_line_manager", "outsider_line_manager", "outsider"])
def test_those_who_may_not_see_the_referral_get_404_when_reporting(client, people, persona):
    referral, decision = not_proceeding(people)
    client.force_login(getattr(people, persona))
    response = client.post(
        reverse("group:further_action", args=[referral.pk]),
        _report_data(decision.further_actions.get().pk),
    )
    assert response.status_code == 404
    assert not ProgressReport.objects.exists()


def test_a_date_reported_in_the_future_is_refused_beside_the_field_and_nothing_is_lost(
    client, people
):
    referral, decision = not_proceeding(people)
    action = decision.further_actions.get()
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    client.force_login(people.line_manager)
    response = client.post(
        reverse("group:further_action", args=[referral.pk]),
        _report_data(
            action.pk,
            text="Carers' support plan agreed.",
            day=str(tomorrow.day),
            month=str(tomorrow.month),
            year=str(tomorrow.year),
        ),
    )
    assert response.status_code == 200
    assert "Date reported must be today or in the past" in response.text
    assert "govuk-error-summary" in response.text
    assert response.text.startswith("<!DOCTYPE html>")
    assert "<title>Error:" in response.text
    assert "Carers&#x27; support plan agreed." in response.text
    assert not ProgressReport.objects.exists()


def test_progress_without_words_is_refused_beside_the_field(client, people):
    referral, decision = not_proceeding(people)
    client.force_login(people.line_manager)
    response = client.post(
        reverse("group:further_action", args=[referral.pk]),
        _report_data(decision.further_actions.get().pk, text="   "),
    )
    assert response.status_code == 200
    assert "Say what progress has been made" in response.text
    assert not ProgressReport.objects.exists()


def test_an_unknown_action_is_404(client, people):
    referral, _ = not_proceeding(people)
    _, other = not_proceeding(people)
    client.force_login(people.line_manager)
    response = client.post(
        reverse("group:further_action", args=[referral.pk]),
        _report_data(other.further_actions.get().pk),
    )
    assert response.status_code == 404
    assert not ProgressReport.objects.exists()


def test_no_progress_can_be_reported_once_the_matter_is_complete(client, people):
    referral, decision = not_proceeding(people)
    action = decision.further_actions.get()
    services.further_action_complete(decision=decision, by=people.cfcig_chair)
    client.force_login(people.line_manager)
    url = reverse("group:further_action", args=[referral.pk])
    assert 'name="action"' not in client.get(url).text
    assert client.post(url, _report_data(action.pk)).status_code == 302
    assert not ProgressReport.objects.exists()
    with pytest.raises(WrongState):
        services.progress_report_add(
            action=action, by=people.line_manager, text="Late", reported_on=_yesterday()
        )


def test_the_page_takes_the_same_number_of_queries_for_one_or_five_actions(
    client, people, django_assert_max_num_queries
):
    small, _ = not_proceeding(people, reports_each=1)
    large, _ = not_proceeding(people, owners=[people.line_manager] * 5, reports_each=5)
    client.force_login(people.line_manager)
    with django_assert_max_num_queries(100) as small_run:
        client.get(reverse("group:further_action", args=[small.pk]))
    with django_assert_max_num_queries(len(small_run.captured_queries)):
        response = client.get(reverse("group:further_action", args=[large.pk]))
    assert response.text.count('name="action"') == 5


# Marking the further action complete ----------------------------------------------------------


def test_the_chair_confirms_and_marks_the_further_action_complete(client, people):
    referral, _ = not_proceeding(people)
    client.force_login(people.cfcig_chair)
    page = client.get(reverse("group:further_action", args=[referral.pk])).text
    assert reverse("group:further_action_complete", args=[referral.pk]) in page
    url = reverse("group:further_action_complete", args=[referral.pk])
    response = client.get(url)
    assert response.status_code == 200
    assert "Further action number 1" in response.text
    response = client.post(url)
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.status == Status.FURTHER_ACTION_COMPLETE
    assert referral.decision.further_action_completed_on is not None
    assert "no longer come onto the group" in client.get(response.url).text


@pytest.mark.parametrize(
    "persona",
    ["worker", "line_manager", "service_manager", "cfcig_member", "auditor"],
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_only_the_chair_marks_the_further_action_complete(client, people, persona, method):
    referral, _ = not_proceeding(people)
    client.force_login(getattr(people, persona))
    response = getattr(client, method)(reverse("group:further_action_complete", args=[referral.pk]))
    assert response.status_code == 302
    assert response.url == reverse("group:further_action", args=[referral.pk])
    referral.refresh_from_db()
    assert referral.status == Status.NOT_PROCEEDING
    page = client.get(response.url).text
    assert "Only the chair of the CFCIG can mark the further action complete." in page
    assert reverse("group:further_action_complete", args=[referral.pk]) not in page


@pytest.mark.parametrize(
    "persona", ["lead_reviewer", "other_worker", "other_line_manager", "outsider"]
)
@pytest.mark.parametrize("method", ["get", "post"])
def test_those_who_may_not_see_the_referral_get_404_when_completing(
    client, people, persona, method
):
    referral, _ = not_proceeding(people)
    client.force_login(getattr(people, persona))
    response = getattr(client, method)(reverse("group:further_action_complete", args=[referral.pk]))
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == Status.NOT_PROCEEDING


def test_marking_complete_twice_is_reported_not_repeated(client, people):
    referral, decision = not_proceeding(people)
    services.further_action_complete(decision=decision, by=people.cfcig_chair)
    completed_on = Referral.objects.get(pk=referral.pk).decision.further_action_completed_on
    client.force_login(people.cfcig_chair)
    response = client.post(reverse("group:further_action_complete", args=[referral.pk]))
    assert response.status_code == 302
    assert "already been marked complete" in client.get(response.url).text
    assert Referral.objects.get(pk=referral.pk).decision.further_action_completed_on == completed_on


@pytest.mark.parametrize("status", [Status.AGREED, Status.REVIEW_COMMISSIONED])
def test_there_is_nothing_to_complete_without_a_no_decision(client, people, make_referral, status):
    referral = make_referral(status)
    client.force_login(people.cfcig_chair)
    response = client.post(reverse("group:further_action_complete", args=[referral.pk]))
    assert response.status_code == 404
    assert Referral.objects.get(pk=referral.pk).status == status


def test_the_service_refuses_completion_by_anyone_but_the_chair(people):
    _, decision = not_proceeding(people)
    with pytest.raises(NotAllowed):
        services.further_action_complete(decision=decision, by=people.cfcig_member)
