"""Reviews at a stage of the lead reviewer's work, through the services (as the demo does)."""

from learning_reviews.home.demo_reviews import Cast, take_review_to
from learning_reviews.referrals.models import Status
from learning_reviews.reviews.models import Review


def cast_of(people) -> Cast:
    """The personas in their parts: Jenna Scott (`other_worker`), Megan Cross and Iain Baxter
    take part in the case group with their accounts."""
    return Cast(
        lead=people.lead_reviewer,
        service_manager=people.service_manager,
        group_member=people.cfcig_member,
        link_worker=people.other_worker,
        worker=people.worker,
        line_manager=people.line_manager,
    )


def review_at(make_referral, people, status: Review.Status) -> Review:
    referral = make_referral(Status.REVIEW_COMMISSIONED)
    return take_review_to(Review.objects.get(referral=referral), status, cast_of(people))
