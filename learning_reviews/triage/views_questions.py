"""Which review fits? The triage questions of Appendix 1 and §2, one question a page (the GOV.UK
"question pages" pattern), what the answers point to, and what the worker does next: start a
Learning Review referral with the grounds ticked, or record the case as routed elsewhere."""

from dataclasses import dataclass

from django.contrib import messages
from django.db.models import QuerySet
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_http_methods, require_POST

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import Role, Team, User
from learning_reviews.core.errors import ServiceError
from learning_reviews.referrals.models import Ground
from learning_reviews.triage import services
from learning_reviews.triage.defaults import APPENDIX_1
from learning_reviews.triage.forms import AnswerForm, RouteForm, StartReferralForm
from learning_reviews.triage.models import Kind, ReviewType, Triage
from learning_reviews.triage.rules import BY_KEY, QUESTIONS, Question, advise
from learning_reviews.triage.selectors import (
    can_record_case_reviews,
    get_triage_for,
    review_types_for,
)


def _first_unanswered(triage: Triage) -> Question | None:
    return next((q for q in QUESTIONS if q.key not in triage.answers), None)


def _answer_label(question: Question, value: str | None) -> str:
    return dict(question.choices).get(value or "", "Not yet answered")


def _worker_teams(user: User) -> QuerySet[Team]:
    return Team.objects.filter(
        organisation_id=user.organisation_id, pk__in=user.team_ids(Role.WORKER), archived=False
    )


def _own_teams(user: User) -> QuerySet[Team]:
    team_ids = {team_id for _, team_id in user.role_set if team_id is not None}
    return Team.objects.filter(
        organisation_id=user.organisation_id, pk__in=team_ids, archived=False
    )


# ---------------------------------------------------------------------------------------------
# The questions


@require_http_methods(["GET", "POST"])
def start(request: AuthenticatedRequest) -> HttpResponse:
    user = request.user
    may_start = can_record_case_reviews(user)
    if request.method == "POST":
        if not may_start:
            raise Http404("Only those who do casework start these questions")
        installed = set(review_types_for(user).values_list("kind", flat=True))
        if installed != set(Kind.values):
            services.review_types_install_defaults(organisation=user.organisation, by=user)
        triage = services.triage_start(by=user)
        return redirect("triage:question", triage.pk, QUESTIONS[0].key)
    review_types: list[ReviewType] | tuple[dict[str, object], ...] = list(review_types_for(user))
    return render(
        request,
        "triage/start.html",
        {
            "review_types": review_types or APPENDIX_1,
            "question_count": len(QUESTIONS),
            "may_start": may_start,
        },
    )


