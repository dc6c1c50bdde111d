"""The draft report (§5) and marking the review ready for the group (§3.6)."""

from django.urls import path

from learning_reviews.reviews import views_report

urlpatterns = [
    path("<int:pk>/report/", views_report.review_report, name="review_report"),
    path(
        "<int:pk>/report/generate/",
        views_report.review_report_generate,
        name="review_report_generate",
    ),
    path("<int:pk>/report/upload/", views_report.review_report_upload, name="review_report_upload"),
    path("<int:pk>/report/ready/", views_report.review_report_ready, name="review_report_ready"),
    # The latest version, or version <number>.
    path("<int:pk>/report/docx/", views_report.review_report_docx, name="review_report_docx"),
    path(
        "<int:pk>/report/<int:number>/docx/",
        views_report.review_report_docx,
        name="review_report_docx",
    ),
    path("<int:pk>/report/pdf/", views_report.review_report_pdf, name="review_report_pdf"),
    path(
        "<int:pk>/report/<int:number>/pdf/",
        views_report.review_report_pdf,
        name="review_report_pdf",
    ),
]
