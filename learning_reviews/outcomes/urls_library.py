"""/outcomes/library/: the learning library and the themes of the findings."""

from django.urls import URLPattern, path

from learning_reviews.outcomes import views_library

urlpatterns: list[URLPattern] = [
    path("library/", views_library.library_search, name="library"),
    path("library/themes/", views_library.themes, name="themes"),
    path("library/<int:pk>/", views_library.library_entry, name="library_entry"),
]
