"""Issue 4 §7: the referral's page tells the whole story in order — identified → supervision →
recommendation → Service Manager → group decision → feedback sent → review or further action."""

import re
from html import unescape

import pytest
from django.urls import reverse
from django.utils import timezone

from learning_reviews.home.story import story_of
from learning_reviews.improvement_group import services
from learning_reviews.improvement_group.models import Letter
from learning_reviews.improvement_group.testing import CaseContent, decide_at_group
from learning_reviews.improvement_group.tests.further_action_factories import not_proceeding
from learning_reviews.referrals.models import Status
from learning_reviews.reviews.models import Review

PATHWAY = [
    "Need for a Learning Review identified",
    "Discussed in supervision",
    "Referral form signed by the worker",
    "Review recommended to a Service Manager",
    "Service Manager's decision",
]


def _page_titles(html: str) -> list[str]:
    return [unescape(t) for t in re.findall(r'class="moj-timeline__title">(.*?)</h3>', html)]


def _titles(referral):
    return [step.title for step in story_of(referral)]


def _not_yet(referral):
    return [step.title for step in story_of(referral) if not step.done]


def test_a_draft_has_only_been_identified_and_every_later_step_is_not_yet(make_referral):
    referral = make_referral(Status.DRAFT)
    steps = story_of(referral)
    assert [s.title for s in steps] == [
        *PATHWAY,
        "The improvement group's decision",
        "Written feedback sent",
        "Learning Review or further action",
    ]
    assert [s.done for s in steps] == [True] + [False] * 7
    assert steps[0].date == CaseContent().identified_on
    assert steps[0].detail == "Review meeting"
    assert all(s.detail == "Not yet" for s in steps[1:])


def test_the_steps_to_the_service_manager_say_who_and_when(people, make_referral):
    referral = make_referral(Status.AGREED)
    steps = story_of(referral)
    assert [s.done for s in steps[:5]] == [True] * 5
    assert steps[1].who == people.line_manager.full_name
    assert steps[1].date == CaseContent().supervision_date
    assert steps[2].who == people.worker.full_name
    assert steps[3].who == people.line_manager.full_name
    assert people.service_manager.full_name in steps[3].detail
    assert steps[4].who == people.service_manager.full_name
    assert steps[4].detail.startswith("Agrees the case meets the criteria")
    assert "Children and Families Continuous Improvement Group (CFCIG)" in steps[4].detail
    assert _not_yet(referral) == [
        "CFCIG's decision",
        "Written feedback sent",
        "Learning Review or further action",
    ]


def test_a_referral_the_service_manager_did_not_agree_stops_there_with_the_reasons(
    make_referral,
):
    referral = make_referral(Status.NOT_AGREED)
    steps = story_of(referral)
    assert [s.title for s in steps] == PATHWAY
    assert steps[-1].detail.startswith("Does not agree the case meets the criteria. Reasons: ")
    assert "child's plan review" in steps[-1].detail


def test_a_decision_awaiting_the_chair_is_shown_as_recorded_without_its_outcome(
    people, make_referral
):
    referral = make_referral(Status.AGREED)
    services.decision_record(
        referral=referral,
        by=people.cfcig_member,
        data=services.DecisionInput(
            date_discussed=CaseContent().supervision_date,
            proceed=False,
            rationale="Confidential until confirmed",
            meets_criteria=True,
            will_benefit=False,
            further_actions=[
                services.ActionInput(
                    text="Review the plan", owner=people.line_manager, due_on=timezone.localdate()
                )
            ],
        ),
        version=0,
    )
    step = story_of(referral)[5]
    assert step.title == "CFCIG's decision"
    assert step.detail == "Recorded; awaiting the chair's confirmation."
    assert step.who == people.cfcig_member.full_name
    assert step.link == reverse("group:decision", args=[referral.pk])
    assert "Confidential" not in step.detail
    assert _not_yet(referral) == ["Written feedback sent", "Learning Review or further action"]


def test_a_commissioned_review_ends_the_story_with_its_commission(people, make_referral):
    referral = make_referral(Status.REVIEW_COMMISSIONED)
    steps = story_of(referral)
    assert [s.title for s in steps][5:] == [
        "CFCIG's decision: proceed to a Learning Review",
        "Written feedback sent",
        "Learning Review commissioned",
        "Findings presented to the improvement group",
        "What the review found and what is changing",
        "Learning Review closed",
    ]
    decision, review = steps[5], steps[7]
    assert decision.who == people.cfcig_chair.full_name
    assert "Rationale: A pattern of emergency moves" in decision.detail
    assert review.who == people.lead_reviewer.full_name
    assert review.link == reverse("reviews:detail", args=[Review.objects.get().pk])
    assert "to be completed by 30 June 2025" in review.detail
    assert _not_yet(referral) == [
        "Written feedback sent",
        "Findings presented to the improvement group",
        "What the review found and what is changing",
        "Learning Review closed",
    ]


