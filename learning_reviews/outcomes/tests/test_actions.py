"""The action plan (§3 step 6, §4): group members add and change actions for the accepted
recommendations; owners report progress with evidence; only the group's outcome check closes an
action. Whoever sees the review in full, and the actions' owners, see the plan; others get 404."""

import datetime

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from learning_reviews.outcomes.models import Action, ActionUpdate, Recommendation
from learning_reviews.outcomes.tests.helpers import action_for, confirmed_review


def _date(prefix: str, name: str, day: datetime.date) -> dict[str, str]:
    return {
        f"{prefix}{name}_0": str(day.day),
        f"{prefix}{name}_1": str(day.month),
        f"{prefix}{name}_2": str(day.year),
    }


def _action_data(people, due: datetime.date, check: datetime.date, **extra: str):
    return {
        "text": "Set up a planned-move meeting with the fostering link worker before any move.",
        "owner": str(people.other_worker.pk),
        "team": str(people.other_team.pk),
        "intended_outcome": "Children moving placement meet their new carers first.",
        "measure": "Share of moves with a pre-move meeting, from the fostering team's log.",
        **_date("", "due_on", due),
        **_date("", "outcome_check_on", check),
        **extra,
    }


def _first_accepted(review) -> Recommendation:
    return Recommendation.objects.filter(review=review).order_by("id").first()


def test_members_add_actions_others_read_the_plan(client, people, make_referral):
    review = confirmed_review(people, make_referral)
    recommendation = _first_accepted(review)
    plan = reverse("outcomes:action_plan", args=[review.pk])
    new = reverse("outcomes:action_new", args=[recommendation.pk])

    for nobody in (people.outsider, people.other_worker, people.auditor, people.admin):
        client.force_login(nobody)
        assert client.get(plan).status_code == 404
        assert client.get(new).status_code == 404

    client.force_login(people.lead_reviewer)  # reads, changes nothing here
    page = client.get(plan).content.decode()
    assert "Agree a planned route for emergency is not the same as same-day." in page
    assert "Add an action" not in page
    response = client.get(new, follow=True)
    assert "Only members of the improvement group can change the action plan." in (
        response.content.decode()
    )

    client.force_login(people.cfcig_member)
    assert "Add an action" in client.get(plan).content.decode()
    today = timezone.localdate()
    due, check = today + datetime.timedelta(days=30), today + datetime.timedelta(days=10)
    response = client.post(new, _action_data(people, due, check))
    page = response.content.decode()
    assert 'id="id_outcome_check_on-error"' in page
    assert "Outcome-check date must be the same as or after the due date" in page
    assert "Set up a planned-move meeting with the fostering link worker" in page  # kept
    assert not Action.objects.exists()

    check = today + datetime.timedelta(days=90)
    response = client.post(new, _action_data(people, due, check), follow=True)
    assert "Action added. Its owner has been told." in response.content.decode()
    action = Action.objects.get()
    assert (action.owner, action.team, action.due_on) == (
        people.other_worker,
        people.other_team,
        due,
    )

    # The owner now sees the plan (not the group's deliberations on the findings).
    client.force_login(people.other_worker)
    page = client.get(plan).content.decode()
    assert "Jenna Scott, Fostering Team" in page
    assert "Not started" in page
    recommendations = reverse("outcomes:recommendations", args=[review.pk])
    assert client.get(recommendations).status_code == 404


def test_the_plan_page_reads_in_a_constant_number_of_queries(
    client, people, make_referral, django_assert_max_num_queries
):
    review = confirmed_review(people, make_referral)
    recommendations = list(Recommendation.objects.filter(review=review).order_by("id"))
    member, today = people.cfcig_member, timezone.localdate()
    late = {"due_on": today - datetime.timedelta(days=3)}
    action_for(recommendations[0], member, people.other_worker, **late)
    action_for(recommendations[1], member, people.worker, team=people.team)
    plan = reverse("outcomes:action_plan", args=[review.pk])
    client.force_login(people.cfcig_member)
    with CaptureQueriesContext(connection) as two:
        page = client.get(plan).content.decode()
    assert "Past its due date" in page
    bound = len(two.captured_queries)
    with django_assert_max_num_queries(bound):
        client.get(plan)
    for n in range(10):
        action_for(recommendations[n % len(recommendations)], member, people.worker)
    assert Action.objects.filter(review=review).count() == 12
    with django_assert_max_num_queries(bound):
        page = client.get(plan).content.decode()
    assert page.count("Write practice guidance on planned moves") == 12


