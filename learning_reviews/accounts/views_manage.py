"""The management area: an organisation's administrators manage its people, teams, roles and
settings. Every page 404s for anyone who is not an administrator of the organisation."""

from dataclasses import dataclass
from typing import Any

from django import forms
from django.contrib import messages
from django.http import HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning_reviews.accounts import services, services_outbox, services_signin
from learning_reviews.accounts.forms import (
    MembershipForm,
    OrganisationSettingsForm,
    TeamForm,
    TeamRenameForm,
    UserCreateForm,
    UserDetailsForm,
)
from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import Membership, Organisation, Role, Team, User
from learning_reviews.accounts.selectors import (
    administered_organisation,
    get_membership_for,
    get_team_for,
    get_user_for,
    teams_in_use,
    teams_of,
    users_of,
)
from learning_reviews.accounts.selectors_outbox import (
    failed_emails_for,
    get_failed_email_for,
    retrying_count_for,
)
from learning_reviews.accounts.two_factor import has_two_factors
from learning_reviews.core.errors import ServiceError
from learning_reviews.core.versions import Stale, keep_typed

ROLE_ORDER = {role: index for index, role in enumerate(Role.values)}


def _admin(request: AuthenticatedRequest) -> tuple[User, Organisation]:
    """The signed-in administrator and their organisation; 404 for anyone else."""
    organisation = administered_organisation(request.user)
    assert isinstance(request.user, User)  # noqa: S101 - checked by administered_organisation
    return request.user, organisation


def _posted(request: AuthenticatedRequest) -> QueryDict | None:
    return request.POST if request.method == "POST" else None


def _form_error(form: forms.Form, error: ServiceError) -> None:
    """Show a service's refusal beside the field it concerns, or above the form."""
    field = getattr(error, "field", None)
    if field in form.fields:
        form.add_error(field, getattr(error, "messages", [str(error)]))
    else:
        form.add_error(None, str(error))


@dataclass(frozen=True)
class RoleLine:
    membership: Membership
    title: str


def _roles(organisation: Organisation, user: User) -> list[RoleLine]:
    """The user's roles in the organisation's words, in the protocol's order of roles."""
    memberships = sorted(
        user.memberships.all(),
        key=lambda m: (ROLE_ORDER.get(m.role, 99), m.team.name if m.team else ""),
    )
    return [RoleLine(m, organisation.title_for(m.role)) for m in memberships]


@require_GET
def home(request: AuthenticatedRequest) -> HttpResponse:
    _, organisation = _admin(request)
    return render(request, "accounts/manage/home.html", {"organisation": organisation})


# People


