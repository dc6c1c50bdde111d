from django.urls import path

from learning_reviews.home import views_calendar

urlpatterns = [
    path("account/calendar/", views_calendar.account_calendar, name="account_calendar"),
    path("calendar/<str:token>.ics", views_calendar.calendar_feed, name="calendar_feed"),
]
