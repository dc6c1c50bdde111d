from django.urls import path

from learning_reviews.triage import views_admin, views_questions, views_register

app_name = "triage"

urlpatterns = [
    # The "which review fits?" questions (GOV.UK question pages).
    path("triage/", views_questions.start, name="start"),
    path("triage/<int:pk>/check/", views_questions.check, name="check"),
    path("triage/<int:pk>/result/", views_questions.result, name="result"),
    path("triage/<int:pk>/start-referral/", views_questions.start_referral, name="start_referral"),
    path("triage/<int:pk>/route/", views_questions.route, name="route"),
    path("triage/<int:pk>/<slug:key>/", views_questions.question, name="question"),
    # The register of every case review.
    path("register/", views_register.register, name="register"),
    path("register/record/", views_register.record, name="record"),
    path("register/<int:pk>/", views_register.case_review, name="case_review"),
    # The administrator's review types (Appendix 1).
    path("manage/review-types/", views_admin.review_types, name="review_types"),
    path("manage/review-types/<int:pk>/", views_admin.review_type_edit, name="review_type_edit"),
]
