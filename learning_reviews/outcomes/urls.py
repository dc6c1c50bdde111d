"""/outcomes/: what comes of a review's findings (§3 step 6, §4) and the learning library."""

from learning_reviews.outcomes import urls_actions, urls_library, urls_review

app_name = "outcomes"

urlpatterns = [
    *urls_review.urlpatterns,
    *urls_actions.urlpatterns,
    *urls_library.urlpatterns,
]