def test_the_owner_reports_progress_with_evidence_and_done_does_not_close_it(
    client, people, make_referral
):
    review = confirmed_review(people, make_referral)
    action = action_for(_first_accepted(review), people.cfcig_member, people.other_worker)
    page_url = reverse("outcomes:action", args=[action.pk])
    update_url = reverse("outcomes:action_update", args=[action.pk])
    today = timezone.localdate()

    client.force_login(people.lead_reviewer)  # reads, changes nothing here
    response = client.post(update_url, {"update-text": "Nothing"}, follow=True)
    assert "owner or a member of the group can report progress." in response.content.decode()

    client.force_login(people.other_worker)
    page = client.get(page_url).content.decode()
    assert "Report progress" in page
    assert "Check the outcome" not in page  # the group's, not the owner's
    data = {
        "update-text": "Guidance drafted with the fostering team and shared with carers.",
        "update-status": "done",
        **_date("update-", "date", today + datetime.timedelta(days=2)),
    }
    page = client.post(update_url, data).content.decode()
    assert "Date of the update must be today or in the past" in page
    assert "Guidance drafted with the fostering team" in page

    evidence = SimpleUploadedFile(
        "planned-moves-guidance.txt", b"Draft guidance on planned moves.\n", "text/plain"
    )
    data.update(_date("update-", "date", today))
    response = client.post(update_url, {**data, "update-evidence": evidence}, follow=True)
    page = response.content.decode()
    assert "Progress reported." in page
    assert "Done — outcome to be checked" in page
    assert 'Marking the action "done" does not close it.' in page
    update = ActionUpdate.objects.get(action=action)
    action.refresh_from_db()
    assert action.is_open

    download = reverse("outcomes:action_evidence", args=[action.pk, update.pk])
    assert download in page
    response = client.get(download)
    assert b"".join(response.streaming_content) == b"Draft guidance on planned moves.\n"
    # Downloaded under the reference, never the name it was uploaded with.
    reference = action.review.referral.reference
    assert (
        f'filename="{reference}-action-{action.pk}-evidence.txt"'
        in (response["Content-Disposition"])
    )
    assert response["Cache-Control"] == "no-store"
    for nobody in (people.worker, people.outsider):
        client.force_login(nobody)
        assert client.get(download).status_code == 404
    client.force_login(people.other_worker)
    other = reverse("outcomes:action_evidence", args=[action.pk, update.pk + 1])
    assert client.get(other).status_code == 404

    # The owner cannot check the outcome: only the group closes an action.
    outcome_url = reverse("outcomes:action_outcome", args=[action.pk])
    response = client.post(
        outcome_url,
        {"outcome-version": str(action.version), "outcome-result": "achieved"},
        follow=True,
    )
    assert "Only members of the group can record the outcome check." in response.content.decode()
    action.refresh_from_db()
    assert action.status == Action.Status.DONE


def test_the_group_checks_the_outcome_which_closes_the_action(client, people, make_referral):
    review = confirmed_review(people, make_referral)
    action = action_for(_first_accepted(review), people.cfcig_member, people.other_worker)
    outcome_url = reverse("outcomes:action_outcome", args=[action.pk])
    client.force_login(people.cfcig_member)

    page = client.post(
        outcome_url, {"outcome-version": str(action.version), "outcome-result": "achieved"}
    ).content.decode()
    assert 'id="id_outcome-evidence-error"' in page
    assert "Give the evidence that the outcome was achieved" in page

    evidence = "Eight of ten moves since March were planned at least 48 hours ahead (SWIS)."
    stale = {
        "outcome-version": str(action.version - 1),
        "outcome-result": "achieved",
        "outcome-evidence": evidence,
    }
    page = client.post(outcome_url, stale).content.decode()
    assert "Someone else changed this action since you opened it" in page
    assert evidence in page
    action.refresh_from_db()
    assert action.is_open

    response = client.post(
        outcome_url, {**stale, "outcome-version": str(action.version)}, follow=True
    )
    page = response.content.decode()
    assert "Outcome recorded: the action is closed." in page
    assert "Outcome achieved" in page
    assert evidence in page
    assert "Report progress" not in page
    assert "Change the action" not in page
    action.refresh_from_db()
    assert action.status == Action.Status.ACHIEVED

    client.force_login(people.other_worker)
    response = client.post(
        reverse("outcomes:action_update", args=[action.pk]), {"update-text": "x"}, follow=True
    )
    assert "it is closed" in response.content.decode()
    assert not ActionUpdate.objects.exists()


def test_a_member_changes_an_action_and_a_stale_page_is_a_conflict(client, people, make_referral):
    review = confirmed_review(people, make_referral)
    action = action_for(_first_accepted(review), people.cfcig_member, people.other_worker)
    edit = reverse("outcomes:action_edit", args=[action.pk])
    today = timezone.localdate()

    client.force_login(people.other_worker)  # the owner reports; the group changes
    response = client.get(edit, follow=True)
    assert "Only members of the improvement group can change the action plan." in (
        response.content.decode()
    )

    client.force_login(people.cfcig_member)
    assert "Write practice guidance on planned moves" in client.get(edit).content.decode()
    later = today + datetime.timedelta(days=60)
    data = _action_data(people, later, later + datetime.timedelta(days=60))
    page = client.post(edit, {**data, "version": str(action.version - 1)}).content.decode()
    assert "Someone else changed this action since you opened it" in page
    assert "Set up a planned-move meeting" in page
    response = client.post(edit, {**data, "version": str(action.version)}, follow=True)
    assert "Action changed." in response.content.decode()
    action.refresh_from_db()
    assert action.due_on == later
