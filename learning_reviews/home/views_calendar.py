"""The calendar feed (a private link, no session) and the page under "Your account" that makes
and revokes it (docs/decisions/0024-calendar-feed.md)."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_http_methods

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.audit.services import DOWNLOADED, record_access
from learning_reviews.home import calendar_services
from learning_reviews.home.calendar_feed import feed_for, person_for_feed
from learning_reviews.home.models import CalendarToken

# The new link's secret waits here between the POST that makes it and the page that shows it,
# once: only its digest is stored.
_JUST_MADE = "calendar_link_just_made"


def _feed_url(secret: str) -> str:
    return settings.SERVICE_URL.rstrip("/") + reverse("calendar_feed", args=[secret])


@require_http_methods(["GET", "POST"])
def account_calendar(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    if request.method == "POST":
        # Each button says what it does; a post that says neither changes nothing.
        action = request.POST.get("action")
        if action == "revoke" and calendar_services.calendar_token_revoke(by=user):
            messages.success(request, "Your calendar link has been revoked.")
        elif action == "create":
            request.session[_JUST_MADE] = calendar_services.calendar_token_create(by=user)
        return redirect("account_calendar")
    secret = request.session.pop(_JUST_MADE, None)
    live = CalendarToken.objects.filter(user_id=user.pk, revoked_on__isnull=True).first()
    return render(
        request,
        "home/account_calendar.html",
        {
            "live": live,
            "feed_url": _feed_url(secret) if secret and live else None,
        },
    )


@login_not_required
@require_GET
def calendar_feed(request: HttpRequest, token: str) -> HttpResponse:
    person = person_for_feed(token)
    if person is None:
        raise Http404("No such calendar")
    record_access(
        actor=person, record=person, summary="Downloaded their calendar feed", action=DOWNLOADED
    )
    response = HttpResponse(feed_for(person), content_type="text/calendar; charset=utf-8")
    response["Cache-Control"] = "no-store"
    response["Content-Disposition"] = 'inline; filename="learning-reviews.ics"'
    return response
