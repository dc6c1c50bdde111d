from django.urls import path

from learning_reviews.outcomes import views_briefing, views_review

urlpatterns = [
    # The overview of a review's outcomes, and the parts of §4 it leads to.
    path("reviews/<int:pk>/", views_review.review, name="review"),
    path("reviews/<int:pk>/dissemination/", views_review.dissemination, name="dissemination"),
    path("reviews/<int:pk>/tell/", views_review.tell, name="tell"),
    path("reviews/<int:pk>/close/", views_review.close, name="close"),
    # The learning briefing.
    path("reviews/<int:pk>/briefings/new/", views_briefing.briefing_start, name="briefing_start"),
    path("briefings/<int:pk>/", views_briefing.briefing, name="briefing"),
    path("briefings/<int:pk>/submit/", views_briefing.briefing_submit, name="briefing_submit"),
    path("briefings/<int:pk>/approve/", views_briefing.briefing_approve, name="briefing_approve"),
    path("briefings/<int:pk>/return/", views_briefing.briefing_return, name="briefing_return"),
    path("briefings/<int:pk>/briefing.pdf", views_briefing.briefing_pdf, name="briefing_pdf"),
]
