"""Written feedback on the group's decision (§3.4a/b): the letter page of a referral, its PDF and
Word copies, and the administrator's wording of the two letters."""

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.selectors import administered_organisation
from learning_reviews.audit.services import downloads
from learning_reviews.core.errors import ServiceError
from learning_reviews.core.http import private_download
from learning_reviews.core.versions import Stale, keep_typed
from learning_reviews.improvement_group import letters, services_letters
from learning_reviews.improvement_group.forms_letters import LetterTemplateForm
from learning_reviews.improvement_group.models import Decision, Letter, LetterTemplate
from learning_reviews.referrals.models import Referral
from learning_reviews.referrals.selectors import get_referral_for, may_read_letter, open_referral


def _open_letter(request: AuthenticatedRequest, pk: int, summary: str) -> Referral:
    """The referral, if the user may read its letter (docs/security.md); otherwise 404."""
    if not may_read_letter(request.user, get_referral_for(request.user, pk)):
        raise Http404("No letter found")
    return open_referral(request, pk, summary)


def _decision(referral: Referral) -> Decision | None:
    return (
        Decision.objects.filter(referral=referral)
        .select_related("organisation", "letter", "letter__sent_by")
        .prefetch_related("objectives", "further_actions__owner", "lead_reviewers")
        .first()
    )


def _letter_of(decision: Decision | None) -> Letter | None:
    return getattr(decision, "letter", None) if decision is not None else None


@require_http_methods(["GET", "POST"])
def letter(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """The letter for those it concerns (`may_read_letter`); the Service Manager prepares it
    here."""
    user = request.user
    referral = _open_letter(request, pk, "Viewed the written feedback")
    decision = _decision(referral)
    if request.method == "POST":
        if decision is None:
            raise Http404("The group has not decided on this referral")
        try:
            services_letters.letter_prepare(decision=decision, by=user)
        except ServiceError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, "The letter has been prepared. Check it, then send it.")
        return redirect("group:letter", pk=referral.pk)
    kept = _letter_of(decision)
    confirmed = decision is not None and decision.status == Decision.Status.CONFIRMED
    preview = None
    if kept is None and decision is not None and confirmed:
        decision.referral = referral
        preview = letters.render_letter(decision)
    is_service_manager = user.pk == referral.service_manager_id
    return render(
        request,
        "improvement_group/letter.html",
        {
            "referral": referral,
            "decision": decision,
            "confirmed": confirmed,
            "letter": kept,
            "subject": kept.subject if kept else preview[0] if preview else "",
            "paragraphs": letters.paragraphs(kept.body if kept else preview[1] if preview else ""),
            "may_prepare": is_service_manager and confirmed and not (kept and kept.sent_on),
            "may_send": is_service_manager and kept is not None and kept.sent_on is None,
            "protocol_attached": decision is not None and decision.proceed,
        },
    )


@require_POST
def letter_send(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    referral = get_referral_for(user, pk)
    if not may_read_letter(user, referral):
        raise Http404("No letter found")
    kept = _letter_of(_decision(referral))
    if kept is None:
        raise Http404("No letter has been prepared")
    try:
        sent = services_letters.letter_send(letter=kept, by=user)
    except ServiceError as error:
        # The e-mail itself goes from the outbox after the change commits (core/outbox.py):
        # a mail server that is down cannot fail this request.
        messages.error(request, str(error))
    else:
        names = letters.join_names([r["name"] for r in sent.recipients])
        messages.success(request, f"The letter has been sent to {names}.")
    return redirect("group:letter", pk=referral.pk)


def _stored_letter(request: AuthenticatedRequest, pk: int, kind: str) -> HttpResponseBase:
    referral = _open_letter(request, pk, f"Downloaded the letter as {kind.upper()}")
    kept = Letter.objects.filter(decision__referral=referral).first()
    if kept is None:
        raise Http404("No letter has been prepared")
    stored = kept.pdf if kind == "pdf" else kept.docx
    return private_download(
        stored.open("rb"),
        filename=f"{referral.reference}-feedback-letter.{kind}",
        content_type="application/pdf" if kind == "pdf" else letters.DOCX_CONTENT_TYPE,
    )


@require_GET
@downloads
def letter_pdf(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _stored_letter(request, pk, "pdf")


@require_GET
@downloads
def letter_docx(request: AuthenticatedRequest, pk: int) -> HttpResponseBase:
    return _stored_letter(request, pk, "docx")


@require_GET
def letter_templates(request: AuthenticatedRequest) -> HttpResponse:
    """The two letters' wording, for the organisation's administrators (404 for others)."""
    organisation = administered_organisation(request.user)
    saved = {t.kind: t for t in LetterTemplate.objects.filter(organisation=organisation)}
    rows = [
        {
            "kind": kind,
            "label": label,
            "template": saved.get(kind) or letters.letter_template_for(organisation, kind),
            "is_default": kind not in saved,
        }
        for kind, label in LetterTemplate.Kind.choices
    ]
    return render(request, "improvement_group/letter_templates.html", {"rows": rows})


@require_http_methods(["GET", "POST"])
def letter_template_edit(request: AuthenticatedRequest, kind: str) -> HttpResponse:
    organisation = administered_organisation(request.user)
    if kind not in LetterTemplate.Kind.values:
        raise Http404("No such letter")
    current = letters.letter_template_for(organisation, kind)
    form = LetterTemplateForm(
        request.POST if request.method == "POST" else None,
        initial={
            "subject": current.subject,
            "body": current.body,
            "version": current.version if current.pk else 0,
        },
    )
    if request.method == "POST" and form.is_valid():
        try:
            services_letters.letter_template_update(
                by=request.user,
                organisation=organisation,
                kind=kind,
                subject=form.cleaned_data["subject"],
                body=form.cleaned_data["body"],
                version=form.cleaned_data["version"],
            )
        except Stale as error:
            now = letters.letter_template_for(organisation, kind)
            keep_typed(form, error, {"subject": now.subject, "body": now.body})
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request, f"The wording of the letter has been saved: {current.get_kind_display()}."
            )
            return redirect("group:letter_templates")
    default_subject, default_body = letters.DEFAULTS[kind]
    return render(
        request,
        "improvement_group/letter_template_edit.html",
        {
            "kind_label": LetterTemplate.Kind(kind).label,
            "form": form,
            "placeholders": letters.PLACEHOLDERS,
            "default_subject": default_subject,
            "default_body": default_body,
        },
    )
