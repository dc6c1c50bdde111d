"""Pages for the lead reviewer's analysis (issue 5 §3, §5, §6): the chronology and its timeline,
key practice episodes, what the review draws on and the findings. The lead reviewer edits while
the review is open; the improvement group and oversight roles read; anyone else gets 404."""

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.contrib import messages
from django.http import Http404, HttpResponse, HttpResponseBase
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from learning_reviews.accounts.http import AuthenticatedRequest
from learning_reviews.accounts.models import User
from learning_reviews.audit.services import downloads
from learning_reviews.core.errors import NotAllowed, ReadOnly, ServiceError
from learning_reviews.core.files import StorageUnavailable, content_type
from learning_reviews.core.http import download_name, private_download
from learning_reviews.core.text import whole_number
from learning_reviews.core.versions import Stale, keep_typed
from learning_reviews.referrals.models import ChronologyEntry
from learning_reviews.reviews import services_analysis as services
from learning_reviews.reviews.forms_analysis import (
    ChronologyEntryForm,
    EpisodeForm,
    FindingForm,
    SourceForm,
    factor_field_name,
)
from learning_reviews.reviews.models import (
    Conversation,
    EvidenceSource,
    Finding,
    KeyPracticeEpisode,
    Review,
)
from learning_reviews.reviews.selectors import open_workspace
from learning_reviews.reviews.workflow import OPEN, Role
from learning_reviews.reviews.workspace import Factor, Pattern, Reach, Source


@dataclass
class Workspace:
    user: User
    review: Review
    can_edit: bool

    def context(self, **extra: Any) -> dict[str, Any]:
        return {
            "review": self.review,
            "referral": self.review.referral,
            "can_edit": self.can_edit,
            **extra,
        }


def _workspace(request: AuthenticatedRequest, pk: int, page: str) -> Workspace:
    """The review if the user may see its workspace (else 404). Only a lead reviewer may post;
    the service then refuses if the review is no longer open."""
    review, roles = open_workspace(request, pk, f"Viewed the review's {page}")
    if request.method == "POST" and Role.LEAD not in roles:
        raise ReadOnly("Only the review's lead reviewer can change this.")
    return Workspace(
        user=request.user, review=review, can_edit=Role.LEAD in roles and review.status in OPEN
    )


CLOSED = "The review is ready or presented and can no longer be changed."


def _closed(
    request: AuthenticatedRequest, ws: Workspace, to: str, *args: int, form_only: bool = False
) -> HttpResponse | None:
    """Where someone who may read but not change is sent: a lead reviewer posting to a review
    no longer open is told why; a page that is only a form is nothing to them."""
    if ws.can_edit:
        return None
    if request.method == "POST":
        messages.error(request, CLOSED)
        return redirect(to, ws.review.pk, *args)
    return redirect(to, ws.review.pk, *args) if form_only else None


def _as_int(value: str | None) -> int:
    number = whole_number(value)  # the digits 0 to 9 only, and no more than the database holds
    if number is None:
        raise Http404("No such entry")
    return number


def _refused(request: AuthenticatedRequest, error: ServiceError, form: Any = None) -> None:
    """A refusal beside the form the user filled in (nothing they typed is lost), or at the
    top of the page; back to the page, read-only, for someone who may not make changes at all."""
    if isinstance(error, NotAllowed):
        raise ReadOnly(str(error))
    if form is not None and form.is_bound:
        form.add_error(None, str(error))
    else:
        messages.error(request, str(error))


def _with_current_token(form: Any, model: Any, pk: int, **kwargs: Any) -> Any:
    """The user's values again, against the record as it now is, so that saving again is
    possible once they have checked it."""
    current = model.objects.filter(pk=pk).values_list("version", flat=True).first()
    if current is None:
        return form
    data = form.data.copy()
    data["version"] = str(current)
    again = type(form)(data, **kwargs)
    again.is_valid()
    for error in form.non_field_errors():
        again.add_error(None, error)
    return again


