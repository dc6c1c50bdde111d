"""Two factors: setting up an authenticator app, signing in with a code or a backup code, the
roles that require them, and an administrator's audited recovery."""

import pytest
from django.urls import reverse
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from learning_reviews.accounts import services_signin, two_factor
from learning_reviews.accounts.models import Role
from learning_reviews.accounts.tests.signin_helpers import build_cast, code, sign_in
from learning_reviews.audit.models import AuditEvent
from learning_reviews.core.errors import NotAllowed

ENROL = reverse("two_factor_enrol")
VERIFY = reverse("two_factor_verify")


@pytest.fixture
def cast(db):
    return build_cast()


def enrol(client) -> tuple[TOTPDevice, list[str]]:
    """Set up two factors through the pages, as the signed-in person."""
    page = client.get(ENROL)
    assert page.status_code == 200
    device = TOTPDevice.objects.get(user=page.wsgi_request.user, confirmed=False)
    response = client.post(ENROL, {"code": code(device)})
    assert response.status_code == 200, response.content.decode()
    device.refresh_from_db()
    return device, response.context["codes"]


def test_setting_up_shows_the_qr_code_and_the_secret_and_confirms_with_a_first_code(client, cast):
    client.force_login(cast.worker)
    page = client.get(ENROL).content.decode()
    assert '<img src="data:image/svg+xml' in page and 'alt="QR code' in page
    device = TOTPDevice.objects.get(user=cast.worker)
    assert two_factor.secret_for_typing(device) in page
    assert not device.confirmed and not two_factor.has_two_factors(cast.worker)

    device, codes = enrol(client)
    assert device.confirmed and len(codes) == 10 and len(set(codes)) == 10
    assert AuditEvent.objects.filter(action="user.two_factor_enrolled").count() == 1
    assert client.get(reverse("home")).status_code == 200  # verified by the first code


