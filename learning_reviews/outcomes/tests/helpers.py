"""A review taken to each stage of its outcomes through the real services, with the worked
case's fictional content (shared/examples/worked-case.md)."""

import datetime

from learning_reviews.accounts.models import User
from learning_reviews.outcomes import services
from learning_reviews.outcomes.models import Action, Recommendation, ReviewOutcome
from learning_reviews.reviews.models import Finding, Review
from learning_reviews.reviews.tests.report_helpers import review_at

TODAY = datetime.date.today


def presented_review(people, make_referral) -> Review:
    return review_at(make_referral, people, Review.Status.PRESENTED)


def version(review: Review) -> int:
    outcome = ReviewOutcome.objects.filter(review=review).first()
    return outcome.version if outcome else 1


def recommend_all(review: Review, member: User) -> list[Recommendation]:
    """One accepted recommendation per finding (the first accepted with changes)."""
    made = []
    for n, finding in enumerate(Finding.objects.filter(review=review).order_by("id")):
        data = services.RecommendationInput(
            text=f"Agree a planned route for {finding.title.lower()}.",
            response="accepted_with_changes" if n == 0 else "accepted",
            changes="Piloted in two teams first." if n == 0 else "",
        )
        made.append(
            services.recommendation_add(
                finding=finding, by=member, data=data, version=version(review)
            )
        )
    return made


def confirmed_review(people, make_referral) -> Review:
    review = presented_review(people, make_referral)
    recommend_all(review, people.cfcig_member)
    services.recommendations_confirm(review=review, by=people.cfcig_chair, version=version(review))
    return review


def action_for(recommendation: Recommendation, by: User, owner: User, **kwargs) -> Action:
    today = TODAY()
    values = {
        "text": "Write practice guidance on planned moves and brief every locality team.",
        "owner": owner,
        "team": None,
        "due_on": today + datetime.timedelta(days=30),
        "intended_outcome": "Fewer same-day moves for children whose placement is ending.",
        "measure": "Share of moves planned at least 48 hours ahead, from SWIS placement data.",
        "outcome_check_on": today + datetime.timedelta(days=90),
        **kwargs,
    }
    return services.action_add(
        recommendation=recommendation, by=by, data=services.ActionInput(**values)
    )
