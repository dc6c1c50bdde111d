"""The lead reviewer's analysis: chronology and timeline, key practice episodes, sources and
findings (issue 5 §3, §5, §6). Included under the `reviews` namespace."""

from django.urls import path

from learning_reviews.reviews import views_analysis as views

urlpatterns = [
    path("<int:pk>/chronology/", views.review_chronology, name="review_chronology"),
    path("<int:pk>/timeline/", views.review_timeline, name="review_timeline"),
    path("<int:pk>/episodes/", views.review_episodes, name="review_episodes"),
    path("<int:pk>/episodes/add/", views.review_episode_add, name="review_episode_add"),
    path("<int:pk>/episodes/<int:episode_pk>/", views.review_episode, name="review_episode"),
    path("<int:pk>/sources/", views.review_sources, name="review_sources"),
    path(
        "<int:pk>/sources/<int:source_pk>/file/",
        views.review_source_file,
        name="review_source_file",
    ),
    path("<int:pk>/findings/", views.review_findings, name="review_findings"),
    path("<int:pk>/findings/add/", views.review_finding_add, name="review_finding_add"),
    path("<int:pk>/findings/<int:finding_pk>/", views.review_finding, name="review_finding"),
]