@require_GET
def user_list(request: AuthenticatedRequest) -> HttpResponse:
    _, organisation = _admin(request)
    rows = []
    for user in users_of(organisation):
        roles = _roles(organisation, user)
        teams = sorted({r.membership.team.name for r in roles if r.membership.team})
        rows.append({"user": user, "roles": roles, "teams": teams})
    return render(request, "accounts/manage/user_list.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def user_add(request: AuthenticatedRequest) -> HttpResponse:
    admin, _ = _admin(request)
    form = UserCreateForm(_posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            user = services.user_create(
                by=admin,
                **{
                    k: form.cleaned_data[k] for k in ("username", "full_name", "email", "job_title")
                },
            )
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(
                request,
                f"{user.full_name} has been added and e-mailed a link to set their password. "
                "Now give them a role.",
            )
            return redirect("manage:user_detail", pk=user.pk)
    return render(request, "accounts/manage/user_add.html", {"form": form})


def _person_page(
    request: AuthenticatedRequest, user: User, role_form: MembershipForm | None = None
) -> HttpResponse:
    admin, organisation = _admin(request)
    role_form = role_form or MembershipForm(
        organisation=organisation, teams=teams_in_use(organisation)
    )
    return render(
        request,
        "accounts/manage/user_detail.html",
        {
            "person": user,
            "roles": _roles(organisation, user),
            "form": role_form,
            "is_self": user.pk == admin.pk,
            "has_two_factors": has_two_factors(user),
        },
    )


def _details(user: User) -> dict[str, str]:
    return {"full_name": user.full_name, "email": user.email, "job_title": user.job_title}


@require_GET
def user_detail(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _person_page(request, get_user_for(request.user, pk))


@require_http_methods(["GET", "POST"])
def user_edit(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    admin, _ = _admin(request)
    user = get_user_for(admin, pk)
    form = UserDetailsForm(
        _posted(request), initial={**_details(user), "version": user.details_version}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.user_update(by=admin, user=user, **form.cleaned_data)
        except Stale as error:
            keep_typed(form, error, _details(User.objects.get(pk=user.pk)))
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(
                request, f"The details of {form.cleaned_data['full_name']} have been saved."
            )
            return redirect("manage:user_detail", pk=user.pk)
    return render(request, "accounts/manage/user_edit.html", {"person": user, "form": form})


@require_POST
def user_set_active(request: AuthenticatedRequest, pk: int, active: bool) -> HttpResponse:
    admin, _ = _admin(request)
    user = get_user_for(admin, pk)
    try:
        if active:
            services.user_reactivate(by=admin, user=user)
            messages.success(request, f"{user.full_name} can sign in again.")
        else:
            services.user_deactivate(by=admin, user=user)
            messages.success(
                request, f"{user.full_name} has been deactivated and can no longer sign in."
            )
    except ServiceError as error:
        messages.error(request, str(error))
    return redirect("manage:user_detail", pk=user.pk)


@require_POST
def user_two_factor_reset(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    admin, _ = _admin(request)
    user = get_user_for(admin, pk)
    try:
        services_signin.two_factor_reset(by=admin, user=user)
        messages.success(
            request,
            f"The two factors of {user.full_name} have been reset. They set them up again "
            "when they next sign in.",
        )
    except ServiceError as error:
        messages.error(request, str(error))
    return redirect("manage:user_detail", pk=user.pk)


@require_POST
def role_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    admin, organisation = _admin(request)
    user = get_user_for(admin, pk)
    form = MembershipForm(request.POST, organisation=organisation, teams=teams_in_use(organisation))
    if form.is_valid():
        try:
            services.membership_add(by=admin, user=user, **form.cleaned_data)
        except ServiceError as error:
            _form_error(form, error)
        else:
            title = organisation.title_for(form.cleaned_data["role"])
            messages.success(request, f"{user.full_name} now has the role “{title}”.")
            return redirect("manage:user_detail", pk=user.pk)
    return _person_page(request, user, form)


@require_POST
def role_remove(request: AuthenticatedRequest, pk: int, membership_pk: int) -> HttpResponse:
    admin, organisation = _admin(request)
    user = get_user_for(admin, pk)
    membership = get_membership_for(admin, membership_pk, user=user)
    try:
        services.membership_remove(by=admin, membership=membership)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        title = organisation.title_for(membership.role)
        messages.success(request, f"{user.full_name} no longer has the role “{title}”.")
    return redirect("manage:user_detail", pk=user.pk)


# Teams


def _teams_page(request: AuthenticatedRequest, form: TeamForm | None = None) -> HttpResponse:
    _, organisation = _admin(request)
    return render(
        request,
        "accounts/manage/team_list.html",
        {
            "teams": teams_of(organisation),
            "form": form or TeamForm(),
        },
    )


@require_GET
def team_list(request: AuthenticatedRequest) -> HttpResponse:
    return _teams_page(request)


@require_POST
def team_add(request: AuthenticatedRequest) -> HttpResponse:
    admin, _ = _admin(request)
    form = TeamForm(request.POST)
    if form.is_valid():
        try:
            team = services.team_create(by=admin, name=form.cleaned_data["name"])
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"The team “{team.name}” has been added.")
            return redirect("manage:team_list")
    return _teams_page(request, form)


@require_http_methods(["GET", "POST"])
def team_rename(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    admin, _ = _admin(request)
    team = get_team_for(admin, pk)
    form = TeamRenameForm(_posted(request), initial={"name": team.name, "version": team.version})
    if request.method == "POST" and form.is_valid():
        try:
            renamed = services.team_rename(
                by=admin,
                team=team,
                name=form.cleaned_data["name"],
                version=form.cleaned_data["version"],
            )
        except Stale as error:
            keep_typed(form, error, {"name": Team.objects.get(pk=team.pk).name})
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(request, f"The team is now called “{renamed.name}”.")
            return redirect("manage:team_list")
    return render(request, "accounts/manage/team_rename.html", {"team": team, "form": form})


@require_POST
def team_set_archived(request: AuthenticatedRequest, pk: int, archived: bool) -> HttpResponse:
    admin, _ = _admin(request)
    team = get_team_for(admin, pk)
    try:
        if archived:
            services.team_archive(by=admin, team=team)
            messages.success(
                request,
                f"The team “{team.name}” has been archived. It can no "
                "longer be chosen for new roles or referrals.",
            )
        else:
            services.team_restore(by=admin, team=team)
            messages.success(request, f"The team “{team.name}” is back in use.")
    except ServiceError as error:
        messages.error(request, str(error))
    return redirect("manage:team_list")


# Settings


def _settings(organisation: Organisation) -> dict[str, Any]:
    """The settings as the form shows them; a role with no title of its own shows blank."""
    shown: dict[str, Any] = {
        "improvement_group_name": organisation.improvement_group_name,
        "improvement_group_short_name": organisation.improvement_group_short_name,
        "session_idle_minutes": organisation.session_idle_minutes,
    }
    for role in Role.values:
        title = (organisation.role_titles or {}).get(role, "")
        shown[OrganisationSettingsForm.title_field(role)] = title
    return shown


@require_http_methods(["GET", "POST"])
def organisation_settings(request: AuthenticatedRequest) -> HttpResponse:
    admin, organisation = _admin(request)
    initial = {**_settings(organisation), "version": organisation.settings_version}
    form = OrganisationSettingsForm(_posted(request), initial=initial, organisation=organisation)
    if request.method == "POST" and form.is_valid():
        try:
            services.organisation_update_settings(
                by=admin,
                improvement_group_name=form.cleaned_data["improvement_group_name"],
                improvement_group_short_name=form.cleaned_data["improvement_group_short_name"],
                role_titles=form.role_titles(),
                session_idle_minutes=form.cleaned_data["session_idle_minutes"],
                version=form.cleaned_data["version"],
            )
        except Stale as error:
            keep_typed(form, error, _settings(Organisation.objects.get(pk=organisation.pk)))
        except ServiceError as error:
            _form_error(form, error)
        else:
            messages.success(request, "The organisation's settings have been saved.")
            return redirect("manage:settings")
    return render(request, "accounts/manage/settings.html", {"form": form})


# E-mails that could not be sent


@require_GET
def email_list(request: AuthenticatedRequest) -> HttpResponse:
    return render(
        request,
        "accounts/manage/email_list.html",
        {
            "emails": failed_emails_for(request.user),
            "retrying": retrying_count_for(request.user),
        },
    )


@require_POST
def email_send_again(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    admin, _ = _admin(request)
    email = get_failed_email_for(admin, pk)
    try:
        services_outbox.email_send_again(by=admin, email=email)
    except ServiceError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, f"The e-mail “{email.subject}” will be sent again.")
    return redirect("manage:email_list")