def test_a_wrong_code_is_refused_beside_the_field_and_keeps_what_was_typed(client, cast):
    client.force_login(cast.worker)
    client.get(ENROL)
    response = client.post(ENROL, {"code": "000000x"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'id="id_code-error"' in page and "The code is not right" in page
    assert 'value="000000x"' in page
    assert not two_factor.has_two_factors(cast.worker)


def test_signing_in_asks_for_a_code_after_the_password(client, cast):
    client.force_login(cast.worker)
    device, _ = enrol(client)
    client.post(reverse("logout"))

    assert sign_in(client, "megan").status_code == 302
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response["Location"].startswith(VERIFY)
    assert client.get(reverse("referrals:list")).status_code == 302

    right = client.post(VERIFY, {"code": code(device, steps_ahead=1), "next": "/referrals/"})
    assert right.status_code == 302 and right["Location"] == "/referrals/"
    assert client.get(reverse("home")).status_code == 200


def test_a_wrong_code_at_sign_in_is_refused_and_guessing_is_slowed(client, cast):
    client.force_login(cast.worker)
    device, _ = enrol(client)
    client.post(reverse("logout"))
    sign_in(client, "megan")
    wrong = client.post(VERIFY, {"code": "123456"})
    assert wrong.status_code == 200 and 'id="id_code-error"' in wrong.content.decode()
    assert "The code is not right" in wrong.content.decode()
    too_soon = client.post(VERIFY, {"code": code(device, steps_ahead=1)})
    assert "Too many wrong codes" in too_soon.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_a_backup_code_signs_in_once(client, cast):
    client.force_login(cast.worker)
    _, codes = enrol(client)
    client.post(reverse("logout"))

    sign_in(client, "megan")
    assert client.post(VERIFY, {"code": codes[0].upper()}).status_code == 302
    assert client.get(reverse("home")).status_code == 200
    assert two_factor.backup_codes_left(cast.worker) == 9
    client.post(reverse("logout"))

    sign_in(client, "megan")
    again = client.post(VERIFY, {"code": codes[0]})
    assert again.status_code == 200 and "The code is not right" in again.content.decode()
    assert client.get(reverse("home")).status_code == 302


def test_someone_who_owes_a_code_cannot_set_up_a_new_app_instead(client, cast):
    client.force_login(cast.worker)
    enrol(client)
    client.post(reverse("logout"))
    sign_in(client, "megan")
    response = client.get(ENROL)
    assert response.status_code == 302 and response["Location"] == VERIFY


def test_new_backup_codes_replace_the_old_ones_and_removing_ends_two_factors(client, cast):
    client.force_login(cast.worker)
    _, old = enrol(client)
    response = client.post(reverse("two_factor_backup_codes"))
    new = response.context["codes"]
    tokens = set(StaticToken.objects.values_list("token", flat=True))
    assert tokens == set(new) and not tokens & set(old)
    client.post(reverse("two_factor_remove"))
    assert not two_factor.has_two_factors(cast.worker)
    assert not StaticToken.objects.exists()
    assert (
        AuditEvent.objects.filter(
            action__in=["user.backup_codes_renewed", "user.two_factor_removed"]
        ).count()
        == 2
    )


@pytest.mark.parametrize(
    "role",
    [
        Role.ADMINISTRATOR,
        Role.SERVICE_MANAGER,
        Role.CFCIG_MEMBER,
        Role.CFCIG_CHAIR,
        Role.LEAD_REVIEWER,
    ],
)
def test_a_role_that_requires_two_factors_reaches_no_page_without_them(
    client, cast, settings, role
):
    settings.LR_REQUIRE_TWO_FACTOR = True
    cast.worker.memberships.create(organisation=cast.org, role=role)
    client.force_login(cast.worker)
    for name in ("home", "account", "manage:home"):
        response = client.get(reverse(name))
        assert response.status_code == 302 and response["Location"] == ENROL, name
    assert client.get(ENROL).status_code == 200
    enrol(client)
    assert client.get(reverse("home")).status_code == 200


def test_two_factors_are_offered_not_required_when_the_setting_is_off(client, cast, settings):
    settings.LR_REQUIRE_TWO_FACTOR = False
    client.force_login(cast.admin)
    assert client.get(reverse("manage:home")).status_code == 200


def test_other_roles_need_not_set_up_two_factors(client, cast, settings):
    settings.LR_REQUIRE_TWO_FACTOR = True
    client.force_login(cast.worker)
    assert client.get(reverse("home")).status_code == 200


def test_a_single_sign_on_session_counts_as_having_given_the_second_factor(client, cast, settings):
    settings.LR_REQUIRE_TWO_FACTOR = True
    client.force_login(cast.admin)
    session = client.session
    session["lr_signed_in_by"] = "sso"
    session.save()
    assert client.get(reverse("manage:home")).status_code == 200


def test_an_administrator_resets_someone_elses_two_factors_and_their_sessions_end(client, cast):
    client.force_login(cast.worker)
    enrol(client)
    services_signin.two_factor_reset(by=cast.admin, user=cast.worker)
    assert not TOTPDevice.objects.filter(user=cast.worker).exists()
    assert client.get(reverse("home")).status_code == 302  # signed out
    event = AuditEvent.objects.get(action="user.two_factor_reset")
    assert (event.actor_id, event.record_id) == (cast.admin.pk, str(cast.worker.pk))


def test_an_administrator_cannot_reset_their_own_two_factors(client, cast):
    client.force_login(cast.admin)
    enrol(client)
    with pytest.raises(NotAllowed):
        services_signin.two_factor_reset(by=cast.admin, user=cast.admin)
    with pytest.raises(NotAllowed):
        services_signin.two_factor_reset(by=cast.worker, user=cast.admin)
    assert two_factor.has_two_factors(cast.admin)
    assert not AuditEvent.objects.filter(action="user.two_factor_reset").exists()


def test_the_reset_button_on_the_persons_page_resets_them(client, cast):
    other = client.__class__()
    other.force_login(cast.worker)
    enrol(other)
    client.force_login(cast.admin)
    page = client.get(reverse("manage:user_detail", args=[cast.worker.pk])).content.decode()
    assert "Reset two factors" in page
    response = client.post(reverse("manage:user_two_factor_reset", args=[cast.worker.pk]))
    assert response.status_code == 302
    assert not two_factor.has_two_factors(cast.worker)


def test_someone_whose_role_requires_two_factors_cannot_remove_them(client, cast, settings):
    settings.LR_REQUIRE_TWO_FACTOR = True
    client.force_login(cast.admin)
    enrol(client)
    client.post(reverse("two_factor_remove"))
    assert two_factor.has_two_factors(cast.admin)
    assert not AuditEvent.objects.filter(action="user.two_factor_removed").exists()
