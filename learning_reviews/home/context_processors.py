"""The navigation: one line per area of the service, shown to the roles that use it."""

from django.http import HttpRequest
from django.urls import reverse

from learning_reviews.accounts.models import (
    CASE_READING_ROLES,
    IMPROVEMENT_GROUP_ROLES,
    INSIGHT_ROLES,
    Role,
)

# (label, url name, roles that see it — empty for everyone)
NAVIGATION: tuple[tuple[str, str, frozenset[str] | set[str]], ...] = (
    ("My tasks", "home", frozenset()),
    ("Referrals", "referrals:list", CASE_READING_ROLES),
    (
        "Supervision notes",
        "referrals:supervision_notes",
        frozenset({Role.WORKER, Role.LINE_MANAGER}),
    ),
    ("Which review fits?", "triage:start", frozenset()),
    ("Register", "triage:register", CASE_READING_ROLES),
    ("Improvement group", "group:meetings", IMPROVEMENT_GROUP_ROLES),
    ("Reviews", "reviews:list", {Role.LEAD_REVIEWER, Role.AUDITOR} | IMPROVEMENT_GROUP_ROLES),
    ("Learning library", "outcomes:library", frozenset()),
    ("Insights", "insights:dashboard", INSIGHT_ROLES),
    ("Pathway", "pathway", frozenset()),
    ("Manage", "manage:home", frozenset({Role.ADMINISTRATOR})),
    # Data protection (docs/data-protection.md): the auditor answers subject access requests.
    ("Subject access", "retention:subject_access", frozenset({Role.AUDITOR})),
    ("Exports and downloads", "audit_downloads", frozenset({Role.AUDITOR})),
)


def navigation(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"navigation": []}
    items = []
    for label, name, roles in NAVIGATION:
        if roles and not user.has_any_role(*roles):
            continue
        url = reverse(name)
        current = request.path == url if url == "/" else request.path.startswith(url)
        items.append({"label": label, "url": url, "current": current})
    return {"navigation": items}
