"""Pages for the referral pathway. Views parse input and call selectors and services."""

from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, QuerySet
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.views.decorators.http import require_GET, require_http_methods

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import Role, Team, User
from learning_reviews.audit.selectors import viewers_of
from learning_reviews.audit.services import downloads, record_list_view
from learning_reviews.core.errors import Conflict, ServiceError
from learning_reviews.core.files import StorageUnavailable, content_type
from learning_reviews.core.http import download_name, private_download
from learning_reviews.core.text import whole_number
from learning_reviews.core.versions import Stale, carry_version, keep_typed
from learning_reviews.referrals import forms, services
from learning_reviews.referrals.form_pdf import prefetch_referral_form
from learning_reviews.referrals.form_pdf import referral_form_pdf as render_referral_form
from learning_reviews.referrals.models import (
    AgencyInvolvement,
    ChronologyEntry,
    Ground,
    HouseholdMember,
    Referral,
    ReviewReason,
    Status,
)
from learning_reviews.referrals.pathway import STAGES, TRANSITIONS, Party
from learning_reviews.referrals.sections import BY_KEY, SECTIONS, incomplete_sections
from learning_reviews.referrals.selectors import (
    NOT_SHOWN,
    can_edit,
    history_for,
    open_referral,
    parties,
    referrals_visible_to,
    supervision_notes_for,
)

# ---------------------------------------------------------------------------------------------
# Lists