# The chronology -----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def review_chronology(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ws = _workspace(request, pk, "chronology")
    if closed := _closed(request, ws, "reviews:review_chronology"):
        return closed
    review, form = ws.review, ChronologyEntryForm()
    if request.method == "POST":
        try:
            if request.POST.get("action") == "copy":
                added = services.chronology_copy_from_referral(review=review, by=ws.user)
                messages.success(
                    request,
                    f"Copied {added} event{'s' if added != 1 else ''} from the referral."
                    if added
                    else "The referral's chronology is already here.",
                )
                return redirect("reviews:review_chronology", pk)
            if "remove" in request.POST:
                entry_id = _as_int(request.POST["remove"])
                services.chronology_remove(review=review, by=ws.user, entry_id=entry_id)
                messages.success(request, "Event removed from the chronology.")
                return redirect("reviews:review_chronology", pk)
            form = ChronologyEntryForm(request.POST)
            if form.is_valid():
                services.chronology_add(review=review, by=ws.user, **form.cleaned_data)
                messages.success(request, "Event added to the chronology.")
                return redirect("reviews:review_chronology", pk)
        except ServiceError as error:
            _refused(request, error, form)
            if not form.is_bound:
                return redirect("reviews:review_chronology", pk)
    return render(
        request,
        "reviews/analysis_chronology.html",
        ws.context(
            entries=list(review.chronology.all()),
            referral_events=ChronologyEntry.objects.filter(referral_id=review.referral_id).count(),
            form=form,
        ),
    )


@dataclass
class Moment:
    """One line of the timeline: a chronology event, or the start of an episode."""

    date: datetime.date
    event: Any = None
    episode: Any = None
    number: int = 0
    during: list[tuple[int, KeyPracticeEpisode]] = field(default_factory=list)


def _timeline(events: list[Any], episodes: list[KeyPracticeEpisode]) -> list[Moment]:
    numbered = list(enumerate(episodes, start=1))
    moments = [Moment(date=e.start, episode=e, number=n) for n, e in numbered]
    for event in events:
        during = [(n, e) for n, e in numbered if e.start <= event.date <= (e.end or e.start)]
        moments.append(Moment(date=event.date, event=event, during=during))
    # An episode's start comes before the events on its first day.
    return sorted(moments, key=lambda m: (m.date, m.event is not None))


