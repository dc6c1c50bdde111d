from django.urls import path

from learning_reviews.referrals import views, views_due_dates

app_name = "referrals"

# The referral's own page (`referrals:detail`) composes the later stages' parts and is
# `home.views.referral_page`, added to this namespace by the root URLconf.

urlpatterns = [
    path("", views.referral_list, name="list"),
    path("start/", views.referral_start, name="start"),
    path("supervision-notes/", views.supervision_notes, name="supervision_notes"),
    path("<int:pk>/history/", views.referral_history, name="history"),
    path("<int:pk>/form/", views.referral_form, name="form"),
    path("<int:pk>/form.pdf", views.referral_form_pdf, name="form_pdf"),
    path("<int:pk>/form/<slug:key>/", views.referral_section, name="section"),
    path("<int:pk>/check/", views.referral_check, name="check"),
    path("<int:pk>/childs-plan/", views.childs_plan_download, name="childs_plan"),
    path("<int:pk>/supervision/", views.referral_supervision, name="supervision"),
    path("<int:pk>/return/", views.referral_return, name="return"),
    path("<int:pk>/recommend/", views.referral_recommend, name="recommend"),
    path("<int:pk>/decision/", views.referral_decision, name="decision"),
    path("<int:pk>/due-date/", views_due_dates.referral_due_date, name="due_date"),
]