def referral_list(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    status = request.GET.get("status", "")
    referrals = referrals_visible_to(user).select_related("team", "worker")
    if status in Status.values:
        referrals = referrals.filter(status=status)
    page = Paginator(referrals.order_by("-status_changed_on", "-pk"), 50).get_page(
        request.GET.get("page")
    )
    page.object_list = list(page.object_list)
    record_list_view(request, "Viewed the referral list", page.object_list)
    return render(
        request,
        "referrals/list.html",
        {
            "page": page,
            "statuses": Status.choices,
            "status": status,
            "can_start": user.has_role(Role.WORKER),
        },
    )


def supervision_notes(request: AuthenticatedRequest) -> HttpResponse:
    notes = list(supervision_notes_for(request.user))
    record_list_view(request, "Viewed the supervision notes", notes)
    return render(request, "referrals/supervision_notes.html", {"notes": notes})


def pathway(request: AuthenticatedRequest) -> HttpResponse:
    counts = dict(
        referrals_visible_to(request.user)
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    stages = [{"stage": s, "count": sum(counts.get(st, 0) for st in s.statuses)} for s in STAGES]
    return render(request, "referrals/pathway.html", {"stages": stages})


# ---------------------------------------------------------------------------------------------
# Starting and viewing


def _worker_teams(user: User) -> QuerySet[Team]:
    return Team.objects.filter(
        organisation_id=user.organisation_id, pk__in=user.team_ids(Role.WORKER), archived=False
    )


@require_http_methods(["GET", "POST"])
def referral_start(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    teams = _worker_teams(user)
    if not teams.exists():
        raise Http404("Only workers start referrals")
    form = forms.StartForm(request.POST or None, teams=teams)
    if request.method == "POST" and form.is_valid():
        try:
            referral = services.referral_start(by=user, team=form.cleaned_data["team"])
        except ServiceError as error:
            form.add_error("team", str(error))
        else:
            messages.success(
                request,
                f"Referral {referral.reference} started. It saves as "
                "you go: come back to it at any time.",
            )
            return redirect("referrals:form", referral.pk)
    return render(request, "referrals/start.html", {"form": form})


# Field names in the audit trail, shown in the protocol's words.
FIELD_LABELS = {
    field.name: capfirst(str(field.verbose_name))
    for model in (Referral, HouseholdMember, AgencyInvolvement, ChronologyEntry, ReviewReason)
    for field in model._meta.fields
} | {
    "grounds": "Ground(s)",
    "identified_at": "Where first identified",
    "identified_at_other": "Where first identified (other)",
    "identified_on": "When first identified",
    "text": "Reason",
}


def _shown(value: Any) -> str:
    """An audited value as text: ground codes as their labels, lists joined, blanks named."""
    if isinstance(value, list):
        return "; ".join(_shown(v) for v in value) or "(blank)"
    if value in Ground.values:
        return str(Ground(value).label)
    return str(value) if value not in (None, "") else "(blank)"


def referral_history(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The referral's changes and downloads, 50 to a page, newest first, and who has viewed
    it (the 50 most recent viewers)."""
    referral = open_referral(request, pk, "Viewed the referral's history")
    page = history_for(request.user, referral, request.GET.get("page"))
    events = [
        {
            "event": entry.event,
            "changes": [
                {
                    "label": FIELD_LABELS.get(name, capfirst(name.replace("_", " "))),
                    "withheld": value is NOT_SHOWN,
                    "text": (
                        f"{_shown(value[0])} → {_shown(value[1])}"
                        if isinstance(value, list) and len(value) == 2
                        else _shown(value)
                    ),
                }
                for name, value in entry.changes.items()
            ],
        }
        for entry in page.object_list
    ]
    return render(
        request,
        "referrals/history.html",
        {
            "referral": referral,
            "events": events,
            "page": page,
            "viewers": viewers_of(referral),
        },
    )


@require_GET
@downloads
def referral_form_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    """Appendix 3, the referral form, as a PDF."""
    referral = open_referral(request, pk, "Downloaded the referral form as PDF")
    prefetch_referral_form(referral)
    return private_download(
        render_referral_form(referral),
        filename=f"{referral.reference}-referral-form.pdf",
        content_type="application/pdf",
    )


@downloads
def childs_plan_download(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    referral = open_referral(request, pk, "Viewed the Child's Plan Form 1")
    if not referral.childs_plan:
        raise Http404("No Child's Plan attached")
    return private_download(
        referral.childs_plan.open("rb"),
        filename=download_name(f"{referral.reference}-childs-plan", referral.childs_plan.name),
        content_type=content_type(referral.childs_plan),
    )


# ---------------------------------------------------------------------------------------------
# The form (Appendix 3): task list, sections, check your answers


def referral_form(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    referral = open_referral(request, pk, "Viewed the referral form", items=True)
    rows = []
    for section in SECTIONS:
        if section.is_complete(referral):
            state = "Completed"
        elif section.is_started(referral):
            state = "In progress"
        else:
            state = "Not yet started"
        rows.append({"section": section, "state": state})
    return render(
        request,
        "referrals/task_list.html",
        {
            "referral": referral,
            "rows": rows,
            "can_edit": can_edit(user, referral),
            "completed": sum(r["state"] == "Completed" for r in rows),
        },
    )


@dataclass(frozen=True)
class SectionPage:
    form: type[forms.VersionedForm] | None = None
    item_kind: str | None = None
    item_form: type[forms.VersionedForm] | None = None
    upload: bool = False


SECTION_PAGES = {
    "about": SectionPage(form=forms.AboutForm),
    "identified": SectionPage(form=forms.IdentifiedForm),
    "child": SectionPage(form=forms.ChildForm),
    "household": SectionPage(
        form=forms.ParentsForm, item_kind="household", item_form=forms.HouseholdMemberForm
    ),
    "agencies": SectionPage(
        form=forms.NoAgenciesForm, item_kind="agencies", item_form=forms.AgencyForm, upload=True
    ),
    "grounds": SectionPage(form=forms.GroundsForm),
    "circumstances": SectionPage(form=forms.CircumstancesForm),
    "background": SectionPage(
        form=forms.KeyFactsForm, item_kind="chronology", item_form=forms.ChronologyForm
    ),
    "reasons": SectionPage(item_kind="reasons", item_form=forms.ReasonForm),
}


def _main_fields(form_class: type[forms.VersionedForm]) -> list[str]:
    return [name for name in form_class.base_fields if name != "version"]


def _item_filled(request: AuthenticatedRequest, item_form: type[forms.VersionedForm]) -> bool:
    return any(
        request.POST.get(key, "").strip()
        for key in request.POST
        if key.startswith("item-") and key != "item-version"
    )


@require_http_methods(["GET", "POST"])
def referral_section(request: AuthenticatedRequest, pk: int, key: str) -> HttpResponse:
    user = request.user
    if key not in SECTION_PAGES:
        raise Http404("No such section")
    page, section = SECTION_PAGES[key], BY_KEY[key]
    referral = open_referral(request, pk, f"Viewed the form section “{section.title}”", items=True)
    if not can_edit(user, referral):
        messages.info(request, "The form can no longer be changed at this step.")
        return redirect("referrals:detail", referral.pk)
    initial = {"version": referral.version}
    main = (
        page.form(initial={**initial, **{f: getattr(referral, f) for f in _main_fields(page.form)}})
        if page.form
        else None
    )
    item = page.item_form(prefix="item", initial=initial) if page.item_form else None
    upload = forms.ChildsPlanForm(prefix="plan", initial=initial) if page.upload else None
    if request.method == "POST":
        outcome = _save_section(request, user, referral, page, section.title)
        if isinstance(outcome, HttpResponse):
            return outcome
        main, item, upload = outcome
    return render(
        request,
        "referrals/section.html",
        {
            "referral": referral,
            "section": section,
            "page": page,
            "form": main,
            "item_form": item,
            "upload_form": upload,
            "items": getattr(referral, page.item_kind).all() if page.item_kind else [],
            "forms_with_errors": [f for f in (main, item, upload) if f is not None and f.errors],
        },
    )


def _as_int(value: str | None) -> int | None:
    return whole_number(value)  # the digits 0 to 9 only, and no more than the database holds


def _save_section(
    request: AuthenticatedRequest, user: User, referral: Referral, page: SectionPage, title: str
) -> HttpResponse | tuple[Any, Any, Any]:
    """Apply one POST of a section page: the section's fields, an added or removed row and an
    upload, all from the same form and in one transaction, so nothing typed is lost and nothing
    is half-saved. Returns a redirect when done, or the forms to show again with their errors."""
    action = request.POST.get("action", "save")
    main = page.form(request.POST) if page.form else None
    item = page.item_form(request.POST, prefix="item") if page.item_form else None
    upload = (
        forms.ChildsPlanForm(request.POST, request.FILES, prefix="plan") if page.upload else None
    )
    wants_item = item is not None and (action == "add" or _item_filled(request, type(item)))
    wants_upload = upload is not None and "plan-childs_plan" in request.FILES
    # Rows and uploads the user did not ask for are shown again empty, without errors.
    fresh = {"version": referral.version}
    if page.item_form is not None and not wants_item:
        item = page.item_form(prefix="item", initial=fresh)
    if upload is not None and not wants_upload:
        upload = forms.ChildsPlanForm(prefix="plan", initial=fresh)
    wanted = [main, item if wants_item else None, upload if wants_upload else None]
    if not all(f.is_valid() for f in wanted if f is not None):
        return main, item, upload
    version = _as_int(request.POST.get("version") or request.POST.get("item-version"))
    try:
        with transaction.atomic():
            _apply_section(
                request,
                user,
                referral,
                page,
                title,
                version,
                main,
                item,
                upload,
                wants_item=wants_item,
                wants_upload=wants_upload,
            )
    except StorageUnavailable as error:
        # Beside the file field; everything typed is shown again, and nothing was saved.
        main, item, _ = _show_again(request, referral, page, None)
        if upload is not None:
            upload.add_error("childs_plan", str(error))
        return main, item, upload
    except ServiceError as error:
        return _show_again(request, referral, page, error)
    if action == "save":
        messages.success(request, f"“{title}” saved.")
        return redirect("referrals:form", referral.pk)
    return redirect(f"{request.path}#items")


def _apply_section(
    request: AuthenticatedRequest,
    user: User,
    referral: Referral,
    page: SectionPage,
    title: str,
    version: int | None,
    main: Any,
    item: Any,
    upload: Any,
    *,
    wants_item: bool,
    wants_upload: bool,
) -> None:
    if version is None:
        raise Stale(referral.version, "this referral")
    if main is not None:
        data = {f: main.cleaned_data[f] for f in _main_fields(type(main))}
        referral = services.referral_update(
            referral=referral, by=user, version=version, data=data, section=title
        )
        version = referral.version
    remove = request.POST.get("remove")
    if remove and page.item_kind:
        item_id = _as_int(remove)
        if item_id is None:
            raise Conflict("That entry has already been removed.")
        services.referral_remove_item(
            referral=referral, by=user, version=version, kind=page.item_kind, item_id=item_id
        )
        version += 1
    if wants_item and page.item_kind:
        data = {f: item.cleaned_data[f] for f in _main_fields(type(item))}
        services.referral_add_item(
            referral=referral, by=user, version=version, kind=page.item_kind, data=data
        )
        version += 1
    if wants_upload:
        services.referral_attach_childs_plan(
            referral=referral, by=user, version=version, upload=upload.cleaned_data["childs_plan"]
        )
    elif request.POST.get("action") == "remove_plan":
        services.referral_attach_childs_plan(
            referral=referral, by=user, version=version, upload=None
        )


def _show_again(
    request: AuthenticatedRequest, referral: Referral, page: SectionPage, error: ServiceError | None
) -> tuple[Any, Any, Any]:
    """After a refusal: the user's typed values again, against the referral as it now is (so
    saving again is possible once they have checked), with the reason at the top — for a
    stale page, with what the section's fields say now."""
    fresh = Referral.objects.get(pk=referral.pk)
    current = fresh.version
    data = request.POST.copy()
    for key in ("version", "item-version", "plan-version"):
        data[key] = str(current)
    main = page.form(data) if page.form else None
    item = page.item_form(data, prefix="item") if page.item_form else None
    upload = (
        forms.ChildsPlanForm(prefix="plan", initial={"version": current}) if page.upload else None
    )
    target = main or item
    if target is not None:
        target.is_valid()
        if isinstance(error, Stale):
            now = {f: getattr(fresh, f) for f in _main_fields(type(main))} if main else {}
            keep_typed(target, Stale(current, "this referral"), now)
        elif error is not None:
            target.add_error(None, str(error))
    return main, item, upload


@require_http_methods(["GET", "POST"])
def referral_check(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Check your answers, then the worker signs (§3.2)."""
    user = request.user
    referral = open_referral(request, pk, "Viewed check your answers", items=True)
    can_sign = referral.status == Status.DISCUSSED and Party.WORKER in parties(user, referral)
    form = forms.SignForm(request.POST or None, initial={"version": referral.version})
    if request.method == "POST":
        if not can_sign:
            raise Http404("Nothing to sign")
        if form.is_valid():
            try:
                services.referral_sign_as_worker(
                    referral=referral, by=user, version=form.cleaned_data["version"]
                )
            except Stale as error:
                form.add_error(
                    None,
                    f"{error.headline}. Read the form again as it is now, then sign it if it is "
                    "accurate.",
                )
                carry_version(form, error.current)
            except ServiceError as error:
                form.add_error(None, str(error))
            else:
                messages.success(
                    request, "You have signed the referral form. Your line manager has been told."
                )
                return redirect("referrals:detail", referral.pk)
    return render(
        request,
        "referrals/check.html",
        {
            "referral": referral,
            "form": form,
            "can_sign": can_sign,
            "can_edit": can_edit(user, referral),
            "missing": incomplete_sections(referral),
        },
    )


# ---------------------------------------------------------------------------------------------
# Pathway steps


def _step(
    request: AuthenticatedRequest,
    pk: int,
    *,
    name: str,
    form_class: Any,
    template: str,
    run: Any,
    done: str,
    form_kwargs: dict[str, Any] | None = None,
) -> HttpResponse:
    """A page for one pathway step: shown only to those who may take it, from its state."""
    user = request.user
    referral = open_referral(request, pk, "Viewed a pathway step", items=True)
    step = next(t for t in TRANSITIONS if t.name == name)
    allowed = bool(parties(user, referral) & step.party) and referral.status == step.source
    if not allowed:
        if request.method == "POST":
            messages.error(request, "This step cannot be taken: the referral may have moved on.")
        return redirect("referrals:detail", referral.pk)
    form = form_class(request.POST or None, **(form_kwargs or {}))
    if request.method == "POST" and form.is_valid():
        try:
            run(user, referral, form.cleaned_data)
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(request, done)
            return redirect("referrals:detail", referral.pk)
    return render(request, template, {"referral": referral, "form": form, "step": step})


@require_http_methods(["GET", "POST"])
def referral_supervision(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        name="record_supervision",
        form_class=forms.SupervisionForm,
        template="referrals/step_supervision.html",
        run=lambda user, referral, data: services.referral_record_supervision(
            referral=referral, by=user, date=data["date"], note=data["note"]
        ),
        done="Supervision discussion recorded.",
    )


@require_http_methods(["GET", "POST"])
def referral_return(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        name="return_to_worker",
        form_class=forms.ReturnForm,
        template="referrals/step_return.html",
        run=lambda user, referral, data: services.referral_return_to_worker(
            referral=referral, by=user, note=data["note"]
        ),
        done="The form has been returned to the worker.",
    )


@require_http_methods(["GET", "POST"])
def referral_recommend(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    managers = (
        User.objects.filter(
            organisation_id=user.organisation_id,
            is_active=True,
            memberships__role=Role.SERVICE_MANAGER,
        )
        .distinct()
        .order_by("full_name")
    )
    return _step(
        request,
        pk,
        name="recommend",
        form_class=forms.RecommendForm,
        template="referrals/step_recommend.html",
        form_kwargs={"service_managers": managers},
        run=lambda user, referral, data: services.referral_recommend(
            referral=referral, by=user, service_manager=data["service_manager"]
        ),
        done="You have signed the form and recommended a review to the Service Manager.",
    )


def _decide(user: User, referral: Referral, data: dict[str, Any]) -> Referral:
    if data["decision"] == "agree":
        return services.referral_agree(referral=referral, by=user)
    return services.referral_decline(referral=referral, by=user, reasons=data["reasons"])


@require_http_methods(["GET", "POST"])
def referral_decision(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    return _step(
        request,
        pk,
        name="agree",
        form_class=forms.DecisionForm,
        template="referrals/step_decision.html",
        run=_decide,
        done="Decision recorded. The worker and line manager have been told.",
    )