def test_a_sent_letter_says_when_by_whom_and_to_whom(people, make_referral):
    referral = make_referral(Status.REVIEW_COMMISSIONED)
    sent_on = timezone.now()
    Letter.objects.create(
        organisation=people.org,
        decision=referral.decision,
        subject="Decision",
        body="…",
        recipients=[
            {"name": people.worker.full_name, "email": people.worker.email},
            {"name": people.line_manager.full_name, "email": people.line_manager.email},
        ],
        sent_on=sent_on,
        sent_by=people.service_manager,
    )
    step = story_of(referral)[6]
    assert step.done and step.date == sent_on
    assert step.who == people.service_manager.full_name
    assert step.detail == f"Sent to {people.worker.full_name}, {people.line_manager.full_name}."
    assert step.link == reverse("group:letter", args=[referral.pk])
    assert story_of(referral, letter_readable=False)[6].link == ""


def test_the_referral_page_links_the_letter_only_for_those_who_may_read_it(
    client, people, make_referral
):
    referral = make_referral(Status.REVIEW_COMMISSIONED)
    Letter.objects.create(
        organisation=people.org,
        decision=referral.decision,
        subject="Decision",
        body="…",
        sent_on=timezone.now(),
        sent_by=people.service_manager,
    )
    letter = reverse("group:letter", args=[referral.pk])
    for user, linked in [
        (people.worker, True),
        (people.lead_reviewer, False),
        (people.auditor, False),
    ]:
        client.force_login(user)
        page = client.get(reverse("referrals:detail", args=[referral.pk])).content.decode()
        assert (f'href="{letter}"' in page) == linked, user


def test_a_letter_not_yet_sent_is_not_yet(people, make_referral):
    referral = make_referral(Status.NOT_PROCEEDING)
    Letter.objects.create(
        organisation=people.org, decision=referral.decision, subject="Decision", body="…"
    )
    assert "Written feedback sent" in _not_yet(referral)


def test_a_no_decision_is_followed_by_its_further_action_until_marked_complete(people):
    referral, decision = not_proceeding(
        people, owners=[people.line_manager, people.service_manager], reports_each=2
    )
    steps = story_of(referral)
    assert [s.title for s in steps][5:] == [
        "CFCIG's decision: not to proceed",
        "Written feedback sent",
        "Further action and progress reports",
        "Further action marked complete",
    ]
    step = steps[7]
    assert step.detail == "2 further actions; 4 progress reports, the latest on 23 April 2025."
    assert step.who == people.line_manager.full_name
    assert step.link == reverse("group:further_action", args=[referral.pk])
    assert _not_yet(referral) == ["Written feedback sent", "Further action marked complete"]

    services.further_action_complete(decision=decision, by=people.cfcig_chair)
    referral.refresh_from_db()
    assert _not_yet(referral) == ["Written feedback sent"]


def test_a_no_decision_without_reports_says_so(people):
    referral, _ = not_proceeding(people)
    assert story_of(referral)[7].detail == "1 further action; no progress reported yet."


# On the referral's page -------------------------------------------------------------------------


@pytest.mark.parametrize("persona", ["worker", "line_manager", "cfcig_member"])
def test_the_referral_page_tells_the_story_in_order_with_links(client, people, persona):
    referral, _ = not_proceeding(people, reports_each=1)
    client.force_login(getattr(people, persona))
    text = client.get(reverse("referrals:detail", args=[referral.pk])).text
    assert "The story so far" in text
    assert _page_titles(text) == [
        *PATHWAY,
        "CFCIG's decision: not to proceed",
        "Written feedback sent",
        "Further action and progress reports",
        "Further action marked complete",
    ]
    assert reverse("group:decision", args=[referral.pk]) in text
    assert reverse("group:further_action", args=[referral.pk]) in text
    assert "Not yet" in text


def test_the_referral_page_links_a_commissioned_review(client, people, make_referral):
    referral = make_referral(Status.REVIEW_COMMISSIONED)
    client.force_login(people.worker)
    text = client.get(reverse("referrals:detail", args=[referral.pk])).text
    assert reverse("reviews:detail", args=[Review.objects.get().pk]) in text


def test_the_referral_page_takes_the_same_number_of_queries_for_one_or_five_actions(
    client, people, django_assert_max_num_queries
):
    small, _ = not_proceeding(people, reports_each=1)
    large, _ = not_proceeding(people, owners=[people.line_manager] * 5, reports_each=5)
    client.force_login(people.line_manager)
    with django_assert_max_num_queries(100) as small_run:
        client.get(reverse("referrals:detail", args=[small.pk]))
    with django_assert_max_num_queries(len(small_run.captured_queries)):
        response = client.get(reverse("referrals:detail", args=[large.pk]))
    assert "5 further actions; 25 progress reports" in response.text


def test_the_story_of_a_second_decision_is_its_own(people, make_referral):
    # Two referrals decided differently do not borrow each other's steps.
    yes = make_referral(Status.REVIEW_COMMISSIONED)
    no, _ = not_proceeding(people)
    assert "Learning Review commissioned" in _titles(yes)
    assert "Learning Review commissioned" not in _titles(no)
    assert "Further action and progress reports" not in _titles(yes)


def test_a_matter_marked_complete_leaves_nothing_but_the_letter_to_come(people, make_referral):
    referral = make_referral(Status.AGREED)
    referral = decide_at_group(
        referral,
        Status.FURTHER_ACTION_COMPLETE,
        group_member=people.cfcig_member,
        group_chair=people.cfcig_chair,
        lead_reviewer=None,
        content=CaseContent(),
    )
    assert _not_yet(referral) == ["Written feedback sent"]
