"""The triage rules (Appendix 1 and §2): for each kind of review, the facts of a case that fit
it and the criteria listed as matched; a case fitting several routes lists every one; a case
fitting none says why for each kind. The rules are pure, so these need no database."""

import pytest

from learning_reviews.referrals.models import Ground
from learning_reviews.triage.models import Kind
from learning_reviews.triage.rules import BY_KEY, NO, QUESTIONS, YES, Match, advise, grounds_for

PLACEMENT = str(Ground.PLACEMENT_BREAKDOWN.label)
LACK_OF_PROGRESS = str(Ground.LACK_OF_PROGRESS.label)
DISRUPTION = str(Ground.DISRUPTION.label)
GOOD_PRACTICE = str(Ground.GOOD_PRACTICE.label)
LEGAL_SYSTEM = str(Ground.LEGAL_SYSTEM.label)


def facts(**given: str) -> dict[str, str]:
    """Every question answered: "no" (single agency, no breakdown) unless given."""
    answers = {q.key: NO for q in QUESTIONS}
    answers.update(agencies="single", placement_breakdown="none")
    unknown = set(given) - set(BY_KEY)
    assert not unknown, unknown
    answers.update(given)
    return answers


def match_for(answers: dict[str, str], kind: Kind) -> Match:
    return next(m for m in advise(answers).matches if m.kind == kind)


def test_every_baseline_answer_is_one_of_its_questions_choices():
    for key, value in facts().items():
        assert value in {v for v, _ in BY_KEY[key].choices}


# ---------------------------------------------------------------------------------------------
# Each of the six kinds


def test_a_child_death_with_several_agencies_is_a_significant_case_review():
    # A child known to health, education and social work dies after an injury at home.
    advice = advise(facts(death_or_serious_incident=YES, agencies="multi"))
    assert advice.matches == (
        Match(Kind.SIGNIFICANT_CASE_REVIEW, ("Child death/serious incident", "Multi-agency")),
    )


def test_a_serious_incident_known_only_to_social_work_lists_only_the_incident():
    advice = advise(facts(death_or_serious_incident=YES))
    assert advice.matches == (
        Match(Kind.SIGNIFICANT_CASE_REVIEW, ("Child death/serious incident",)),
    )


def test_a_looked_after_child_with_a_stalled_plan_and_several_agencies_is_a_lac_learning_review():
    # A looked after child at home under supervision; CAMHS, school and social work involved;
    # the child's plan has not moved in a year.
    advice = advise(facts(looked_after=YES, agencies="multi", lack_of_progress=YES))
    assert advice.matches == (
        Match(Kind.LAC_LEARNING_REVIEW, ("Looked after child", "Multi-agency", LACK_OF_PROGRESS)),
        Match(Kind.LEARNING_REVIEW, (LACK_OF_PROGRESS,)),
    )


def test_a_looked_after_child_who_died_is_a_lac_learning_review_as_well_as_an_scr():
    answers = facts(looked_after=YES, agencies="multi", death_or_serious_incident=YES)
    assert advise(answers).kinds == [Kind.SIGNIFICANT_CASE_REVIEW, Kind.LAC_LEARNING_REVIEW]
    assert match_for(answers, Kind.LAC_LEARNING_REVIEW).matched == (
        "Looked after child",
        "Multi-agency",
        "Child death/serious incident",
    )


def test_good_practice_alone_is_no_concern_for_a_lac_learning_review():
    advice = advise(facts(looked_after=YES, agencies="multi", good_practice=YES))
    assert advice.kinds == [Kind.LEARNING_REVIEW]
    assert "concern" in advice.not_matched[Kind.LAC_LEARNING_REVIEW]


def test_a_looked_after_child_known_only_to_social_work_is_not_a_lac_learning_review():
    advice = advise(facts(looked_after=YES, lack_of_progress=YES))
    assert Kind.LAC_LEARNING_REVIEW not in advice.kinds
    assert "more than one agency" in advice.not_matched[Kind.LAC_LEARNING_REVIEW]


def test_a_long_registration_and_a_quick_re_registration_are_a_cpr_case_review():
    # On the register 20 months, after being re-registered 8 months after de-registration.
    advice = advise(
        facts(cpr_over_18_months=YES, reregistered_within_12_months=YES, agencies="multi")
    )
    assert advice.matches == (
        Match(
            Kind.CPR_CASE_REVIEW,
            (
                "Children on CPR > 18 months",
                "Children re-registered within 12 months of de-registration",
                "Multi-agency",
            ),
        ),
    )


def test_either_registration_fact_alone_is_a_cpr_case_review():
    assert advise(facts(cpr_over_18_months=YES)).matches == (
        Match(Kind.CPR_CASE_REVIEW, ("Children on CPR > 18 months",)),
    )
    assert advise(facts(reregistered_within_12_months=YES)).matches == (
        Match(
            Kind.CPR_CASE_REVIEW, ("Children re-registered within 12 months of de-registration",)
        ),
    )


