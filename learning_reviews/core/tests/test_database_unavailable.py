"""A database that cannot be reached is a 503 "service unavailable" page, whichever layer of the
request met it: the session, the signed-in person or the view (docs/operations.md, "When
PostgreSQL goes away"). The real thing, a PostgreSQL stopped and started again under a running
app server, is `test_postgresql_goes_away.py`."""

import pytest
from django.contrib.sessions.backends.db import SessionStore
from django.db import InterfaceError, OperationalError
from django.template.loader import render_to_string
from django.test import Client

from learning_reviews.accounts.models import User
from learning_reviews.home import views as home_views

WORDING = "Sorry, the service is unavailable"


@pytest.fixture
def signed_in(people) -> Client:
    # Exceptions become responses, as for a browser (the test client re-raises them otherwise).
    browser = Client(raise_request_exception=False)
    browser.force_login(people.worker)
    return browser


def _unavailable(*args, **kwargs):
    raise OperationalError("connection to server at 10.0.0.9 failed for user megan")


def _recording(calls, render):
    def record(template_name, context=None, request=None):
        calls.append((template_name, request))
        assert context is None
        return render(template_name, context, request)

    return record


def _assert_unavailable_page(response) -> None:
    assert response.status_code == 503
    assert response["Retry-After"] == "60"
    page = response.content.decode()
    assert WORDING in page
    assert "try again in a few minutes" in page
    assert "10.0.0.9" not in page and "megan" not in page.lower()


def test_a_database_gone_while_loading_the_session_is_the_unavailable_page(signed_in, monkeypatch):
    monkeypatch.setattr(SessionStore, "load", _unavailable)
    _assert_unavailable_page(signed_in.get("/"))


def test_a_database_gone_while_loading_the_signed_in_person_is_the_unavailable_page(
    signed_in, monkeypatch
):
    # The sign-in backend reads the person with their organisation (accounts/backends.py).
    monkeypatch.setattr(User._default_manager, "select_related", _unavailable)
    _assert_unavailable_page(signed_in.get("/"))


def test_a_database_gone_in_the_view_is_the_unavailable_page(signed_in, monkeypatch):
    def closed(*args, **kwargs):
        raise InterfaceError("connection already closed")

    monkeypatch.setattr(home_views, "tasks_for", closed)
    _assert_unavailable_page(signed_in.get("/"))


def test_the_unavailable_page_asks_nothing_of_the_database(signed_in, monkeypatch):
    monkeypatch.setattr(home_views, "tasks_for", _unavailable)
    asked = []
    monkeypatch.setattr(
        "learning_reviews.core.views.render_to_string",
        _recording(asked, render_to_string),
    )
    _assert_unavailable_page(signed_in.get("/"))
    assert asked == [("core/unavailable.html", None)]  # no context, no request: nothing to query


def test_any_other_error_is_still_a_server_error(signed_in, monkeypatch):
    def broken(*args, **kwargs):
        raise ValueError("a bug")

    monkeypatch.setattr(home_views, "tasks_for", broken)
    response = signed_in.get("/")
    assert response.status_code == 500
    assert WORDING not in response.content.decode()
