"""Passwords: Argon2 in production, and the published demo password only in demo mode."""

import pytest
from django.contrib.auth import authenticate as django_authenticate
from django.contrib.auth.hashers import check_password, make_password
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.test import RequestFactory

from learning_reviews import settings as project_settings
from learning_reviews.accounts.models import Organisation, User
from learning_reviews.accounts.validators import NotDemoPasswordValidator

DEMO = project_settings.DEMO_PASSWORD
OWN_PASSWORD = "a-long-and-private-passphrase"


def authenticate(username: str, password: str):
    # django-axes, first of the backends, needs the request (AUTHENTICATION_BACKENDS).
    return django_authenticate(
        RequestFactory().post("/sign-in/"), username=username, password=password
    )


def test_argon2_is_the_first_password_hasher_in_the_project_settings():
    # conftest swaps in a fast hasher for every test, so read the settings module itself.
    assert project_settings.PASSWORD_HASHERS[0] == (
        "django.contrib.auth.hashers.Argon2PasswordHasher"
    )


def test_passwords_are_hashed_with_argon2_under_the_project_settings(settings):
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS
    hashed = make_password(OWN_PASSWORD)
    assert hashed.startswith("argon2$argon2id$")
    assert check_password(OWN_PASSWORD, hashed)


def test_the_demo_password_is_validated_against_by_the_project_settings():
    names = [v["NAME"] for v in project_settings.AUTH_PASSWORD_VALIDATORS]
    assert "learning_reviews.accounts.validators.NotDemoPasswordValidator" in names


@pytest.fixture
def demo_user(db) -> User:
    org = Organisation.objects.create(name="Fictional Council")
    return User.objects.create_user(
        username="megan", password=DEMO, full_name="Megan Cross", organisation=org
    )


def test_the_demo_password_is_refused_when_demo_mode_is_off(settings, demo_user):
    settings.ALLOW_DEMO_PASSWORD = False
    assert authenticate(username="megan", password=DEMO) is None


def test_the_demo_password_is_accepted_when_demo_mode_is_on(settings, demo_user):
    settings.ALLOW_DEMO_PASSWORD = True
    assert authenticate(username="megan", password=DEMO) == demo_user


def test_an_own_password_still_works_when_demo_mode_is_off(settings, demo_user):
    demo_user.set_password(OWN_PASSWORD)
    demo_user.save()
    settings.ALLOW_DEMO_PASSWORD = False
    assert authenticate(username="megan", password=OWN_PASSWORD) == demo_user
    assert authenticate(username="megan", password="not-the-password") is None


def test_the_validator_refuses_the_demo_password_when_demo_mode_is_off(settings):
    settings.ALLOW_DEMO_PASSWORD = False
    with pytest.raises(ValidationError, match="demo"):
        NotDemoPasswordValidator().validate(DEMO)
    with pytest.raises(ValidationError, match="demo"):
        validate_password(DEMO)


def test_the_validator_allows_the_demo_password_in_demo_mode(settings):
    settings.ALLOW_DEMO_PASSWORD = True
    NotDemoPasswordValidator().validate(DEMO)


def test_the_validator_allows_any_other_password(settings):
    settings.ALLOW_DEMO_PASSWORD = False
    NotDemoPasswordValidator().validate(OWN_PASSWORD)
    validate_password(OWN_PASSWORD)
