from django.urls import path

from learning_reviews.improvement_group import (
    views_decisions,
    views_further_action,
    views_letters,
    views_meetings,
)

app_name = "group"

urlpatterns = [
    # Meetings (§3.4, §4): agenda, minutes, minutes PDF.
    path("meetings/", views_meetings.meetings, name="meetings"),
    path("meetings/new/", views_meetings.meeting_new, name="meeting_new"),
    path("meetings/<int:pk>/", views_meetings.meeting, name="meeting"),
    path("meetings/<int:pk>/agenda/", views_meetings.meeting_agenda, name="meeting_agenda"),
    path("meetings/<int:pk>/items/<int:item>/", views_meetings.agenda_item, name="agenda_item"),
    path("meetings/<int:pk>/close/", views_meetings.meeting_close, name="meeting_close"),
    path("meetings/<int:pk>/minutes.pdf", views_meetings.minutes_pdf, name="minutes_pdf"),
    # The decision on a referral (Appendix 3, "To be completed by CFCIG").
    path("referrals/<int:pk>/decision/", views_decisions.decision, name="decision"),
    path(
        "referrals/<int:pk>/decision/record/",
        views_decisions.decision_record,
        name="decision_record",
    ),
    path(
        "referrals/<int:pk>/decision/confirm/",
        views_decisions.decision_confirm,
        name="decision_confirm",
    ),
    # Written feedback (§3.4a/b).
    path("referrals/<int:pk>/letter/", views_letters.letter, name="letter"),
    path("referrals/<int:pk>/letter/send/", views_letters.letter_send, name="letter_send"),
    path("referrals/<int:pk>/letter.pdf", views_letters.letter_pdf, name="letter_pdf"),
    path("referrals/<int:pk>/letter.docx", views_letters.letter_docx, name="letter_docx"),
    path("manage/letters/", views_letters.letter_templates, name="letter_templates"),
    path(
        "manage/letters/<slug:kind>/",
        views_letters.letter_template_edit,
        name="letter_template_edit",
    ),
    # Further action when the group does not proceed (§3.4b).
    path(
        "referrals/<int:pk>/further-action/",
        views_further_action.further_action,
        name="further_action",
    ),
    path(
        "referrals/<int:pk>/further-action/complete/",
        views_further_action.further_action_complete,
        name="further_action_complete",
    ),
]
