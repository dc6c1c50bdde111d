"""The dashboards, in the order the section links show them: each one line, (label, URL name)."""

from django.http import HttpRequest
from django.urls import reverse

SECTIONS: tuple[tuple[str, str], ...] = (
    ("The pathway", "insights:dashboard"),
    ("Timeliness", "insights:timeliness"),
    ("Outcomes", "insights:outcomes"),
    ("Themes", "insights:themes"),
    ("Routed elsewhere", "insights:register"),
)


def insight_sections(request: HttpRequest) -> list[dict[str, object]]:
    """The section links for a dashboard page, the one being shown marked as current."""
    links = []
    for label, name in SECTIONS:
        url = reverse(name)
        links.append({"label": label, "url": url, "current": request.path == url})
    return links
