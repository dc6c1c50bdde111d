"""The conversations (Appendix 4) and a participant's own pages; included in `reviews`."""

from django.urls import path

from learning_reviews.reviews import views_conversations as views

urlpatterns = [
    path("<int:pk>/conversations/", views.review_conversations, name="review_conversations"),
    path(
        "<int:pk>/conversations/<int:participant_pk>/",
        views.review_conversation,
        name="review_conversation",
    ),
    path("<int:pk>/conversations/collated/", views.review_collated, name="review_collated"),
    path("taking-part/", views.my_participation, name="my_participation"),
    path("<int:pk>/my-conversation/", views.review_my_conversation, name="review_my_conversation"),
]
