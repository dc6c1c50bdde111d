"""The key pages of issue 13, one table: what `make bench` loads (bench/run.py) and what a test of
SQL queries per page can walk. Each page is resolved from records chosen in the database for one
organisation, and names the person who would look at it.

The records are the busiest of their kind, so that a benchmark measures the worst case a person
meets: the referral with the most history, the review with the most conversations, key practice
episodes and findings, the review with the most actions, the meeting with the most items. They
are chosen in a fixed number of queries however large the organisation.
"""

from dataclasses import dataclass

from django.db.models import CharField, Count, IntegerField, OuterRef, Subquery, Value
from django.db.models.functions import Cast, Coalesce
from django.urls import reverse
from django.utils.http import urlencode

from learning_reviews.accounts.models import Membership, Organisation, Role
from learning_reviews.audit.models import AuditEvent
from learning_reviews.improvement_group.models import Meeting
from learning_reviews.outcomes.models import Action
from learning_reviews.referrals.models import Referral
from learning_reviews.reviews.models import Conversation, Finding, KeyPracticeEpisode, Review


@dataclass(frozen=True)
class KeyPage:
    key: str  # stable, for results kept across runs
    label: str
    url: str
    username: str  # who would look at it


# Realistic searches of the learning library (issue 13: "several queries").
LIBRARY_QUERIES = {
    "library_supervision": "supervision",
    "library_neglect_chronology": "neglect chronology",
    "library_multi_agency": "multi-agency",
    "library_missed_appointments": "missed appointments",
}

# The review's workspace (reviews/urls_*.py): every page a lead reviewer reads, with no form
# submitted and no object beneath the review named.
REVIEW_PAGES = (
    ("review", "reviews:detail", "A review"),
    ("review_workspace", "reviews:review_workspace", "Review: workspace"),
    ("review_objectives", "reviews:review_objectives", "Review: objectives"),
    ("review_participants", "reviews:review_participants", "Review: participants"),
    ("review_case_files", "reviews:review_case_files", "Review: case files"),
    ("review_format", "reviews:review_format", "Review: format"),
    ("review_conversations", "reviews:review_conversations", "Review: conversations"),
    ("review_collated", "reviews:review_collated", "Review: conversations collated"),
    ("review_chronology", "reviews:review_chronology", "Review: chronology"),
    ("review_timeline", "reviews:review_timeline", "Review: timeline"),
    ("review_episodes", "reviews:review_episodes", "Review: key practice episodes"),
    ("review_sources", "reviews:review_sources", "Review: sources"),
    ("review_findings", "reviews:review_findings", "Review: findings"),
    ("review_accuracy_check", "reviews:review_accuracy_check", "Review: accuracy check"),
    ("review_report", "reviews:review_report", "Review: draft report"),
)

# The dashboards (insights/urls*.py) and the library's themes.
DASHBOARDS = (
    ("insights_dashboard", "insights:dashboard", "Insights: pathway funnel"),
    ("insights_themes", "insights:themes", "Insights: themes"),
    ("insights_timeliness", "insights:timeliness", "Insights: timeliness"),
    ("insights_outcomes", "insights:outcomes", "Insights: outcomes"),
    ("insights_routed_elsewhere", "insights:register", "Insights: routed elsewhere"),
    ("library_themes", "outcomes:themes", "Learning library: themes"),
)

KEYS = (
    "my_tasks",
    "referral_list",
    "referral",
    "referral_history",
    *(key for key, _, _ in REVIEW_PAGES),
    "meeting",
    "register",
    *LIBRARY_QUERIES,
    *(key for key, _, _ in DASHBOARDS),
    "action_plan",
)