@require_http_methods(["GET", "POST"])
def question(request: AuthenticatedRequest, pk: int, key: str) -> HttpResponse:
    asked = BY_KEY.get(key)
    if asked is None:
        raise Http404("No such question")
    user = request.user
    triage = get_triage_for(user, pk)
    changing = request.GET.get("change") == "1"
    index = QUESTIONS.index(asked)
    form = AnswerForm(
        request.POST if request.method == "POST" else None,
        question=asked,
        initial={"answer": triage.answers.get(key)},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.triage_answer(
                by=user, triage=triage, key=key, value=form.cleaned_data["answer"]
            )
        except ServiceError as error:
            form.add_error("answer", str(error))
        else:
            if changing or index == len(QUESTIONS) - 1:
                return redirect("triage:check", triage.pk)
            return redirect("triage:question", triage.pk, QUESTIONS[index + 1].key)
    if changing:
        back = reverse("triage:check", args=[triage.pk])
    elif index:
        back = reverse("triage:question", args=[triage.pk, QUESTIONS[index - 1].key])
    else:
        back = reverse("triage:start")
    return render(
        request,
        "triage/question.html",
        {
            "triage": triage,
            "question": asked,
            "form": form,
            "number": index + 1,
            "question_count": len(QUESTIONS),
            "back": back,
            "inline": len(asked.choices) == 2,
        },
    )


@require_http_methods(["GET", "POST"])
def check(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Check your answers; confirming works out which reviews fit."""
    user = request.user
    triage = get_triage_for(user, pk)
    missing = _first_unanswered(triage)
    if missing is not None:
        return redirect("triage:question", triage.pk, missing.key)
    if request.method == "POST":
        try:
            services.triage_complete(by=user, triage=triage)
        except ServiceError as error:
            messages.error(request, str(error))
            return redirect("triage:check", triage.pk)
        return redirect("triage:result", triage.pk)
    rows = [
        {"question": q, "answer": _answer_label(q, triage.answers.get(q.key))} for q in QUESTIONS
    ]
    return render(
        request, "triage/check.html", {"triage": triage, "rows": rows, "back": QUESTIONS[-1].key}
    )


# ---------------------------------------------------------------------------------------------
# What fits, and what to do next


@dataclass(frozen=True)
class Fit:
    """A kind of review, as the organisation has it, and the criteria the case matched."""

    kind: str
    name: str
    review_type: ReviewType | None
    matched: tuple[str, ...] = ()
    reason: str = ""


def _render_result(
    request: AuthenticatedRequest, user: User, triage: Triage, form: StartReferralForm | None = None
) -> HttpResponse:
    advice = advise(triage.answers)
    types = {t.kind: t for t in review_types_for(user)}

    def fit(kind: str, matched: tuple[str, ...] = (), reason: str = "") -> Fit:
        # Named as the organisation names it; a kind it has no row for keeps Appendix 1's name.
        found = types.get(kind)
        name = found.name if found else str(Kind(kind).label)
        return Fit(kind=kind, name=name, review_type=found, matched=matched, reason=reason)

    fits = [fit(m.kind, matched=m.matched) for m in advice.matches]
    not_fitting = [fit(kind, reason=reason) for kind, reason in advice.not_matched.items()]
    learning = next((f for f in fits if f.kind == Kind.LEARNING_REVIEW), None)
    if learning is not None and form is None:
        teams = _worker_teams(user)
        found = list(teams)
        if found:
            initial = {"team": found[0].pk} if len(found) == 1 else {}
            form = StartReferralForm(teams=teams, initial=initial)
    routes = [f for f in fits if f.kind != Kind.LEARNING_REVIEW and f.review_type is not None]
    return render(
        request,
        "triage/result.html",
        {
            "triage": triage,
            "fits": fits,
            "not_fitting": not_fitting,
            "learning": learning,
            "grounds": [Ground(g).label for g in advice.grounds],
            "form": form,
            "routes": routes,
        },
    )


def result(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    user = request.user
    triage = get_triage_for(user, pk)
    if triage.completed_on is None:
        return redirect("triage:check", triage.pk)
    return _render_result(request, user, triage)


@require_POST
def start_referral(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Start a Learning Review referral with the grounds the triage matched already ticked."""
    user = request.user
    triage = get_triage_for(user, pk)
    if triage.completed_on is None:
        return redirect("triage:check", triage.pk)
    teams = _worker_teams(user)
    if not teams.exists():
        messages.error(request, "Only a worker in a team can start a Learning Review referral.")
        return redirect("triage:result", triage.pk)
    form = StartReferralForm(request.POST, teams=teams)
    if form.is_valid():
        try:
            referral = services.referral_start_from_triage(
                by=user, triage=triage, team=form.cleaned_data["team"]
            )
        except ServiceError as error:
            form.add_error("team", str(error))
        else:
            messages.success(
                request,
                f"Referral {referral.reference} started, with the grounds the triage matched "
                "already ticked. It saves as you go: come back to it at any time.",
            )
            return redirect("referrals:form", referral.pk)
    return _render_result(request, user, triage, form)


@require_http_methods(["GET", "POST"])
def route(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    """Record that the case was routed to another kind of review (Appendix 1)."""
    user = request.user
    triage = get_triage_for(user, pk)
    if triage.completed_on is None:
        return redirect("triage:check", triage.pk)
    review_types = review_types_for(user).exclude(kind=Kind.LEARNING_REVIEW)
    teams = _own_teams(user)
    initial: dict[str, object] = {}
    chosen = request.GET.get("type", "")
    # isdecimal, not isdigit: "²" is a digit but not a number int() reads.
    if chosen.isdecimal() and len(chosen) < 19:
        review_type = review_types.filter(pk=int(chosen)).first()
        if review_type is not None:
            initial = {"review_type": review_type.pk, "contact": review_type.contact}
    form = RouteForm(
        request.POST if request.method == "POST" else None,
        initial=initial,
        review_types=review_types,
        teams=teams,
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            case_review = services.case_review_record(
                by=user,
                review_type=data["review_type"],
                child_name=data["child_name"],
                swis_number=data["swis_number"],
                routed_on=data["routed_on"],
                contact=data["contact"],
                note=data["note"],
                triage=triage,
                team=data["team"],
            )
        except ServiceError as error:
            form.add_error(None, str(error))
        else:
            messages.success(
                request,
                f"Recorded: {case_review.child_name}'s case was routed to "
                f"{case_review.review_type.name}.",
            )
            return redirect("triage:case_review", case_review.pk)
    return render(request, "triage/route.html", {"triage": triage, "form": form})
