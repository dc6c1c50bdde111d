from django.conf import settings
from django.http import HttpRequest
from django.urls import reverse

# (label, url name, roles that see it — empty for everyone)
NAVIGATION = (
    ("My tasks", "home", ()),
    ("Referrals", "referrals:list", ()),
    ("Supervision notes", "referrals:supervision_notes", ("worker", "line_manager")),
    ("Which review fits?", "triage:start", ()),
    ("Register", "triage:register", ()),
    (
        "Improvement group",
        "group:meetings",
        ("cfcig_member", "cfcig_chair", "administrator", "auditor"),
    ),
    (
        "Reviews",
        "reviews:list",
        ("lead_reviewer", "cfcig_member", "cfcig_chair", "administrator", "auditor"),
    ),
    ("Pathway", "pathway", ()),
    ("Manage", "manage:home", ("administrator",)),
)


def service(request: HttpRequest) -> dict[str, object]:
    user = getattr(request, "user", None)
    context: dict[str, object] = {
        "service_name": "Learning Reviews",
        "demo_mode": settings.ALLOW_DEMO_PASSWORD,
        "organisation": None,
        "navigation": [],
    }
    if user is None or not user.is_authenticated:
        return context
    context["organisation"] = getattr(user, "organisation", None)
    path = request.path
    items = []
    for label, name, roles in NAVIGATION:
        if roles and not any(user.has_role(role) for role in roles):
            continue
        url = reverse(name)
        current = path == url if url == "/" else path.startswith(url)
        items.append({"label": label, "url": url, "current": current})
    context["navigation"] = items
    return context
