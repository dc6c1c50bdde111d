"""The Learning Review Protocol, as a page and as a PDF (issue 4 §4)."""

from django.urls import path

from learning_reviews.documents import views

urlpatterns = [
    path("protocol/", views.protocol, name="protocol"),
    path("protocol.pdf", views.protocol_pdf, name="protocol_pdf"),
]