def test_an_adoption_disruption_is_a_disruption_review_and_a_learning_review_ground():
    # An adoptive placement ended after eight months, before the adoption order.
    advice = advise(facts(permanency_disruption=YES))
    assert advice.matches == (
        Match(Kind.DISRUPTION_REVIEW, ("Permanency or adoption disruption",)),
        Match(Kind.LEARNING_REVIEW, (DISRUPTION,)),
    )


def test_multiple_placement_breakdowns_are_a_disruption_review():
    answers = facts(placement_breakdown="several")
    assert match_for(answers, Kind.DISRUPTION_REVIEW).matched == ("Multiple placement breakdown",)
    assert advise(answers).kinds == [Kind.DISRUPTION_REVIEW, Kind.LEARNING_REVIEW]


def test_a_wider_concern_in_social_work_alone_is_a_structured_debrief():
    advice = advise(facts(wider_concern=YES))
    assert advice.matches == (
        Match(Kind.STRUCTURED_DEBRIEF, ("Wider range of concern", "Single agency")),
    )


def test_a_wider_concern_with_several_agencies_is_a_structured_debrief_without_single_agency():
    advice = advise(facts(wider_concern=YES, agencies="multi"))
    assert advice.matches == (Match(Kind.STRUCTURED_DEBRIEF, ("Wider range of concern",)),)


def test_good_practice_worth_sharing_is_a_learning_review_only():
    # A kinship placement sustained through a hard year by a well-run team around the child.
    advice = advise(facts(good_practice=YES))
    assert advice.matches == (Match(Kind.LEARNING_REVIEW, (GOOD_PRACTICE,)),)
    assert advice.grounds == (Ground.GOOD_PRACTICE,)


def test_a_failure_of_the_legal_system_is_a_learning_review():
    # Grounds not established at proof, though every professional recommended supervision.
    advice = advise(facts(legal_system=YES))
    assert advice.matches == (Match(Kind.LEARNING_REVIEW, (LEGAL_SYSTEM,)),)


# ---------------------------------------------------------------------------------------------
# Several routes, and none


def test_the_worked_case_lists_every_route_that_fits():
    # Zara Quinn: looked after, several agencies, three foster placements ended unplanned.
    advice = advise(facts(looked_after=YES, agencies="multi", placement_breakdown="several"))
    assert advice.matches == (
        Match(Kind.LAC_LEARNING_REVIEW, ("Looked after child", "Multi-agency", PLACEMENT)),
        Match(Kind.DISRUPTION_REVIEW, ("Multiple placement breakdown", "Multi-agency")),
        Match(Kind.LEARNING_REVIEW, (PLACEMENT,)),
    )
    assert advice.grounds == (Ground.PLACEMENT_BREAKDOWN,)


def test_one_placement_breakdown_with_several_agencies_is_not_a_disruption_review():
    advice = advise(facts(looked_after=YES, agencies="multi", placement_breakdown="one"))
    assert advice.kinds == [Kind.LAC_LEARNING_REVIEW, Kind.LEARNING_REVIEW]
    assert "no more than one placement breakdown" in advice.not_matched[Kind.DISRUPTION_REVIEW]


def test_a_case_meeting_every_kind_lists_all_six_in_appendix_1_order():
    advice = advise(
        facts(
            death_or_serious_incident=YES,
            agencies="multi",
            looked_after=YES,
            cpr_over_18_months=YES,
            placement_breakdown="several",
            wider_concern=YES,
        )
    )
    assert advice.kinds == list(Kind)
    assert advice.not_matched == {}


def test_a_case_that_fits_none_says_why_for_every_kind():
    advice = advise(facts())
    assert advice.matches == ()
    assert advice.grounds == ()
    assert set(advice.not_matched) == set(Kind)
    assert advice.not_matched[Kind.SIGNIFICANT_CASE_REVIEW] == (
        "There has been no child death or serious incident."
    )
    assert advice.not_matched[Kind.LEARNING_REVIEW] == (
        "None of the five criteria in section 2 of the protocol is met."
    )
    assert all(reason.strip() for reason in advice.not_matched.values())


# ---------------------------------------------------------------------------------------------
# §2 grounds


@pytest.mark.parametrize(
    ("key", "value", "ground"),
    [
        ("good_practice", YES, Ground.GOOD_PRACTICE),
        ("lack_of_progress", YES, Ground.LACK_OF_PROGRESS),
        ("placement_breakdown", "one", Ground.PLACEMENT_BREAKDOWN),
        ("placement_breakdown", "several", Ground.PLACEMENT_BREAKDOWN),
        ("permanency_disruption", YES, Ground.DISRUPTION),
        ("legal_system", YES, Ground.LEGAL_SYSTEM),
    ],
)
def test_each_section_2_ground_comes_from_its_answer_alone(key, value, ground):
    assert grounds_for(facts(**{key: value})) == (ground,)


def test_no_ground_from_answers_that_meet_none():
    assert grounds_for(facts(death_or_serious_incident=YES, wider_concern=YES)) == ()


def test_every_ground_at_once_comes_in_the_protocols_order():
    answers = facts(
        legal_system=YES,
        permanency_disruption=YES,
        placement_breakdown="one",
        lack_of_progress=YES,
        good_practice=YES,
    )
    assert grounds_for(answers) == tuple(Ground)