def key_pages(organisation: Organisation) -> list[KeyPage]:
    """The key pages of `organisation`, in the order of `KEYS`; a page whose record the
    organisation does not have (no meeting yet, say) is left out."""
    people = _person_per_role(organisation)
    pages = [
        KeyPage("my_tasks", "My tasks", reverse("home"), people[Role.SERVICE_MANAGER]),
        KeyPage(
            "referral_list", "Referrals", reverse("referrals:list"), people[Role.SERVICE_MANAGER]
        ),
    ]
    referral = _referral_with_most_history(organisation)
    if referral is not None:
        referral_pk, reader = referral
        pages += [
            KeyPage(
                "referral", "A referral", reverse("referrals:detail", args=[referral_pk]), reader
            ),
            KeyPage(
                "referral_history",
                "A referral's history",
                reverse("referrals:history", args=[referral_pk]),
                people[Role.AUDITOR],
            ),
        ]
    review = _review_with_most_analysis(organisation)
    if review is not None:
        review_pk, lead_reviewer = review
        pages += [
            KeyPage(key, label, reverse(name, args=[review_pk]), lead_reviewer)
            for key, name, label in REVIEW_PAGES
        ]
    meeting_pk = _meeting_with_most_items(organisation)
    if meeting_pk is not None:
        pages.append(
            KeyPage(
                "meeting",
                "A meeting's agenda",
                reverse("group:meeting", args=[meeting_pk]),
                people[Role.CFCIG_MEMBER],
            )
        )
    pages.append(
        KeyPage("register", "The register", reverse("triage:register"), people[Role.AUDITOR])
    )
    library = reverse("outcomes:library")
    pages += [
        KeyPage(
            key, f"Library search: “{q}”", f"{library}?{urlencode({'q': q})}", people[Role.WORKER]
        )
        for key, q in LIBRARY_QUERIES.items()
    ]
    pages += [
        KeyPage(key, label, reverse(name), people[Role.SERVICE_MANAGER])
        for key, name, label in DASHBOARDS
    ]
    plan_pk = _review_with_most_actions(organisation)
    if plan_pk is not None:
        pages.append(
            KeyPage(
                "action_plan",
                "An action plan",
                reverse("outcomes:action_plan", args=[plan_pk]),
                people[Role.CFCIG_CHAIR],
            )
        )
    return pages


def _person_per_role(organisation: Organisation) -> dict[str, str]:
    """The username of the longest-standing active holder of each role (one query)."""
    people: dict[str, str] = {}
    for role, username in (
        Membership.objects.filter(organisation=organisation, user__is_active=True)
        .order_by("user_id")
        .values_list("role", "user__username")
    ):
        people.setdefault(role, username)
    return people


def _referral_with_most_history(organisation: Organisation) -> tuple[int, str] | None:
    """The referral with the most audit events, and its Service Manager (its line manager
    while it has none): an organisation may have several, each seeing their own referrals."""
    events = (
        AuditEvent.objects.filter(
            record_type=Referral._meta.label_lower,
            record_id=Cast(OuterRef("pk"), output_field=CharField()),
        )
        .order_by()
        .values("record_id")
        .annotate(n=Count("pk"))
        .values("n")
    )
    found = (
        Referral.objects.filter(organisation=organisation)
        .annotate(events=Coalesce(Subquery(events, output_field=IntegerField()), Value(0)))
        .order_by("-events", "pk")
        .values_list("pk", "service_manager__username", "line_manager__username")
        .first()
    )
    if found is None:
        return None
    pk, service_manager, line_manager = found
    return pk, service_manager or line_manager


def _count_per_review(model: type[Conversation | KeyPracticeEpisode | Finding]) -> Coalesce:
    counted = (
        model.objects.filter(review=OuterRef("pk"))
        .order_by()
        .values("review")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return Coalesce(Subquery(counted, output_field=IntegerField()), Value(0))


def _review_with_most_analysis(organisation: Organisation) -> tuple[int, str] | None:
    """The review with the most conversations, episodes and findings, and its lead reviewer."""
    review = (
        Review.objects.filter(organisation=organisation)
        .annotate(
            analysis=_count_per_review(Conversation)
            + _count_per_review(KeyPracticeEpisode)
            + _count_per_review(Finding)
        )
        .order_by("-analysis", "pk")
        .values_list("pk", flat=True)
        .first()
    )
    if review is None:
        return None
    lead = (
        Review.lead_reviewers.through.objects.filter(review_id=review)
        .order_by("user_id")
        .values_list("user__username", flat=True)
        .first()
    )
    return (review, lead) if lead is not None else None


def _review_with_most_actions(organisation: Organisation) -> int | None:
    actions = (
        Action.objects.filter(review=OuterRef("pk"))
        .order_by()
        .values("review")
        .annotate(n=Count("pk"))
        .values("n")
    )
    return (
        Review.objects.filter(organisation=organisation)
        .annotate(n_actions=Coalesce(Subquery(actions, output_field=IntegerField()), Value(0)))
        .filter(n_actions__gt=0)
        .order_by("-n_actions", "pk")
        .values_list("pk", flat=True)
        .first()
    )


def _meeting_with_most_items(organisation: Organisation) -> int | None:
    return (
        Meeting.objects.filter(organisation=organisation)
        .annotate(n=Count("items"))
        .order_by("-n", "-date", "pk")
        .values_list("pk", flat=True)
        .first()
    )
