"""/outcomes/: what comes of a review's findings (§3 step 6, §4) and the learning library."""

from learning_reviews.outcomes import urls_actions, urls_library

app_name = "outcomes"

urlpatterns = [
    *urls_actions.urlpatterns,
    *urls_library.urlpatterns,
]