@require_GET
def review_timeline(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ws = _workspace(request, pk, "timeline")
    episodes = list(ws.review.episodes.all())
    moments = _timeline(list(ws.review.chronology.all()), episodes)
    return render(
        request,
        "reviews/analysis_timeline.html",
        ws.context(moments=moments, episodes=list(enumerate(episodes, start=1))),
    )


# Key practice episodes ----------------------------------------------------------------------


def _conversation_choices(review: Review) -> list[tuple[int, str]]:
    conversations = Conversation.objects.filter(review=review).select_related("participant")
    return [
        (c.pk, f"{c.participant.name}, {c.participant.current_job}")
        for c in conversations.order_by("participant__name", "pk")
    ]


def _episode_input(form: EpisodeForm) -> services.EpisodeInput:
    data = form.cleaned_data
    return services.EpisodeInput(
        title=data["title"],
        start=data["start"],
        end=data["end"],
        what_happened=data["what_happened"],
        assessment=data["assessment"],
        local_rationality=data["local_rationality"],
        factors=form.factors(),
        sub_factors=data["sub_factors"],
        conversation_ids=tuple(int(pk) for pk in data.get("conversations", ())),
    )


def _factor_notes(factors: dict[str, str]) -> list[tuple[str, str]]:
    return [(f.label, factors[f.value]) for f in Factor if factors.get(f.value)]


@require_GET
def review_episodes(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ws = _workspace(request, pk, "key practice episodes")
    episodes = list(ws.review.episodes.prefetch_related("conversations__participant"))
    rows = [(n, e, _factor_notes(e.factors)) for n, e in enumerate(episodes, start=1)]
    return render(request, "reviews/analysis_episodes.html", ws.context(rows=rows))


def _episode_page(
    request: AuthenticatedRequest,
    ws: Workspace,
    form: EpisodeForm,
    episode: KeyPracticeEpisode | None,
) -> HttpResponse:
    return render(
        request,
        "reviews/analysis_episode.html",
        ws.context(
            form=form,
            episode=episode,
            factor_notes=_factor_notes(episode.factors) if episode else [],
        ),
    )


@require_http_methods(["GET", "POST"])
def review_episode_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ws = _workspace(request, pk, "new key practice episode")
    if closed := _closed(request, ws, "reviews:review_episodes", form_only=True):
        return closed
    choices = _conversation_choices(ws.review)
    form = EpisodeForm(request.POST or None, conversations=choices)
    if request.method == "POST" and form.is_valid():
        try:
            services.episode_add(review=ws.review, by=ws.user, data=_episode_input(form))
        except ServiceError as error:
            _refused(request, error, form)
        else:
            messages.success(request, f"Key practice episode “{form.cleaned_data['title']}” added.")
            return redirect("reviews:review_episodes", pk)
    return _episode_page(request, ws, form, None)


def _episode_initial(episode: KeyPracticeEpisode) -> dict[str, Any]:
    initial: dict[str, Any] = {
        name: getattr(episode, name) for name in services.EPISODE_FIELDS if name != "factors"
    }
    initial.update({factor_field_name(k): v for k, v in episode.factors.items()})
    initial["conversations"] = [str(c.pk) for c in episode.conversations.all()]
    initial["version"] = episode.version
    return initial


@require_http_methods(["GET", "POST"])
def review_episode(request: AuthenticatedRequest, pk: int, episode_pk: int) -> HttpResponse:
    ws = _workspace(request, pk, "key practice episode")
    if closed := _closed(request, ws, "reviews:review_episode", episode_pk):
        return closed
    episode = (
        ws.review.episodes.prefetch_related("conversations__participant", "findings")
        .filter(pk=episode_pk)
        .first()
    )
    if episode is None:
        raise Http404("No such episode")
    choices = _conversation_choices(ws.review) if ws.can_edit else []
    form = EpisodeForm(initial=_episode_initial(episode), conversations=choices)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                services.episode_remove(review=ws.review, by=ws.user, episode_id=episode.pk)
                messages.success(request, f"Key practice episode “{episode.title}” removed.")
                return redirect("reviews:review_episodes", pk)
            form = EpisodeForm(request.POST, conversations=choices)
            if form.is_valid():
                services.episode_update(
                    review=ws.review,
                    by=ws.user,
                    episode_id=episode.pk,
                    data=_episode_input(form),
                    version=form.cleaned_data["version"],
                )
                messages.success(
                    request, f"Key practice episode “{form.cleaned_data['title']}” saved."
                )
                return redirect("reviews:review_episodes", pk)
        except Stale as error:
            fresh = ws.review.episodes.prefetch_related("conversations").get(pk=episode.pk)
            keep_typed(form, error, _episode_initial(fresh))
        except ServiceError as error:
            _refused(request, error, form)
            if not form.is_bound:
                return redirect("reviews:review_episodes", pk)
            form = _with_current_token(form, KeyPracticeEpisode, episode.pk, conversations=choices)
    return _episode_page(request, ws, form, episode)


# What the review draws on -------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def review_sources(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ws = _workspace(request, pk, "sources")
    if closed := _closed(request, ws, "reviews:review_sources"):
        return closed
    form = SourceForm()
    if request.method == "POST":
        try:
            if "remove" in request.POST:
                source_id = _as_int(request.POST["remove"])
                services.source_remove(review=ws.review, by=ws.user, source_id=source_id)
                messages.success(request, "Source removed.")
                return redirect("reviews:review_sources", pk)
            form = SourceForm(request.POST, request.FILES)
            if form.is_valid():
                services.source_add(
                    review=ws.review,
                    by=ws.user,
                    heading=form.cleaned_data["heading"],
                    description=form.cleaned_data["description"],
                    link=form.cleaned_data["link"],
                    upload=form.cleaned_data["file"],
                )
                messages.success(request, "Source added.")
                return redirect("reviews:review_sources", pk)
        except StorageUnavailable as error:
            form.add_error("file", str(error))
        except ServiceError as error:
            _refused(request, error, form)
            if not form.is_bound:
                return redirect("reviews:review_sources", pk)
    by_heading: dict[str, list[EvidenceSource]] = {s.value: [] for s in Source}
    for source in ws.review.sources.all():
        by_heading.setdefault(source.heading, []).append(source)
    groups = [(s, by_heading[s.value]) for s in Source]
    return render(request, "reviews/analysis_sources.html", ws.context(groups=groups, form=form))


@require_GET
@downloads
def review_source_file(request: AuthenticatedRequest, pk: int, source_pk: int) -> HttpResponseBase:
    ws = _workspace(request, pk, "source file")
    source = ws.review.sources.filter(pk=source_pk).first()
    if source is None or not source.file:
        raise Http404("No such file")
    return private_download(
        source.file.open("rb"),
        filename=download_name(
            f"{ws.review.referral.reference}-source-{source.pk}", source.file.name
        ),
        content_type=content_type(source.file),
    )


# Findings -----------------------------------------------------------------------------------


def _episode_choices(review: Review) -> list[tuple[int, str]]:
    return [(e.pk, f"{n}. {e.title}") for n, e in enumerate(review.episodes.all(), start=1)]


def _finding_input(form: FindingForm) -> services.FindingInput:
    data = form.cleaned_data
    return services.FindingInput(
        title=data["title"],
        text=data["text"],
        evidence=data["evidence"],
        issues_for_the_group=data["issues_for_the_group"],
        reach=data["reach"],
        pattern=data["pattern"],
        factors=tuple(data["factors"]),
        episode_ids=tuple(int(pk) for pk in data.get("episodes", ())),
    )


def _finding_labels(finding: Finding) -> dict[str, Any]:
    return {
        "reach": Reach(finding.reach).label if finding.reach in Reach.values else finding.reach,
        "pattern": Pattern(finding.pattern).label if finding.pattern in Pattern.values else "",
        "factors": [Factor(f).label for f in finding.factors if f in Factor.values],
    }


@require_GET
def review_findings(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ws = _workspace(request, pk, "findings")
    findings = list(ws.review.findings.prefetch_related("episodes"))
    rows = [(n, f, _finding_labels(f)) for n, f in enumerate(findings, start=1)]
    return render(request, "reviews/analysis_findings.html", ws.context(rows=rows))


def _finding_page(
    request: AuthenticatedRequest, ws: Workspace, form: FindingForm, finding: Finding | None
) -> HttpResponse:
    return render(
        request,
        "reviews/analysis_finding.html",
        ws.context(
            form=form,
            finding=finding,
            labels=_finding_labels(finding) if finding else {},
        ),
    )


@require_http_methods(["GET", "POST"])
def review_finding_add(request: AuthenticatedRequest, pk: int) -> HttpResponse:
    ws = _workspace(request, pk, "new finding")
    if closed := _closed(request, ws, "reviews:review_findings", form_only=True):
        return closed
    form = FindingForm(request.POST or None, episodes=_episode_choices(ws.review))
    if request.method == "POST" and form.is_valid():
        try:
            services.finding_add(review=ws.review, by=ws.user, data=_finding_input(form))
        except ServiceError as error:
            _refused(request, error, form)
        else:
            messages.success(request, f"Finding “{form.cleaned_data['title']}” added.")
            return redirect("reviews:review_findings", pk)
    return _finding_page(request, ws, form, None)


def _finding_initial(finding: Finding) -> dict[str, Any]:
    initial: dict[str, Any] = {name: getattr(finding, name) for name in services.FINDING_FIELDS}
    initial["episodes"] = [str(e.pk) for e in finding.episodes.all()]
    initial["version"] = finding.version
    return initial


@require_http_methods(["GET", "POST"])
def review_finding(request: AuthenticatedRequest, pk: int, finding_pk: int) -> HttpResponse:
    ws = _workspace(request, pk, "finding")
    if closed := _closed(request, ws, "reviews:review_finding", finding_pk):
        return closed
    finding = ws.review.findings.prefetch_related("episodes").filter(pk=finding_pk).first()
    if finding is None:
        raise Http404("No such finding")
    choices = _episode_choices(ws.review) if ws.can_edit else []
    form = FindingForm(initial=_finding_initial(finding), episodes=choices)
    if request.method == "POST":
        try:
            if request.POST.get("action") == "remove":
                services.finding_remove(review=ws.review, by=ws.user, finding_id=finding.pk)
                messages.success(request, f"Finding “{finding.title}” removed.")
                return redirect("reviews:review_findings", pk)
            form = FindingForm(request.POST, episodes=choices)
            if form.is_valid():
                services.finding_update(
                    review=ws.review,
                    by=ws.user,
                    finding_id=finding.pk,
                    data=_finding_input(form),
                    version=form.cleaned_data["version"],
                )
                messages.success(request, f"Finding “{form.cleaned_data['title']}” saved.")
                return redirect("reviews:review_findings", pk)
        except Stale as error:
            fresh = ws.review.findings.prefetch_related("episodes").get(pk=finding.pk)
            keep_typed(form, error, _finding_initial(fresh))
        except ServiceError as error:
            _refused(request, error, form)
            if not form.is_bound:
                return redirect("reviews:review_findings", pk)
            form = _with_current_token(form, Finding, finding.pk, episodes=choices)
    return _finding_page(request, ws, form, finding)
